"""Worked example (issue 15): a quarter of handouts with on-site services, linkage, secondary
exchange units, reversals by supply source, returns counted / estimated / weighed, sharps sent
for destruction and point-in-time survey responses - all recorded through the API - and the
funder workbook's figures, each computed by hand below. Threshold 3: counts of people and
person-events from 1 to 2 are hidden."""
import io
import uuid
from datetime import date

import openpyxl
import pytest

from inventory.extensions import db
from inventory.survey.models import SurveyWindow
from reports.periods import parse_quarter
from reports.xlsx import write_xlsx
from tests import report_factories as f
from tests.api_helpers import bearer, encounter_body

S = "*"
SYR28, SYR27, NARCAN, IM = "SYR-1ML-28G", "SYR-1ML-27G", "NARCAN-4MG", "NALOXONE-IM"

# (site, ISO time, items, participant code, fields) - FY2027 Q1 is Jul-Sep 2026, UTC.
VISITS = [
    ("A", "2026-07-03T15:00:00+00:00", [(SYR28, 20), (NARCAN, 1)], "PONE0101",
     {"services": ["hiv_test", "hcv_test"], "secondary_syringes": 10, "syringes_returned": 15,
      "reversals_reported": 2, "reversals_with_program_naloxone": 1,
      "entered_treatment_reported": 1}),
    ("A", "2026-07-10T15:00:00+00:00", [(SYR28, 10)], "PTWO0202",
     {"services": ["hiv_test"], "returns_weight_lb": 1.5}),
    ("A", "2026-08-05T15:00:00+00:00", [(NARCAN, 2)], "PONE0101",
     {"services": ["naloxone_training"], "reversals_reported": 1,
      "reversals_with_program_naloxone": 1}),
    ("B", "2026-08-20T15:00:00+00:00", [(SYR27, 30)], "PTHREE03",
     {"services": ["hiv_test", "vaccination"], "syringes_returned": 40,
      "returns_estimated": True, "secondary_syringes": 30, "returns_weight_lb": 2.25,
      "entered_treatment_reported": 1}),
    ("B", "2026-09-09T15:00:00+00:00", [(IM, 1)], None,
     {"services": ["wound_care"], "reversals_reported": 3}),
    ("B", "2026-09-12T15:00:00+00:00", [(NARCAN, 1)], "PFOUR004",
     {"services": ["hiv_test"], "entered_treatment_reported": 2}),
]
VOIDED = ("A", "2026-09-15T15:00:00+00:00", [(SYR28, 5)], "PTWO0202",
          {"services": ["hiv_test"], "secondary_syringes": 5, "returns_weight_lb": 10})
LATER = ("A", "2026-10-02T15:00:00+00:00", [(SYR28, 5)], "PFIVE005",
         {"services": ["hiv_test", "hcv_test"], "entered_treatment_reported": 5})
# Survey responses: (site, date, answers).
RESPONSES = [
    ("A", "2026-07-07", {"own_overdoses_3m": 0, "reversals_witnessed": 1, "age_range": "25_29",
                         "gender": "woman"}),
    ("A", "2026-07-07", {"own_overdoses_3m": 2, "reversals_witnessed": 0, "age_range": "30_34",
                         "gender": "man"}),
    ("A", "2026-07-08", {"age_range": "25_29"}),
    ("B", "2026-08-01", {"own_overdoses_3m": 1, "reversals_witnessed": 3, "gender": "man",
                         "race_ethnicity": "white"}),
    ("B", "2026-08-01", {}),
]
# Sharps sent for destruction: (site, date, containers, weight).
DISPOSALS = [("A", "2026-07-20", 3, None), ("B", "2026-09-01", 0, "12.5"),
             ("B", "2026-10-05", 7, None)]


def _post(client, headers, url, body):
    response = client.post(url, headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _visit(client, headers, visit):
    site, at, items, code, fields = visit
    body = encounter_body(site, items, occurred_at=at, backdated=True, **fields)
    if code:
        body["participant_code"] = code
    return _post(client, headers, "/api/v1/encounters", body)


@pytest.fixture
def workbook(client, db):
    f.settings("UTC", threshold=3, fiscal_start=7)
    a, b = f.site("A"), f.site("B")
    db.session.add(SurveyWindow(first_day=date(2026, 7, 1), last_day=date(2026, 9, 30),
                                sites=[a, b]))
    db.session.commit()
    coordinator = bearer("coordinator")
    for visit in VISITS:
        _visit(client, coordinator, visit)
    voided = _visit(client, coordinator, VOIDED)
    assert client.post(f"/api/v1/encounters/{voided['id']}/void", headers=coordinator,
                       json={"reason": "entered twice"}).status_code == 200
    _visit(client, coordinator, LATER)
    for site, day, answers in RESPONSES:
        _post(client, coordinator, "/api/v1/survey-responses",
              {"client_id": str(uuid.uuid4()), "site": site, "date": day, **answers})
    for site, day, containers, weight in DISPOSALS:
        _post(client, coordinator, "/api/v1/sharps-disposals",
              {"client_id": str(uuid.uuid4()), "site": site, "disposed_on": day,
               "containers": containers, "weight_lb": weight})
    db.session.rollback()
    report = f.run_report("funder", parse_quarter("FY2027Q1", 7, "UTC"))
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def _summary(wb) -> dict:
    return {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=2, values_only=True)
            if row[0] is not None}


def test_summary_figures_worked_by_hand(workbook):
    summary = _summary(workbook)
    # Services: HIV test at visits 1, 2, 4, 6 (the void and October's do not count) = 4;
    # HCV test visit 1; vaccination visit 4; wound care visit 5; naloxone training visit 3:
    # 1 each, hidden (1-2); STI screening 0.
    assert summary["Services delivered: HIV test"] == 4
    for name in ("HCV test", "Vaccination", "Wound care", "Naloxone training"):
        assert summary[f"Services delivered: {name}"] == S, name
    assert summary["Services delivered: STI screening"] == 0
    # Entered treatment: 1 (visit 1) + 1 (visit 4) + 2 (visit 6) = 4.
    assert summary["Entered treatment (reported)"] == 1 + 1 + 2
    # Secondary units: 10 (visit 1) + 30 (visit 4); the voided visit's 5 are out. Supplies:
    # never hidden.
    assert summary["Syringes for secondary exchange"] == 10 + 30
    # Naloxone reach: naloxone went to PONE (visits 1 and 3: once), PFOUR (visit 6) and to a
    # visit without a code (5, not counted): 2 people, hidden.
    assert summary["Naloxone reach: unique participants who received naloxone"] == S
    # Reversals: 2 + 1 + 3 = 6 reported; 1 + 1 = 2 with our naloxone (hidden), 6 - 2 = 4 with
    # another: shown alone, 4 would give the 2 away (6 - 4), so it is hidden too; the total 6
    # stays shown.
    assert summary["Overdose reversals reported"] == 2 + 1 + 3
    assert summary["Reversals with the program's naloxone"] == S
    assert summary["Reversals with naloxone from another source"] == S
    # Returns: counted 15 (visit 1), estimated 40 (visit 4): 55 returned in all; weighed
    # 1.5 + 2.25 = 3.75 lb, at 281 per lb = 1053.75, rounded 1054.
    assert summary["Syringes returned"] == 15 + 40
    assert summary["Syringes returned: counted"] == 15
    assert summary["Syringes returned: estimated"] == 40
    assert summary["Syringes returned by weight (lb)"] == pytest.approx(1.5 + 2.25)
    assert summary["Syringes returned by weight, at 281 per lb"] == round(3.75 * 281)
    # Sharps: 3 containers (Jul 20) and 12.5 lb (Sep 1); October's 7 are outside.
    assert summary["Sharps containers sent for destruction"] == 3
    assert summary["Sharps sent for destruction (lb)"] == pytest.approx(12.5)
    # Survey: 5 responses in the quarter.
    assert summary["Point-in-time survey responses"] == len(RESPONSES)


def test_survey_sheet_worked_by_hand(workbook):
    rows = {(r[0], r[1]): r[2] for r in workbook["Survey"].iter_rows(min_row=2, values_only=True)
            if r[0] is not None and r[1] is not None}
    assert rows[("All questions", "Responses")] == 5
    # Own overdoses: none 1 (0), 1 or more 2 (2 and 1), skipped 2 - all 1-2, hidden.
    own = "Own overdoses in the last 3 months"
    assert [rows[(own, a)] for a in ("None", "1 or more", "Skipped")] == [S, S, S]
    # Overdoses reported in all: 0 + 2 + 1 = 3, shown; reversals witnessed 1 + 0 + 3 = 4.
    assert rows[("Overdoses reported (respondents' own, last 3 months)", "Total reported")] == 3
    assert rows[("Overdose reversals witnessed (total)", "Total reported")] == 4
    # Age: 25-29 twice, 30-34 once, skipped twice (hidden); other bands 0.
    assert rows[("Age range", "25–29")] == S and rows[("Age range", "30–34")] == S
    assert rows[("Age range", "Skipped")] == S and rows[("Age range", "40–44")] == 0
    # Race: white 1 (hidden) and skipped 4: the only other non-zero cell of a line whose total
    # (5) is shown, so it is hidden as well (secondary).
    assert rows[("Race / ethnicity", "White")] == S
    assert rows[("Race / ethnicity", "Skipped")] == S
    notes = {r[0]: r[1] for r in workbook["Notes"].iter_rows(min_row=2, values_only=True)}
    assert "no link to a handout" in notes["Survey sheet"]


def test_survey_responses_below_the_threshold_are_hidden(client, db):
    f.settings("UTC", threshold=3, fiscal_start=7)
    site = f.site("A")
    db.session.add(SurveyWindow(first_day=date(2026, 7, 1), last_day=date(2026, 7, 31),
                                sites=[site]))
    db.session.commit()
    coordinator = bearer("coordinator")
    for _ in range(2):
        _post(client, coordinator, "/api/v1/survey-responses",
              {"client_id": str(uuid.uuid4()), "site": "A", "date": "2026-07-02",
               "age_range": "18_24"})
    db.session.rollback()
    report = f.run_report("funder", parse_quarter("FY2027Q1", 7, "UTC"))
    summary = dict(zip(*[report.sheets[0].frame[c].tolist() for c in ("Indicator", "Value")]))
    assert summary["Point-in-time survey responses"] == S
    survey = report.sheets[[s.name for s in report.sheets].index("Survey")].frame
    assert set(survey["Responses"]) <= {S, 0}
