"""Issue 15b: the activity log (reporters read; coordinators and admins write) and the form
templates of the reports page (report readers)."""
from datetime import date

from inventory.activity.models import ActivityEvent
from inventory.extensions import db
from tests.role_table import (ADMIN, COORD, FORM_POST_OK, REPORT_READERS, SITE_A, Route)

EDITORS = frozenset({COORD, ADMIN})


def _event(world, site):
    event = ActivityEvent(kind="training", held_on=date(2026, 7, 1), description="matrix")
    db.session.add(event)
    db.session.commit()
    return {"event": event.id}


ROUTES = {
    ("/reports/activity/", "GET"): Route("/reports/activity/", REPORT_READERS),
    ("/reports/activity/events", "POST"): Route(
        "/reports/activity/events", EDITORS, ok=FORM_POST_OK,
        form={"kind": "training", "held_on": "2026-07-01", "site": "", "attendance": "4",
              "description": "naloxone training for library staff"}),
    ("/reports/activity/events/<int:event_id>/remove", "POST"): Route(
        "/reports/activity/events/{event}/remove", EDITORS, ok=(302,), form={"x": "1"},
        prepare=_event),
    ("/reports/activity/hours", "POST"): Route(
        "/reports/activity/hours", EDITORS, ok=FORM_POST_OK,
        form={"code": SITE_A, f"h-{SITE_A}-site": SITE_A, f"h-{SITE_A}-schedule": "Mon 9-5",
              f"h-{SITE_A}-location": "Main St"}),
    ("/reports/activity/narrative", "POST"): Route(
        "/reports/activity/narrative", EDITORS, ok=FORM_POST_OK,
        form={"first_day": "2026-07-01", "last_day": "2026-09-30", "text": "A quarter."}),
}
