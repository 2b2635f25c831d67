"""The program activity log: pages (reporters read, coordinators and admins write), audited
changes, text rules, and the funder workbook's Activities sheet worked out by hand."""
import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from inventory.activity.models import ActivityEvent, ReportNarrative, SiteHours
from inventory.audit.models import AuditEntry
from inventory.extensions import db as _db
from reports.csvzip import write_csv_zip
from reports.periods import parse_quarter
from reports.xlsx import write_xlsx
from tests import report_factories as f

EVENT = {"kind": "community_relations", "held_on": "2026-07-14", "site": "A",
         "attendance": "25", "description": "Neighbourhood association meeting"}


def _count(model) -> int:
    _db.session.rollback()
    return _db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    _db.session.rollback()
    return list(_db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def sites(db):
    f.settings("UTC", threshold=11)
    f.site("A"), f.site("B")
    db.session.commit()


def test_reporter_reads_but_cannot_write(client, login_as, sites):
    login_as("reporter")
    page = client.get("/reports/activity/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Never write about a person" in html and "Add event" not in html
    assert client.post("/reports/activity/events", data=EVENT).status_code == 403
    assert client.post("/reports/activity/hours", data={"code": "A", "h-A-site": "A",
                                                        "h-A-schedule": "x"}).status_code == 403
    assert client.post("/reports/activity/narrative", data={
        "first_day": "2026-07-01", "last_day": "2026-09-30", "text": "x"}).status_code == 403
    assert _count(ActivityEvent) == 0 and _count(SiteHours) == 0 and _count(ReportNarrative) == 0
    assert _actions() == []


def test_coordinator_records_removes_and_everything_is_audited(client, login_as, sites):
    login_as("coordinator")
    response = client.post("/reports/activity/events", data=EVENT)
    assert response.status_code == 302
    page = client.get("/reports/activity/").get_data(as_text=True)
    assert "Neighbourhood association meeting" in page and "Community relations" in page
    event_id = _db.session.scalar(select(ActivityEvent.id))
    assert client.post(f"/reports/activity/events/{event_id}/remove").status_code == 302
    assert _count(ActivityEvent) == 0
    assert client.post("/reports/activity/events/99999/remove").status_code == 404
    response = client.post("/reports/activity/hours", data={
        "code": "A", "h-A-site": "A", "h-A-schedule": "Mon–Fri 10:00–16:00",
        "h-A-location": "Community center, 12 Main St"})
    assert response.status_code == 302
    response = client.post("/reports/activity/narrative", data={
        "first_day": "2026-07-01", "last_day": "2026-09-30", "text": "We opened a second van.",
        "back": "period=quarter&quarter=FY2027Q1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/?period=quarter&quarter=FY2027Q1")
    assert _actions() == ["activity_event_added", "activity_event_removed", "site_hours_saved",
                          "report_narrative_saved"]
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "site_hours_saved"))
    assert entry.entity_id == "A" and entry.details["schedule"] == ["", "Mon–Fri 10:00–16:00"]
    preview = client.get("/reports/?period=quarter&quarter=FY2027Q1").get_data(as_text=True)
    assert "We opened a second van." in preview and "Save narrative" in preview


@pytest.mark.parametrize("field, value", [
    ("description", "bad \x00 byte"),
    ("description", "x" * 501), ("kind", "party"), ("held_on", "10000-01-01"),
    ("held_on", "0001-01-01"), ("attendance", "-1"), ("attendance", str(2**31)),
    ("site", "NOPE"),
])
def test_bad_event_input_is_refused_with_nothing_written(client, login_as, sites, field, value):
    login_as("admin")
    response = client.post("/reports/activity/events", data={**EVENT, field: value})
    assert response.status_code == 422, (field, value)
    assert _count(ActivityEvent) == 0 and _actions() == []


def test_bad_narrative_and_hours_are_refused(client, login_as, sites):
    login_as("admin")
    for text in ("nul \x00", "x" * 5001):
        response = client.post("/reports/activity/narrative", data={
            "first_day": "2026-07-01", "last_day": "2026-09-30", "text": text})
        assert response.status_code == 422
    response = client.post("/reports/activity/narrative", data={
        "first_day": "2026-09-30", "last_day": "2026-07-01", "text": "backwards"})
    assert response.status_code == 422 and "ends before it starts" in response.get_data(
        as_text=True)
    response = client.post("/reports/activity/hours", data={
        "code": "A", "h-A-site": "A", "h-A-schedule": "\x00"})
    assert response.status_code == 422
    assert _count(ReportNarrative) == 0 and _count(SiteHours) == 0


def test_services_refuse_lone_surrogates(sites):
    """A browser cannot send a lone surrogate in a form (UTF-8); the API-less services refuse
    one all the same, naming the field."""
    from inventory.activity import services
    from inventory.errors import InvalidInput

    for call, field in [
        (lambda: services.add_event("other", date(2026, 7, 1), None, None, "a\ud800"),
         "description"),
        (lambda: services.save_site_hours("A", "\udfff", ""), "schedule"),
        (lambda: services.save_narrative(date(2026, 7, 1), date(2026, 9, 30), "\ud800"), "text"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.field == field


def _activities(report) -> list[list]:
    return [list(r) for r in report.sheet("Activities").frame.itertuples(index=False)]


def test_activities_sheet_worked_by_hand(client, login_as, sites, tmp_path):
    login_as("coordinator")
    posts = [
        {**EVENT},                                                          # A, 25 people
        {**EVENT, "held_on": "2026-08-02", "site": "", "attendance": "40",
         "description": "=HYPERLINK(\"http://x\")"},                          # program-wide
        {**EVENT, "kind": "law_enforcement", "held_on": "2026-09-30", "site": "B",
         "attendance": "12", "description": "Roll-call briefing"},
        {**EVENT, "kind": "training", "held_on": "2026-09-10", "site": "B", "attendance": "",
         "description": "Naloxone training for library staff"},              # no attendance
        {**EVENT, "held_on": "2026-10-01", "description": "next quarter"},   # outside the period
        {**EVENT, "kind": "law_enforcement", "held_on": "2026-06-30"},       # outside too
    ]
    for data in posts:
        assert client.post("/reports/activity/events", data=data).status_code == 302
    client.post("/reports/activity/hours", data={"code": "A", "h-A-site": "A",
                                                 "h-A-schedule": "Mon–Fri 10:00–16:00",
                                                 "h-A-location": "12 Main St"})
    client.post("/reports/activity/narrative", data={
        "first_day": "2026-07-01", "last_day": "2026-09-30", "text": "@SUM(A1) is not a formula"})
    quarter = parse_quarter("FY2027Q1", 7, "UTC")
    rows = _activities(f.run_report("funder", quarter))
    assert rows == [
        ["Event: Community relations", "2026-07-14", "A · Site A", 25,
         "Neighbourhood association meeting"],
        ["Event: Community relations", "2026-08-02", "Program-wide", 40,
         "=HYPERLINK(\"http://x\")"],
        ["Event: Training", "2026-09-10", "B · Site B", None,
         "Naloxone training for library staff"],
        ["Event: Law enforcement", "2026-09-30", "B · Site B", 12, "Roll-call briefing"],
        ["Events: Community relations (total)", None, None, 25 + 40, "2 events"],
        ["Events: Law enforcement (total)", None, None, 12, "1 event"],
        ["Events: Training (total)", None, None, 0, "1 event"],
        ["Events: Other (total)", None, None, 0, "0 events"],
        ["Hours and location", None, "A · Site A", None, "Mon–Fri 10:00–16:00 — 12 Main St"],
        ["Hours and location", None, "B · Site B", None, "Not entered"],
        ["Narrative", None, None, None, "@SUM(A1) is not a formula"],
    ]
    # Site B only: A's event drops out, the program-wide one stays.
    site_b = [f.site("B").id]
    rows = _activities(f.run_report("funder", quarter, site_ids=site_b, site_codes=["B"]))
    assert [r[2] for r in rows[:3]] == ["Program-wide", "B · Site B", "B · Site B"]
    assert rows[3] == ["Events: Community relations (total)", None, None, 40, "1 event"]

    report = f.run_report("funder", quarter)
    path = tmp_path / "q.xlsx"
    write_xlsx(report, path)
    ws = openpyxl.load_workbook(path)["Activities"]
    formula_cell = ws["E3"]
    assert formula_cell.value == "=HYPERLINK(\"http://x\")" and formula_cell.data_type == "s"
    assert formula_cell.quotePrefix
    assert ws["E12"].alignment.wrap_text and ws.column_dimensions["E"].width == 90
    assert ws.oddFooter.center.text == "Page &P of &N" and ws.page_setup.fitToWidth == 1
    buffer = io.BytesIO()
    write_csv_zip(report, buffer)
    with zipfile.ZipFile(buffer) as archive:
        text = archive.read("activities.csv").decode("utf-8-sig")
    cells = [row for row in csv.reader(io.StringIO(text))]
    assert cells[2][4] == "'=HYPERLINK(\"http://x\")"
    assert cells[-1][4] == "'@SUM(A1) is not a formula"


def test_the_naloxone_report_has_no_activities_sheet(db, sites):
    report = f.run_report("naloxone", parse_quarter("FY2027Q1", 7, "UTC"))
    assert "Activities" not in [s.name for s in report.sheets]
    assert date(2026, 7, 1) == report.period.first_day
