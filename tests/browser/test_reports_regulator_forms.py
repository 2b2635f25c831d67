"""The reports page's new controls on a tablet and a phone: exact counts for a regulator (admins),
a form template chosen, previewed and marked; the period's narrative saved from the page; the
activity log page. Accessible (axe-core), no sideways scrolling, touch targets of 48 CSS px."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from inventory.extensions import db
from inventory.reporting import services
from tests import report_factories as f
from tests.browser.conftest import (artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, follow, sign_in)

pytestmark = pytest.mark.browser
TOUCH = 48


def _big_enough(locator) -> None:
    box = locator.bounding_box()
    assert box and box["height"] >= TOUCH - 0.5 and box["width"] >= TOUCH - 0.5, box


@pytest.fixture
def admin(live_url, make_login_user):
    f.settings("UTC", threshold=11)
    quarter = services.recent_quarters(services.settings())[1]
    start = datetime.combine(quarter.first_day, datetime.min.time(), tzinfo=UTC)
    for offset in range(3):
        f.handout("A", start + timedelta(days=offset, hours=16), {"SYR-1ML-28G": 10},
                  kind="outreach" if offset else "site")
    db.session.commit()
    return make_login_user("admin"), quarter


def test_exact_counts_form_template_and_narrative(page, live_url, admin, viewport):
    email, quarter = admin
    name = "phone" if viewport["width"] <= 720 else "tablet"
    sign_in(page, live_url, email)
    page.goto(f"{live_url}/reports/")
    exact = page.get_by_label("Exact counts for a regulator")
    template = page.get_by_label("Report", exact=True)
    for control in (exact, template, page.get_by_role("button", name="Preview")):
        _big_enough(control)
    exact.fill("Utah DHHS")
    template.select_option("ut-quarterly")
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Preview"))
    assert page.get_by_text("Exact counts for Utah DHHS — not for publication.").is_visible()
    assert page.get_by_role("cell", name="Participant contacts").is_visible()
    assert page.get_by_role("link", name="Download CSV (zip)").count() == 0
    _big_enough(page.get_by_role("link", name="Download .xlsx"))
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.screenshot(path=str(artifact_path("screenshots", f"reports-exact-form-{name}.png")),
                    full_page=True)
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "exact_counts")).one()
    assert entry.details["recipient"] == "Utah DHHS" and entry.entity_id == "ut-quarterly"
    db.session.rollback()  # end the test's read transaction before the page writes

    page.goto(f"{live_url}/reports/?period=quarter&quarter={quarter.code}&template=funder")
    text = page.get_by_label("Narrative for this period")
    text.fill("We opened an evening outreach route.")
    save = page.get_by_role("button", name="Save narrative")
    _big_enough(save)
    follow(page, save)
    assert page.get_by_text("Narrative saved.").is_visible()
    assert page.get_by_label("Narrative for this period").input_value() == \
        "We opened an evening outreach route."
    assert page.get_by_role("cell", name="Encounters by service model: Street outreach")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)


def test_activity_log_page(page, live_url, admin, viewport):
    email, _ = admin
    name = "phone" if viewport["width"] <= 720 else "tablet"
    sign_in(page, live_url, email)
    page.goto(f"{live_url}/reports/")
    follow(page, page.get_by_role("link", name="Program activities"))
    assert page.get_by_text("Never write about a person").is_visible()
    page.get_by_label("Type of event").select_option("law_enforcement")
    page.get_by_label("Date").fill("2026-09-01")
    page.get_by_label("Attendance (people present, optional)").fill("15")
    page.get_by_label("What it was").fill("Roll-call briefing")
    for control in ("Type of event", "Date", "Site", "Attendance (people present, optional)"):
        _big_enough(page.get_by_label(control))
    follow(page, page.get_by_role("button", name="Add event"))
    assert page.get_by_role("cell", name="Roll-call briefing").is_visible()
    _big_enough(page.get_by_role("button", name="Remove the Law enforcement event of 2026-09-01"))
    page.locator("#h-A-schedule").fill("Mon–Fri 10:00–16:00")
    follow(page, page.get_by_role("button", name="Save hours of A"))
    assert page.get_by_text("Hours of A saved.").is_visible()
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.screenshot(path=str(artifact_path("screenshots", f"activity-log-{name}.png")),
                    full_page=True)
