"""Admin page of the point-in-time survey: open a window (dates, sites), close one early.
Both are audited. Responses are never listed one by one: reports show them aggregated."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from inventory.admin.services import list_sites
from inventory.auth.forms import attach_error
from inventory.auth.permissions import ADMIN, require_roles
from inventory.errors import DomainError
from inventory.extensions import db
from inventory.settings.services import local_today
from inventory.survey import services
from inventory.survey.forms import CloseForm, WindowForm

bp = Blueprint("survey_admin", __name__, url_prefix="/admin/survey")


@bp.before_request
@require_roles(ADMIN)
def _admins_only():
    return None


@bp.route("", methods=["GET", "POST"])
def windows():
    today = local_today()
    form = WindowForm(data={"first_day": today, "last_day": today + timedelta(days=2)}
                      if request.method == "GET" else None)
    form.sites.choices = [(s.id, f"{s.code} · {s.name}") for s in list_sites(
        include_inactive=False)]
    if form.validate_on_submit():
        try:
            services.open_window(form.first_day.data, form.last_day.data, form.sites.data,
                                 actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("Survey window opened."), "success")
            return redirect(url_for("survey_admin.windows"))
    status = 422 if request.method == "POST" else 200
    return render_template("survey/windows.html", form=form, windows=services.list_windows(),
                           close_form=CloseForm(), today=today), status


@bp.route("/<int:window_id>/close", methods=["POST"])
def close(window_id: int):
    if not CloseForm().validate_on_submit():
        abort(400)
    services.close_window(window_id, actor=current_user)
    db.session.commit()
    flash(_("Survey window closed."), "success")
    return redirect(url_for("survey_admin.windows"))
