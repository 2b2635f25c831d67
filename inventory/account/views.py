"""A user's own account (password, API tokens) and the admin's list of every API token.

Also the gate of a forced password change: a user an admin marked must choose a new password
before any other page (or a session-authenticated API call) answers.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from inventory.account.forms import ChangePasswordForm, TokenForm
from inventory.auth import tokens
from inventory.auth.forms import attach_error
from inventory.auth.loaders import authenticated_by
from inventory.auth.permissions import ADMIN, ALL_ROLES, require_roles
from inventory.auth.services import change_own_password
from inventory.errors import DomainError, Forbidden
from inventory.extensions import db
from inventory.request_kind import is_api_request

bp = Blueprint("account", __name__)

_OPEN_DURING_FORCED_CHANGE = {"account.password", "auth.logout", "auth.login", "static"}


@bp.before_app_request
def _forced_password_change():
    if request.endpoint in _OPEN_DURING_FORCED_CHANGE or authenticated_by() != "session":
        return None
    if not current_user.must_change_password:
        return None
    if is_api_request():
        raise Forbidden("Choose a new password on the web first.")
    return redirect(url_for("account.password"))


@bp.route("/account/password", methods=["GET", "POST"])
@require_roles(*ALL_ROLES)
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_own_password(user, form.current_password.data, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            login_user(user)  # the new session token: this browser stays signed in
            flash(_("Password changed. Your other devices are signed out."), "success")
            return redirect(url_for("main.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/password.html", form=form), status


@bp.route("/account/tokens", methods=["GET", "POST"])
@require_roles(*ALL_ROLES)
def token_list():
    form, new_token = TokenForm(), None
    if form.validate_on_submit():
        try:
            new_token = tokens.create_token(current_user.email, form.name.data,
                                            form.expires_days.data or None, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    status = 422 if request.method == "POST" and new_token is None else 200
    return render_template("account/tokens.html", form=form, new_token=new_token,
                           tokens=tokens.list_tokens(current_user.id), everyone=False), status


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@require_roles(*ALL_ROLES)
def token_revoke(token_id: int):
    row = tokens.revoke_token(token_id, actor=current_user, owner_id=current_user.id)
    db.session.commit()
    flash(_("Token %(prefix)s… revoked.", prefix=row.prefix), "success")
    return redirect(url_for("account.token_list"))


@bp.route("/admin/tokens")
@require_roles(ADMIN)
def all_tokens():
    return render_template("account/tokens.html", form=None, new_token=None,
                           tokens=tokens.list_tokens(), everyone=True)


@bp.route("/admin/tokens/<int:token_id>/revoke", methods=["POST"])
@require_roles(ADMIN)
def any_token_revoke(token_id: int):
    row = tokens.revoke_token(token_id, actor=current_user)
    db.session.commit()
    flash(f"Token {row.prefix}… revoked.", "success")
    return redirect(url_for("account.all_tokens"))
