"""Program activities: record and remove events, save a site's hours and location, save a report
period's narrative. Every change is audited in the same transaction; services flush, the request
commits.

Errors: InvalidInput naming the field (``kind``, ``held_on``, ``site``, ``attendance``,
``description``, ``schedule``, ``location``, ``text``, ``first_day``); NotFound for an unknown
event.
"""
from datetime import date

from sqlalchemy import select

from inventory.activity.models import (EVENT_KINDS, MAX_DESCRIPTION, MAX_LOCATION, MAX_NARRATIVE,
                                       MAX_SCHEDULE, ActivityEvent, ReportNarrative, SiteHours)
from inventory.audit.services import apply_changes, record
from inventory.catalog.models import Site
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db
from inventory.input_rules import (BAD_TEXT_MESSAGE, DATE_MESSAGE, MAX_DB_INT, bad_text,
                                   date_in_range)


def _text(value: str | None, limit: int, field: str) -> str:
    value = (value or "").strip()
    if bad_text(value):
        raise InvalidInput(BAD_TEXT_MESSAGE, field=field)
    if len(value) > limit:
        raise InvalidInput(f"At most {limit} characters.", field=field)
    return value


def _day(value, field: str) -> date:
    if not isinstance(value, date) or not date_in_range(value):
        raise InvalidInput(DATE_MESSAGE, field=field)
    return value


def _site(code: str | None) -> Site | None:
    if not code:
        return None
    site = db.session.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise InvalidInput(f"Unknown site {code}.", field="site")
    return site


def add_event(kind: str, held_on: date, site_code: str | None, attendance: int | None,
              description: str, actor=None) -> ActivityEvent:
    """Record one program event (``site_code`` None: program-wide)."""
    if kind not in EVENT_KINDS:
        raise InvalidInput("Choose the kind of event.", field="kind")
    if attendance is not None and not 0 <= attendance <= MAX_DB_INT:
        raise InvalidInput("Attendance is a whole number, 0 or more.", field="attendance")
    site = _site(site_code)
    event = ActivityEvent(kind=kind, held_on=_day(held_on, "held_on"),
                          site_id=site.id if site else None, attendance=attendance,
                          description=_text(description, MAX_DESCRIPTION, "description"),
                          created_by_id=getattr(actor, "id", None))
    db.session.add(event)
    db.session.flush()
    record("activity_event_added", "activity_event", event.id, {
        "kind": kind, "held_on": held_on.isoformat(), "site": site.code if site else None,
        "attendance": attendance, "description": event.description}, user=actor)
    return event


def remove_event(event_id: int, actor=None) -> None:
    """Delete an event entered in error (audited with what it said)."""
    event = db.session.get(ActivityEvent, event_id) if 0 < event_id <= MAX_DB_INT else None
    if event is None:
        raise NotFound("No such event.")
    record("activity_event_removed", "activity_event", event.id, {
        "kind": event.kind, "held_on": event.held_on.isoformat(),
        "site": event.site.code if event.site else None, "attendance": event.attendance,
        "description": event.description}, user=actor)
    db.session.delete(event)
    db.session.flush()


def save_site_hours(site_code: str, schedule: str, location: str, actor=None) -> SiteHours:
    """Set when and where ``site_code`` operates (text); audited with what changed."""
    site = _site(site_code)
    if site is None:
        raise InvalidInput("Choose a site.", field="site")
    values = {"schedule": _text(schedule, MAX_SCHEDULE, "schedule"),
              "location": _text(location, MAX_LOCATION, "location")}
    hours = db.session.scalar(select(SiteHours).where(SiteHours.site_id == site.id))
    if hours is None:
        hours = SiteHours(site_id=site.id, schedule="", location="")
        db.session.add(hours)
    changes = apply_changes(hours, values)
    db.session.flush()
    if changes:
        record("site_hours_saved", "site", site.code, changes, user=actor)
    return hours


def save_narrative(first_day: date, last_day: date, text: str, actor=None) -> ReportNarrative:
    """Set the narrative of the report period ``first_day``..``last_day``; audited."""
    first_day, last_day = _day(first_day, "first_day"), _day(last_day, "last_day")
    if last_day < first_day:
        raise InvalidInput("The period ends before it starts.", field="first_day")
    text = _text(text, MAX_NARRATIVE, "text")
    row = narrative_for(first_day, last_day)
    if row is None:
        row = ReportNarrative(first_day=first_day, last_day=last_day, text="")
        db.session.add(row)
    old = row.text
    row.text = text
    db.session.flush()
    if old != text:
        record("report_narrative_saved", "report_narrative", row.id, {
            "first_day": first_day.isoformat(), "last_day": last_day.isoformat(),
            "old": old, "new": text}, user=actor)
    return row


def narrative_for(first_day: date, last_day: date) -> ReportNarrative | None:
    return db.session.scalar(select(ReportNarrative).where(
        ReportNarrative.first_day == first_day, ReportNarrative.last_day == last_day))


def recent_events(limit: int = 200) -> list[ActivityEvent]:
    return list(db.session.scalars(select(ActivityEvent).order_by(
        ActivityEvent.held_on.desc(), ActivityEvent.id.desc()).limit(limit)))


def hours_by_site() -> list[tuple[Site, SiteHours | None]]:
    """Every site by code with its hours (None when not entered yet)."""
    rows = db.session.execute(select(Site, SiteHours).outerjoin(
        SiteHours, SiteHours.site_id == Site.id).order_by(Site.code)).all()
    return [tuple(r) for r in rows]
