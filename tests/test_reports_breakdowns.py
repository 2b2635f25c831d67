"""Worked example: encounters and syringes by service model and by site kind, suppressed by hand.

Threshold 3 (counts 1-2 hidden). Sites: A (fixed), M (mobile), P (pharmacy); in July 2026:
- A: 4 fixed-site encounters of 10 syringes, 1 street-outreach encounter of 5 syringes;
- M: 3 mobile-unit encounters of 10 syringes;
- P: 2 delivery encounters of 20 syringes (and one more, voided: never counted).
"""
from datetime import UTC, datetime

import pytest

from inventory.catalog.models import Site
from inventory.extensions import db as _db
from reports.periods import parse_quarter
from tests import report_factories as f

S = "*"
SYR = "SYR-1ML-28G"
MODELS = ["Fixed site", "Street outreach", "Mobile unit", "Delivery or mail", "Peer distribution"]
KINDS = ["Fixed", "Mobile", "Pharmacy", "Peer", "Warehouse"]


def _site(code, kind):
    _db.session.add(Site(code=code, name=f"Site {code}", kind=kind, active=True))
    _db.session.flush()


@pytest.fixture
def quarter(db):
    f.settings("UTC", threshold=3)
    _site("A", "fixed"), _site("M", "mobile"), _site("P", "pharmacy")
    at = lambda day: datetime(2026, 7, day, 16, tzinfo=UTC)  # noqa: E731
    for day in range(1, 5):
        f.handout("A", at(day), {SYR: 10}, kind="site")
    f.handout("A", at(5), {SYR: 5}, kind="outreach")
    for day in range(6, 9):
        f.handout("M", at(day), {SYR: 10}, kind="mobile")
    f.handout("P", at(9), {SYR: 20}, kind="delivery")
    f.handout("P", at(10), {SYR: 20}, kind="delivery")
    f.void(f.handout("P", at(11), {SYR: 20}, kind="delivery"), at(11))
    db.session.commit()
    return parse_quarter("FY2027Q1", 7, "UTC")


def _summary(report) -> dict:
    frame = report.sheet("Summary").frame
    return dict(zip(frame["Indicator"], frame["Value"], strict=True))


def test_exact_breakdowns_add_up(quarter):
    report = f.run_report("funder", quarter, exact_for="Test regulator")
    summary = _summary(report)
    encounters = {"Fixed site": 4, "Street outreach": 1, "Mobile unit": 3, "Delivery or mail": 2,
                  "Peer distribution": 0}
    syringes = {"Fixed site": 4 * 10, "Street outreach": 5, "Mobile unit": 3 * 10,
                "Delivery or mail": 2 * 20, "Peer distribution": 0}
    for model in MODELS:
        assert summary[f"Encounters by service model: {model}"] == encounters[model]
        assert summary[f"Syringes distributed by service model: {model}"] == syringes[model]
    kinds = {"Fixed": (5, 45), "Mobile": (3, 30), "Pharmacy": (2, 40), "Peer": (0, 0),
             "Warehouse": (0, 0)}
    for kind, (enc, syr) in kinds.items():
        assert summary[f"Encounters by site kind: {kind}"] == enc
        assert summary[f"Syringes distributed by site kind: {kind}"] == syr
    assert summary["Encounters"] == 4 + 1 + 3 + 2
    assert summary["Syringes distributed"] == 40 + 5 + 30 + 40
    by_site = report.sheet("By site").frame.set_index("Site")
    assert by_site.loc["A", "Site kind"] == "Fixed" and by_site.loc["P", "Site kind"] == "Pharmacy"
    assert by_site.loc["A", "Encounters: Fixed site"] == 4
    assert by_site.loc["A", "Encounters: Street outreach"] == 1
    assert by_site.loc["M", "Encounters: Mobile unit"] == 3
    assert by_site.loc["P", "Encounters: Delivery or mail"] == 2
    assert by_site.loc["Total", "Encounters: Delivery or mail"] == 2


def test_suppressed_breakdowns_worked_by_hand(quarter):
    """Primary: A/outreach 1, outreach 1, P/delivery 2, delivery 2, P's encounters 2, pharmacy 2.
    Secondary, line by line: sites' encounters (P alone) -> M's 3; A's models (outreach alone)
    -> A/fixed site 4 (smaller than A's 5); M's models (M alone) -> M/mobile 3; the mobile kind
    (M alone) -> mobile 3; then the fixed-site model (A/fixed alone) -> its total 4 and the
    mobile model (M/mobile alone) -> its total 3. Supplies are never hidden."""
    report = f.run_report("funder", quarter)
    summary = _summary(report)
    assert [summary[f"Encounters by service model: {m}"] for m in MODELS] == [S, S, S, S, 0]
    assert [summary[f"Syringes distributed by service model: {m}"] for m in MODELS] == \
        [40, 5, 30, 40, 0]
    assert [summary[f"Encounters by site kind: {k}"] for k in KINDS] == [5, S, S, 0, 0]
    assert [summary[f"Syringes distributed by site kind: {k}"] for k in KINDS] == \
        [45, 30, 40, 0, 0]
    assert summary["Encounters"] == 10
    by_site = report.sheet("By site").frame.set_index("Site")
    columns = [f"Encounters: {m}" for m in MODELS]
    assert by_site.loc["A", columns].tolist() == [S, S, 0, 0, 0]
    assert by_site.loc["M", columns].tolist() == [0, 0, S, 0, 0]
    assert by_site.loc["P", columns].tolist() == [0, 0, 0, S, 0]
    assert by_site.loc["Total", columns].tolist() == [S, S, S, S, 0]
    assert by_site["Encounters"].tolist() == [5, S, S, 10]
    assert by_site["Site kind"].tolist() == ["Fixed", "Mobile", "Pharmacy", "All kinds"]
    notes = dict(zip(*[report.sheet("Notes").frame[c] for c in ("Field", "Value")], strict=True))
    assert "Breakdown: service model" in notes and "Breakdown: site kind" in notes
