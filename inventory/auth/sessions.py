"""Session cookies that hold: the Secure flag, a trusted proxy, and the idle sign-out.

- ``SESSION_COOKIE_SECURE`` is on unless the app runs in debug or testing mode (or the
  environment says otherwise), so the cookie only travels over TLS.
- Behind a TLS-terminating proxy, ``PROXY_FIX_X_FOR``/``_PROTO``/``_HOST``/``_PORT``/``_PREFIX``
  say how many proxies set each ``X-Forwarded-*`` header (werkzeug's ProxyFix); then the
  client's address (sign-in throttling, session protection) and ``https`` (HSTS) are right.
- A session unused for longer than the program's ``idle_timeout_minutes`` is ended: the API
  answers 401, pages send to the sign-in page. The time of the last request is kept in the
  session itself (signed), so a copied old cookie is refused as well.
- The per-user session token (:meth:`User.get_id`) ends every cookie of a user at once; see
  :func:`inventory.auth.services.end_sessions`.
"""
import time

from flask import Flask, abort, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from inventory.request_kind import is_api_request

LAST_SEEN = "_last_seen"


def _idle_limit_seconds() -> int:
    from inventory.settings.services import current_settings

    # Held on g: the session's identity map keeps only weak references, and pages read the
    # row again, which is then free.
    g.program_settings = current_settings()
    return g.program_settings.idle_timeout_minutes * 60


def _uses_session() -> bool:
    """Whether this request is authenticated (if at all) by the session cookie."""
    if request.endpoint == "static":
        return False
    return not (is_api_request() and "Authorization" in request.headers)


def init_app(app: Flask) -> None:
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)
    proxies = {f"x_{key}": int(count) for key, count in app.config["PROXY_FIX"].items()}
    if any(proxies.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxies)

    @app.before_request
    def _end_idle_session():
        if "_user_id" not in session or not _uses_session():
            return None
        last_seen = session.get(LAST_SEEN)
        if isinstance(last_seen, int) and time.time() - last_seen <= _idle_limit_seconds():
            return None
        logout_user()
        session.pop(LAST_SEEN, None)
        if request.endpoint in ("auth.login", "auth.logout"):
            return None  # what the request asks for happens anyway
        if is_api_request():
            abort(401)
        flash(_("You were signed out after a while without activity. Please sign in again."),
              "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")
                                if request.method == "GET" else None))

    @app.after_request
    def _remember_activity(response):
        if "_user_id" in session and _uses_session():
            session[LAST_SEEN] = int(time.time())
        return response
