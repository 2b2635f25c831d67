"""Switching language (remembered on the device) and the handout screen's message catalogue."""
from flask import Blueprint, abort, jsonify, redirect, request
from flask_babel import force_locale, get_translations

from inventory.i18n import COOKIE, COOKIE_MAX_AGE, LANGUAGES
from inventory.i18n.screen import screen_message_ids

bp = Blueprint("i18n", __name__)


def _local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else "/" (no redirect to elsewhere)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@bp.route("/language/<code>")
def choose(code: str):
    """Remember ``code`` as this device's language and go back to ``next`` (a local path)."""
    if code not in LANGUAGES:
        abort(404)
    response = redirect(_local_path(request.args.get("next")))
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response


@bp.route("/i18n/<code>.json")
def catalogue(code: str):
    """``{"lang": code, "messages": {English id: translation}}`` for the screen's JavaScript,
    from the same compiled catalogue the pages use. Public: it holds only interface words."""
    if code not in LANGUAGES:
        abort(404)
    with force_locale(code):
        translations = get_translations()
        messages = {msgid: translations.gettext(msgid) for msgid in screen_message_ids()}
    response = jsonify({"lang": code, "messages": messages})
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.add_etag()
    return response.make_conditional(request)
