"""The point-in-time survey: windows (admin, audited) and anonymous responses. Services flush;
the caller commits.

A response stores the site, the window, the local date and the answers - no encounter,
participant code, user or time of day - so it cannot be joined to a handout.
Errors: :class:`inventory.errors.InvalidInput` naming the field; NotFound; Forbidden; Conflict.
"""
from datetime import date

from sqlalchemy import select

from inventory.audit.services import record
from inventory.auth.permissions import ensure_site_access
from inventory.catalog.lookup import site_by_code
from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.input_rules import DATE_MESSAGE, date_in_range
from inventory.settings.services import local_today
from inventory.survey.models import SurveyResponse, SurveyWindow, survey_window_site

ANSWER_FIELDS = ("own_overdoses_3m", "reversals_witnessed", "age_range", "gender",
                 "race_ethnicity")
MAX_WINDOW_DAYS = 92


def list_windows() -> list[SurveyWindow]:
    return list(db.session.scalars(select(SurveyWindow).order_by(
        SurveyWindow.first_day.desc(), SurveyWindow.id.desc())))


def open_window(first_day: date, last_day: date, site_ids: list[int], actor=None) -> SurveyWindow:
    """Open a survey window over ``first_day``..``last_day`` (local dates) at the sites.
    Audited. Raises InvalidInput (dates out of range or reversed, longer than a quarter, in
    the past, no site or an unknown one)."""
    for field, day in (("first_day", first_day), ("last_day", last_day)):
        if day is None or not date_in_range(day):
            raise InvalidInput(DATE_MESSAGE, field=field)
    if last_day < first_day:
        raise InvalidInput("The last day is before the first day.", field="last_day")
    if (last_day - first_day).days + 1 > MAX_WINDOW_DAYS:
        raise InvalidInput(f"A survey window lasts at most {MAX_WINDOW_DAYS} days.",
                           field="last_day")
    if last_day < local_today():
        raise InvalidInput("The window would already be over.", field="last_day")
    sites = list(db.session.scalars(select(Site).where(Site.id.in_(site_ids or [-1]))))
    if not sites or len(sites) != len(set(site_ids)):
        raise InvalidInput("Choose at least one site.", field="sites")
    window = SurveyWindow(first_day=first_day, last_day=last_day, sites=sites)
    db.session.add(window)
    db.session.flush()
    record("create", "survey_window", window.id, {
        "first_day": first_day.isoformat(), "last_day": last_day.isoformat(),
        "sites": [s.code for s in sites]}, actor)
    return window


def close_window(window_id: int, actor=None) -> SurveyWindow:
    """End a window today (its last day becomes today when later). Audited. Raises NotFound."""
    window = db.session.get(SurveyWindow, window_id)
    if window is None:
        raise NotFound(f"No survey window {window_id}.", field="id")
    if window.closed_at is not None:
        return window
    today = local_today()
    old_last = window.last_day
    window.last_day = min(window.last_day, max(today, window.first_day))
    window.closed_at = utcnow()
    record("update", "survey_window", window.id, {
        "changes": {"last_day": [old_last.isoformat(), window.last_day.isoformat()],
                    "closed": [False, True]}}, actor)
    return window


def window_for(site_id: int, day: date) -> SurveyWindow | None:
    """The window open at ``site_id`` on local date ``day``, if any."""
    return db.session.scalar(
        select(SurveyWindow).join(survey_window_site).where(
            survey_window_site.c.site_id == site_id, SurveyWindow.first_day <= day,
            SurveyWindow.last_day >= day).order_by(SurveyWindow.id.desc()).limit(1))


def record_response(user, data: dict) -> tuple[SurveyResponse, bool]:
    """Store one anonymous response given at site ``data["site"]`` on local date
    ``data["date"]``; every answer may be skipped (None). Idempotent on ``client_id``.

    Raises Forbidden (site not assigned), InvalidInput (unknown site; date in the future or
    outside any survey window at that site), Conflict (client_id reused with another body).
    """
    site = site_by_code(data["site"], active_only=False)
    ensure_site_access(user, site)
    print_ = fingerprint(data)

    def check() -> SurveyWindow:
        if data["date"] > local_today():
            raise InvalidInput("The date is in the future.", field="date")
        window = window_for(site.id, data["date"])
        if window is None:
            raise InvalidInput("No survey window is open at this site on that date.",
                               field="date")
        return window

    def create(window: SurveyWindow) -> SurveyResponse:
        row = SurveyResponse(client_id=data["client_id"], fingerprint=print_,
                             window_id=window.id, site_id=site.id, response_date=data["date"],
                             **{f: data.get(f) for f in ANSWER_FIELDS})
        db.session.add(row)
        db.session.flush()
        return row

    return create_once(SurveyResponse, data["client_id"], print_, create, check)
