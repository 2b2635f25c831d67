"""The activity log page (/reports/activity): program events, and each site's hours and location;
and the narrative of a report period, saved from the reports page.

Reporters read; coordinators and admins write (others 403). Each view parses a form, calls one
service, commits once; a refused input shows the page again (422) with the message.
"""
from urllib.parse import quote

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inventory.activity import services
from inventory.activity.forms import EventForm, HoursForm, NarrativeForm, RemoveForm
from inventory.auth.forms import attach_error
from inventory.auth.permissions import ADMIN, COORDINATOR, REPORT_READERS, require_roles
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.reporting.services import all_sites

bp = Blueprint("activity", __name__, url_prefix="/reports/activity")
EDITORS = (COORDINATOR, ADMIN)


@bp.before_request
@require_roles(*REPORT_READERS)
def _report_readers_only():
    return None


def _page(event_form=None, hours_forms=None, status=200):
    sites = all_sites()
    if event_form is None:
        event_form = EventForm()
    event_form.set_site_choices(sites)
    forms = {site.code: HoursForm(prefix=f"h-{site.code}", formdata=None, data={
        "site": site.code, "schedule": hours.schedule if hours else "",
        "location": hours.location if hours else ""}) for site, hours in services.hours_by_site()}
    forms.update(hours_forms or {})
    return render_template("activity/index.html", event_form=event_form, hours_forms=forms,
                           hours=services.hours_by_site(), events=services.recent_events(),
                           remove_form=RemoveForm(), can_edit=current_user.role in EDITORS), status


def _run(form, action) -> bool:
    """Validate ``form`` and run ``action``; True when committed."""
    if not form.validate_on_submit():
        return False
    try:
        action()
    except InvalidInput as exc:  # NotFound and Forbidden go to their own pages
        db.session.rollback()
        attach_error(form, exc)
        return False
    db.session.commit()
    return True


@bp.route("/")
def index():
    return _page()


@bp.route("/events", methods=["POST"])
@require_roles(*EDITORS)
def add_event():
    form = EventForm()
    form.set_site_choices(all_sites())
    if _run(form, lambda: services.add_event(form.kind.data, form.held_on.data,
                                             form.site.data or None, form.attendance.data,
                                             form.description.data or "", actor=current_user)):
        flash("Event recorded.", "success")
        return redirect(url_for("activity.index"))
    return _page(event_form=form, status=422)


@bp.route("/events/<int:event_id>/remove", methods=["POST"])
@require_roles(*EDITORS)
def remove_event(event_id: int):
    form = RemoveForm()
    if _run(form, lambda: services.remove_event(event_id, actor=current_user)):
        flash("Event removed.", "success")
        return redirect(url_for("activity.index"))
    return _page(status=422)


@bp.route("/hours", methods=["POST"])
@require_roles(*EDITORS)
def save_hours():
    code = request.form.get("code", "")
    form = HoursForm(prefix=f"h-{code}")
    if _run(form, lambda: services.save_site_hours(form.site.data, form.schedule.data or "",
                                                   form.location.data or "",
                                                   actor=current_user)):
        flash(f"Hours of {form.site.data} saved.", "success")
        return redirect(url_for("activity.index") + "#hours")
    return _page(hours_forms={code: form}, status=422)


@bp.route("/narrative", methods=["POST"])
@require_roles(*EDITORS)
def save_narrative():
    form = NarrativeForm()
    back = quote(form.back.data or "", safe="=&+%-._~")
    target = url_for("reporting.index") + ("?" + back if back else "")
    if _run(form, lambda: services.save_narrative(form.first_day.data, form.last_day.data,
                                                  form.text.data or "", actor=current_user)):
        flash("Narrative saved.", "success")
        return redirect(target)
    errors = [e for f in form for e in f.errors] + list(form.form_errors)
    return render_template("activity/narrative_error.html", errors=errors, target=target), 422
