"""The Activities sheet of the funder workbook: the program's events in the period (with totals
per type), each selected site's hours and location of operation, and the period's narrative.

All of it is text about the program, entered on the activity log page and the reports page.
Text reaches the file through the writers, which keep it from becoming a formula
(:mod:`reports.safe_text`). Attendance at program events is not a count of participants and is
not suppressed.
"""
import pandas as pd
from sqlalchemy import select

from inventory.activity.models import EVENT_KINDS, ActivityEvent, ReportNarrative, SiteHours
from inventory.catalog.models import Site
from inventory.labels import label
from reports.model import Sheet
from reports.periods import Period

EVENT = ActivityEvent.__table__
HOURS = SiteHours.__table__
NARRATIVE = ReportNarrative.__table__
SITE = Site.__table__
COLUMNS = ["Entry", "Date", "Site", "Attendance", "Details"]
NOTE = ("Activities sheet: program events in the period (community relations, law enforcement, "
        "training, other) with their attendance, totals per type, each site's hours and location "
        "of operation, and the narrative entered for this period on the reports page.")


def _site_name(code, name) -> str:
    return f"{code} · {name}" if code else "Program-wide"


def activity_rows(conn, period: Period, site_ids) -> list[list]:
    """The sheet's rows (see :data:`COLUMNS`)."""
    where = [EVENT.c.held_on >= period.first_day, EVENT.c.held_on <= period.last_day]
    if site_ids is not None:
        where.append(EVENT.c.site_id.in_(list(site_ids)) | EVENT.c.site_id.is_(None))
    events = conn.execute(
        select(EVENT.c.kind, EVENT.c.held_on, SITE.c.code, SITE.c.name, EVENT.c.attendance,
               EVENT.c.description).select_from(EVENT.outerjoin(SITE, SITE.c.id == EVENT.c.site_id))
        .where(*where).order_by(EVENT.c.held_on, EVENT.c.id)).all()
    rows = [[f"Event: {label('activity', kind)}", held_on.isoformat(), _site_name(code, name),
             attendance, description or None]
            for kind, held_on, code, name, attendance, description in events]
    for kind in EVENT_KINDS:
        of_kind = [e for e in events if e.kind == kind]
        rows.append([f"Events: {label('activity', kind)} (total)", None, None,
                     sum(e.attendance or 0 for e in of_kind),
                     f"{len(of_kind)} event{'s' if len(of_kind) != 1 else ''}"])
    site_where = [SITE.c.id.in_(list(site_ids))] if site_ids is not None else []
    hours = conn.execute(select(SITE.c.code, SITE.c.name, HOURS.c.schedule, HOURS.c.location)
                         .select_from(SITE.outerjoin(HOURS, HOURS.c.site_id == SITE.c.id))
                         .where(*site_where).order_by(SITE.c.code)).all()
    for code, name, schedule, location in hours:
        details = " — ".join(t for t in (schedule, location) if t) or "Not entered"
        rows.append(["Hours and location", None, _site_name(code, name), None, details])
    narrative = conn.execute(select(NARRATIVE.c.text).where(
        NARRATIVE.c.first_day == period.first_day,
        NARRATIVE.c.last_day == period.last_day)).scalar()
    rows.append(["Narrative", None, None, None, narrative or "Not entered"])
    return rows


def activities_sheet(conn, period: Period, site_ids) -> Sheet:
    frame = pd.DataFrame(activity_rows(conn, period, site_ids), columns=COLUMNS, dtype=object)
    return Sheet("Activities", frame, formats={"Attendance": "#,##0"}, frozen_columns=1,
                 wrap_columns={"Details": 90})
