"""Form templates as data: each shipped template filled from a small hand-made quarter (issue 15's
encounter fields included), every figure worked out by hand below; validation that fails loudly;
a new template that needs no code; the command and the reports page.

The quarter (FY2027 Q1, UTC; A is a fixed site, M a mobile one):
  1. A, Jul 1, fixed site, p1 (18-24): 20 syringes + 1 NARCAN; 10 returned (counted); HIV and
     HCV tests; treatment referral; entered treatment 1; 5 syringes for others; 2 reversals, 1
     with our naloxone.
  2. A, Jul 15, outreach, p2 (25-29): 30 syringes; 15 returned (estimated) and 2.0 lb weighed;
     HIV test; 10 syringes for others.
  3. M, Aug 3, mobile unit, p3 (older band 35-44): 10 syringes + 2 NARCAN; 1.0 lb weighed;
     naloxone training; 1 reversal, with our naloxone.
  4. M, Sep 9, mobile unit, no code: 5 fentanyl test strips; medical referral.
  5. A, Sep 20, fixed site, p1: 1 NARCAN; entered treatment 1.
  A voided handout (A, Aug 1: 50 syringes, HIV test) counts nowhere. Sharps: A sent 2 containers,
  12.5 lb on Sep 30. Survey: 2 responses at A in August. Activities: 2 community-relations events
  (30 + 20 people), 1 law-enforcement briefing (15), 1 training (8); hours of A and M; a
  narrative for the quarter and one for the fiscal year.
"""
import io
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from inventory.activity import services as activity
from inventory.catalog.models import Site
from inventory.encounters.models import EncounterService
from inventory.errors import InvalidInput
from inventory.extensions import db as _db
from inventory.onsite.models import SharpsDisposal
from inventory.reporting import services
from inventory.survey.models import SurveyResponse, SurveyWindow
from reports.form_templates import TemplateError, load_template, parse_template, template_names
from reports.periods import date_range, parse_quarter
from reports.xlsx import write_xlsx
from tests import report_factories as f
from tests.api_helpers import fast_user

S = "*"
SYR, NARCAN, FTS = "SYR-1ML-28G", "NARCAN-4MG", "FTS"
YEAR = ("2026-07-01", "2027-06-30")
REGULATOR = "State health department"


def at(month, day):
    return datetime(2026, month, day, 16, tzinfo=UTC)


def _handout(site, when, items, who=None, kind="site", services_=(), treatment=0,
             secondary_syringes=0, program_reversals=0, weight=None, **kw):
    enc = f.handout(site, when, items, who=who, kind=kind, **kw)
    enc.entered_treatment_reported = treatment
    enc.secondary_syringes = secondary_syringes
    enc.reversals_with_program_naloxone = program_reversals
    enc.returns_weight_lb = Decimal(weight) if weight else None
    for code in services_:
        _db.session.add(EncounterService(encounter_id=enc.id, service_code=code))
    _db.session.flush()
    return enc


@pytest.fixture
def quarter(db):
    f.settings("UTC", threshold=3)
    _db.session.add_all([Site(code="A", name="Harbor", kind="fixed", active=True),
                         Site(code="M", name="Van", kind="mobile", active=True)])
    _db.session.flush()
    p1 = f.participant("p1", at(7, 1), age="18_24")
    p2 = f.participant("p2", at(7, 15), age="25_29")
    p3 = f.participant("p3", at(8, 3), age="older_35_44")
    _handout("A", at(7, 1), {SYR: 20, NARCAN: 1}, who=p1, returned=10,
             services_=["hiv_test", "hcv_test"], referrals=["treatment_moud"], treatment=1,
             secondary_syringes=5, reversals=2, program_reversals=1)
    _handout("A", at(7, 15), {SYR: 30}, who=p2, kind="outreach", returned=15, estimated=True,
             weight="2.0", services_=["hiv_test"], secondary_syringes=10)
    _handout("M", at(8, 3), {SYR: 10, NARCAN: 2}, who=p3, kind="mobile", weight="1.0",
             services_=["naloxone_training"], reversals=1, program_reversals=1)
    _handout("M", at(9, 9), {FTS: 5}, kind="mobile", referrals=["medical"])
    _handout("A", at(9, 20), {NARCAN: 1}, who=p1, treatment=1)
    f.void(_handout("A", at(8, 1), {SYR: 50}, services_=["hiv_test"]), at(8, 1))
    _db.session.add(SharpsDisposal(client_id=uuid.uuid4(), fingerprint="f" * 64,
                                   site_id=f.site("A").id, disposed_on=date(2026, 9, 30),
                                   containers=2, weight_lb=Decimal("12.5")))
    window = SurveyWindow(first_day=date(2026, 8, 1), last_day=date(2026, 8, 31))
    _db.session.add(window)
    _db.session.flush()
    for day in (5, 6):
        _db.session.add(SurveyResponse(client_id=uuid.uuid4(), fingerprint="f" * 64,
                                       window_id=window.id, site_id=f.site("A").id,
                                       response_date=date(2026, 8, day)))
    for kind, day, site, people in [("community_relations", date(2026, 7, 10), "A", 30),
                                    ("community_relations", date(2026, 8, 20), None, 20),
                                    ("law_enforcement", date(2026, 9, 1), "M", 15),
                                    ("training", date(2026, 9, 2), "A", 8)]:
        activity.add_event(kind, day, site, people, "program event")
    activity.save_site_hours("A", "Mon–Fri 10:00–16:00", "12 Harbor Rd")
    activity.save_site_hours("M", "Tue, Thu 18:00–21:00", "Van: Oak Park lot")
    activity.save_narrative(date(2026, 7, 1), date(2026, 9, 30), "A quarter of outreach.")
    activity.save_narrative(date(2026, 7, 1), date(2027, 6, 30), "Our first year with a van.")
    _db.session.commit()


# Every figure of the quarter, worked out by hand from the list above.
HAND = {
    "encounters": 5, "unique_participants": 3, "new_participants": 3,
    "syringes_distributed": 20 + 30 + 10, "syringes_returned": 10 + 15,
    "syringes_returned_counted": 10, "syringes_returned_estimated": 15,
    "returns_weight_lb": 2.0 + 1.0, "syringes_returned_by_weight": 3 * 281,
    "secondary_syringes": 5 + 10, "secondary_people": 0,
    "naloxone_kits": 1 + 2 + 1, "naloxone_doses": (1 + 2 + 1) * 2, "naloxone_reach": 2,
    "reversals_reported": 2 + 1, "reversals_program_naloxone": 1 + 1,
    "reversals_other_naloxone": 3 - 2, "entered_treatment": 1 + 1,
    "service_hiv_test": 2, "service_hcv_test": 1, "service_sti_screening": 0,
    "service_vaccination": 0, "service_wound_care": 0, "service_naloxone_training": 1,
    "referral_treatment_moud": 1, "referral_medical": 1, "referral_hiv_hcv_testing": 0,
    "referral_mental_health": 0, "fentanyl_test_strips": 5,
    "encounters_model_site": 2, "encounters_model_outreach": 1, "encounters_model_mobile": 2,
    "encounters_model_peer": 0, "encounters_model_delivery": 0,
    "encounters_site_kind_fixed": 3, "encounters_site_kind_mobile": 2,
    "sharps_containers": 2, "sharps_weight_lb": 12.5, "survey_responses": 2,
    "age_nhbs_18_24": 1, "age_nhbs_25_29": 1, "age_nhbs_30_39": 0, "age_nhbs_40_49": 0,
    "age_nhbs_50_plus": 0, "age_older_band": 1,
    "events_community_relations": 2, "events_law_enforcement": 1, "events_training": 1,
    "attendance_law_enforcement": 15, "attendance_training": 8,
    "hours_and_locations": "A · Harbor: Mon–Fri 10:00–16:00 — 12 Harbor Rd; "
                           "M · Van: Tue, Thu 18:00–21:00 — Van: Oak Park lot",
}
SUMS = {("syringes_returned", "syringes_returned_by_weight"): 25 + 843}


def _expected(template, narrative: str) -> dict:
    hand = {**HAND, "narrative": narrative}
    out = {}
    for _, fields in template.sections:
        for field in fields:
            out[field.id] = SUMS[field.indicators] if field.summed else hand[field.indicators[0]]
    return out


def _fill(name: str, first: str, last: str, exact_for=REGULATOR):
    admin = fast_user("admin")
    req = services.ReportRequest(period_kind="range", date_from=date.fromisoformat(first),
                                 date_to=date.fromisoformat(last), template=name,
                                 exact_for=exact_for)
    report = services.make_report(req, user=admin)
    _db.session.rollback()
    return report


def _values(report) -> dict:
    return {row[1]: row[3] for row in report.sheet("Form").frame.itertuples(index=False)}


@pytest.mark.parametrize("name, period, narrative", [
    ("ca-cdph-annual", YEAR, "Our first year with a van."),
    ("nc-annual", YEAR, "Our first year with a van."),
    ("ut-quarterly", ("2026-07-01", "2026-09-30"), "A quarter of outreach."),
])
def test_each_shipped_template_filled_exactly(app, quarter, name, period, narrative):
    template = load_template(name)
    report = _fill(name, *period)
    assert _values(report) == _expected(template, narrative)
    assert report.template_label == template.title and report.exact_for == REGULATOR
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    wb = openpyxl.load_workbook(buffer)
    ws = wb["Form"]
    assert [c.value for c in ws[1]] == ["Section", "Field", "Question", "Value", "Source"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1" and ws.oddFooter.center.text == "Page &P of &N"
    assert ws.oddHeader.center.text.endswith(f"· {template.title} · {report.period.label}")
    assert ws.oddHeader.left.text == f"Exact counts for {REGULATOR} — not for publication"
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(min_row=2, values_only=True)}
    assert notes["Form"] == template.title and notes["Issued by"] == template.issuer


def test_suppressed_form_shows_the_workbooks_marks(app, quarter):
    """Without exact counts a form value is the funder workbook's cell: a hidden count stays
    hidden (threshold 3: entered treatment 2, the treatment referral 1, the HIV-testing
    referral 0 is shown), supplies are exact."""
    form = _values(_fill("ut-quarterly", "2026-07-01", "2026-09-30", exact_for=None))
    funder = f.run_report("funder", parse_quarter("FY2027Q1", 7, "UTC"))
    summary = dict(zip(*[funder.sheet("Summary").frame[c] for c in ("Indicator", "Value")]))
    assert form["D5"] == summary["Entered treatment (reported)"] == S
    assert form["D1"] == summary["Referrals: Treatment / MOUD"] == S
    assert form["D3"] == 0 and form["A3"] == 5 and form["A1"] == 3
    assert form["B1"] == 60 and form["B3"] == 25 + 843 and form["B4"] == 2


def test_a_new_template_needs_no_code(app, quarter, tmp_path):
    folder = tmp_path / "report-forms"
    folder.mkdir()
    (folder / "mn-six-month.json").write_text(json.dumps({
        "title": "Minnesota six-month progress report", "issuer": "MDH", "period": "any",
        "sections": [{"title": "Counts", "fields": [
            {"id": "1", "label": "Syringes", "indicator": "syringes_distributed"},
            {"id": "2", "label": "Naloxone doses", "indicator": "naloxone_doses"}]}]}))
    app.instance_path, old = str(tmp_path), app.instance_path
    try:
        assert "mn-six-month" in services.form_templates()[0]
        report = _fill("mn-six-month", "2026-07-01", "2026-08-31")
    finally:
        app.instance_path = old
    # July and August only: handouts 1-3 (20 + 30 + 10 syringes; 1 + 2 NARCAN twin packs).
    assert _values(report) == {"1": 60, "2": (1 + 2) * 2}


@pytest.mark.parametrize("raw, message", [
    ({"period": "year", "title": "T", "issuer": "I", "sections": [{"title": "S", "fields": [
        {"id": "1", "label": "HIV tests", "indicator": "hiv_tests"}]}]},
     "Template t, section 1, field 1: unknown indicator 'hiv_tests'. Did you mean"),
    ({"period": "year", "title": "T", "issuer": "I", "sections": [{"title": "S", "fields": [
        {"id": "1", "label": "x", "indicator": "encounters"},
        {"id": "1", "label": "y", "indicator": "encounters"}]}]}, "field 1: the id is used twice"),
    ({"period": "month", "title": "T", "issuer": "I", "sections": []}, "period must be one of"),
    ({"period": "year", "title": "T", "issuer": "I", "sections": [{"title": "S", "fields": [
        {"id": "1", "label": "x", "sum": ["encounters", "naloxone_reach"]}]}]},
     "'encounters' cannot be summed"),
    ({"period": "year", "title": "T", "issuer": "I", "sections": [{"title": "S", "fields": [
        {"id": "1", "label": "x"}]}]}, "give either indicator or sum"),
    ([], "the file must hold one JSON object"),
])
def test_validation_fails_loudly(raw, message):
    with pytest.raises(TemplateError, match=None) as caught:
        parse_template("t", raw)
    assert message in str(caught.value), str(caught.value)


def test_shipped_templates_validate_and_bad_requests_name_the_field(app, quarter):
    assert {"ca-cdph-annual", "nc-annual", "ut-quarterly"} <= set(template_names())
    for name in template_names():
        load_template(name)
    for name, first, last, message in [
        ("ca-cdph-annual", "2026-07-01", "2026-09-30", "covers a year"),
        ("ut-quarterly", "2026-07-01", "2026-10-15", "covers a quarter"),
        ("nope", "2026-07-01", "2026-09-30", "No form template named 'nope'"),
        ("../etc/passwd", "2026-07-01", "2026-09-30", "No form template named"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            _fill(name, first, last, exact_for=None)
        assert caught.value.field == "template" and message in caught.value.message
    assert date_range(date(2026, 7, 1), date(2027, 6, 30), "UTC").months[-1].label == "2027-06"


def test_command_and_page(app, client, login_as, quarter, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "ut.xlsx"
    result = runner.invoke(args=["report", "--template", "ut-quarterly", "--quarter", "FY2027Q1",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Form"]
    assert [ws.cell(row=r, column=4).value for r in range(2, 5)] == [3, 3, 5]
    result = runner.invoke(args=["report", "--template", "ca-cdph-annual", "--quarter",
                                 "FY2027Q1", "--out", str(out)])
    assert result.exit_code == 2 and "covers a year" in result.output
    result = runner.invoke(args=["report-forms"])
    assert result.exit_code == 0 and "ut-quarterly" in result.output
    result = runner.invoke(args=["report-indicators"])
    assert "syringes_returned_by_weight" in result.output and "narrative" in result.output

    login_as("reporter")
    page = client.get("/reports/").get_data(as_text=True)
    for name in ("ca-cdph-annual", "nc-annual", "ut-quarterly"):
        assert f'value="{name}"' in page
    query = "period=range&from=2026-07-01&to=2027-06-30&template=nc-annual"
    preview = client.get(f"/reports/?{query}")
    assert preview.status_code == 200
    assert "North Carolina Safer Syringe Initiative" in preview.get_data(as_text=True)
    download = client.get(f"/reports/download.xlsx?{query}")
    assert download.status_code == 200
    assert "nc-annual-2026-07-01-to-2027-06-30.xlsx" in download.headers["Content-Disposition"]
    values = {r[1]: r[3] for r in openpyxl.load_workbook(io.BytesIO(download.data))[
        "Form"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert values["8"] == 60 and values["13"] == 25 + 843 and values["25"] == \
        "Our first year with a van."
    bad = client.get("/reports/?period=quarter&quarter=FY2027Q1&template=nc-annual")
    assert bad.status_code == 422 and "covers a year" in bad.get_data(as_text=True)
