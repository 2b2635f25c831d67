"""Sign in, sign out, and the first-run setup page (with the redirect that leads to it)."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from inventory.admin.services import complete_setup
from inventory.auth.forms import LoginForm, SetupForm, attach_error
from inventory.auth.services import authenticate, end_sessions, record_sign_in
from inventory.auth.throttle import limit_sign_ins, mark_failed
from inventory.database import begin_write, reads_only
from inventory.errors import DomainError
from inventory.extensions import db
from inventory.first_run import setup_done

bp = Blueprint("auth", __name__)

# Paths that work before setup: the setup page itself (static files and the API are never sent).
_SETUP_EXEMPT_PREFIXES = ("/setup", "/static/", "/api/", "/language/", "/i18n/")


@bp.before_app_request
def _pages_before_request():
    """For HTML pages: until the first admin exists, send every page to /setup.

    (A deactivated user's session needs nothing here: the user loaders return None for them, so
    they are anonymous.) The setup redirect is off under TESTING unless ``SETUP_REDIRECT`` is
    set, so tests of other pages need no admin.
    """
    if not current_app.config.get("SETUP_REDIRECT", not current_app.testing):
        return None
    if request.path.startswith(_SETUP_EXEMPT_PREFIXES):
        return None
    if not setup_done():
        return redirect(url_for("auth.setup"))
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes home."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@reads_only  # the password check (argon2) must not hold SQLite's write lock
@limit_sign_ins
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        begin_write(db.session)  # the audit entry, after the password check
        record_sign_in(form.email.data, user, request.remote_addr)
        db.session.commit()
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        mark_failed()
        form.form_errors.append(_("Wrong email or password, or the account is deactivated."))
    return render_template("auth/login.html", form=form)


@bp.errorhandler(RateLimitExceeded)
def _too_many_sign_ins(_exc):
    form = LoginForm()
    form.form_errors.append(_("Too many failed sign-ins for this account or from this device. "
                              "Wait 15 minutes and try again, or ask an admin to reset the "
                              "password."))
    return render_template("auth/login.html", form=form), 429


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out. The session token is replaced, so every copy of this user's session cookie,
    on any device, stops working."""
    if current_user.is_authenticated:
        end_sessions(current_user, actor=current_user)
        db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first admin and the program settings; gone once an admin exists.

    ``setup_done()`` (cached once true) decides whether the page is gone; complete_setup checks
    again, authoritatively, in the transaction that creates the admin.
    """
    if setup_done():
        if request.method == "POST":
            abort(404)
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            admin = complete_setup(
                form.email.data, form.password.data, form.program_name.data, form.timezone.data,
                form.fiscal_year_start_month.data, form.suppression_threshold.data)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        except IntegrityError:  # a concurrent setup won the race (same settings id)
            db.session.rollback()
            return redirect(url_for("auth.login"))
        else:
            login_user(admin)
            flash("Setup complete. Welcome!", "success")
            return redirect(url_for("main.home"))
    status = 200 if request.method == "GET" else 422
    return render_template("setup.html", form=form), status
