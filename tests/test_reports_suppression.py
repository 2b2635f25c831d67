"""Suppression, as hypothesis properties: no visible person-count cell holds 1..threshold-1, and
no hidden cell is the only hidden cell of a row or column whose total is shown - on its own sheet
or another (the Summary's totals are the By site / By month Total rows; demographics add up to
the Summary's unique participants)."""
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from inventory.encounters.models import Encounter, EncounterItem, EncounterReferral
from inventory.participants.models import Participant
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from reports.funder import plan_suppression
from reports.indicators import LABELS, PERSON_KEYS
from reports.naloxone import plan_naloxone
from reports.periods import parse_quarter
from reports.suppression import SUPPRESSED_MARK, SuppressionPlan, derivable_cells
from tests import report_factories as f

counts = st.integers(min_value=0, max_value=30)


def _matrix(draw, sites, months):
    return [[draw(counts) for _ in range(months)] for _ in range(sites)]


@st.composite
def aggregates(draw):
    """Per person indicator, a random site x month matrix and the tables it adds up to."""
    sites, months = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    by_site = pd.DataFrame(index=range(sites))
    by_month = pd.DataFrame(index=range(months))
    total = {}
    for key in PERSON_KEYS:
        matrix = _matrix(draw, sites, months) if draw(st.booleans()) else [[0] * months] * sites
        by_site[key] = [sum(row) for row in matrix]
        by_month[key] = [sum(col) for col in zip(*matrix)]
        total[key] = sum(by_site[key])
    return SimpleNamespace(by_site=by_site, by_month=by_month, total=pd.Series(total))


def _demographics(draw_list, unique_total):
    rows = []
    for title, values in draw_list:
        remaining = unique_total
        for i, value in enumerate(values):
            n = remaining if i == len(values) - 1 else min(value, remaining)
            remaining -= n
            rows.append((title, f"v{i}", n))
    return rows


@given(agg=aggregates(), threshold=st.integers(2, 12),
       splits=st.lists(st.integers(0, 15), min_size=2, max_size=5))
@settings(max_examples=300, deadline=None)
def test_funder_plan_hides_small_cells_and_leaves_no_lone_hidden_cell(agg, threshold, splits):
    demographics = _demographics([("Age range", splits), ("Gender", list(reversed(splits)))],
                                 int(agg.total["unique_participants"]))
    hidden = plan_suppression(agg, demographics, threshold)
    cells = {("total", k): agg.total[k] for k in PERSON_KEYS}
    lines = []
    for key in PERSON_KEYS:
        cells.update({("site", s, key): v for s, v in agg.by_site[key].items()})
        cells.update({("month", m, key): v for m, v in agg.by_month[key].items()})
        lines.append([("site", s, key) for s in agg.by_site.index] + [("total", key)])
        lines.append([("month", m, key) for m in agg.by_month.index] + [("total", key)])
    for title in ("Age range", "Gender"):
        members = [("demo", t, v) for t, v, _ in demographics if t == title]
        cells.update({("demo", t, v): n for t, v, n in demographics if t == title})
        lines.append(members + [("total", "unique_participants")])
    for cell, value in cells.items():
        if 0 < value < threshold:
            assert cell in hidden, cell
    assert not derivable_cells(hidden, lines)
    # Subtraction check written out: a visible total minus the visible cells never isolates one
    # hidden cell.
    for line in lines:
        if line[-1] not in hidden:
            lone = [c for c in line[:-1] if c in hidden]
            assert len(lone) != 1, line


@given(data=st.data(), threshold=st.integers(2, 12))
@settings(max_examples=200, deadline=None)
def test_naloxone_site_by_month_grid(data, threshold):
    sites, months = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3))
    keys = ["naloxone_used", "reversals_reported", "encounters"]
    grids = {k: _matrix(data.draw, sites, months) for k in keys}
    index = pd.MultiIndex.from_product([range(sites), range(months)])
    site_month = pd.DataFrame({k: [grids[k][s][m] for s, m in index] for k in keys}, index=index)
    by_site = pd.DataFrame({k: [sum(r) for r in grids[k]] for k in keys})
    by_month = pd.DataFrame({k: [sum(c) for c in zip(*grids[k])] for k in keys})
    total = pd.Series({k: int(by_site[k].sum()) for k in keys})
    hidden = plan_naloxone(site_month, by_site, by_month, total, threshold)
    lines = []
    for k in keys:
        for s in range(sites):
            lines.append([("sm", s, m, k) for m in range(months)] + [("site", s, k)])
            for m in range(months):
                value = grids[k][s][m]
                assert (0 < value < threshold) <= (("sm", s, m, k) in hidden)
        for m in range(months):
            lines.append([("sm", s, m, k) for s in range(sites)] + [("month", m, k)])
        lines.append([("site", s, k) for s in range(sites)] + [("total", k)])
        lines.append([("month", m, k) for m in range(months)] + [("total", k)])
    assert not derivable_cells(hidden, lines)


def test_secondary_suppression_picks_the_next_smallest_cell():
    plan = SuppressionPlan(threshold=11)
    for key, value in {"a": 5, "b": 40, "c": 12, "d": 0, "t": 57}.items():
        plan.add(key, value)
    plan.line(["a", "b", "c", "d"], "t")
    assert plan.solve() == {"a", "c"}  # 12 is the smallest non-zero visible cell
    assert SUPPRESSED_MARK == "*"


def _wipe(db):
    for stmt in (delete(EncounterReferral), delete(EncounterItem), delete(Encounter),
                 delete(StockEventLine), delete(StockBalance),
                 delete(StockEvent).where(StockEvent.reverses_id.is_not(None)),
                 delete(StockEvent), delete(Participant)):
        db.session.execute(stmt)
    db.session.flush()


# (site index, day of quarter, participant index or None, reversals, voided)
handouts = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 91), st.none() | st.integers(0, 8),
                              st.integers(0, 3), st.booleans()), max_size=40)


@given(rows=handouts)
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_workbook_on_random_data(db, rows):
    """The same properties, read from the sheets of a workbook built from random handouts."""
    _wipe(db)
    f.settings("America/Chicago", threshold=11)
    start = datetime(2026, 7, 1, 12, tzinfo=UTC)
    people = [f.participant(f"h{i}", start) for i in range(9)]
    for site, day, who, reversals, voided in rows:
        enc = f.handout("ABC"[site], start + timedelta(days=day), {"SYR-1ML-28G": 1},
                        who=None if who is None else people[who], reversals=reversals)
        if voided:
            f.void(enc, start + timedelta(days=100))
    db.session.flush()
    report = f.run_report("funder", parse_quarter("FY2027Q1", 7, "America/Chicago"))
    summary = dict(zip(report.sheet("Summary").frame["Indicator"],
                       report.sheet("Summary").frame["Value"]))
    label = SUPPRESSED_MARK
    for name in ("By site", "By month"):
        frame = report.sheet(name).frame
        body, total = frame.iloc[:-1], frame.iloc[-1]
        for key in PERSON_KEYS:
            column = LABELS[key]
            assert total[column] == summary[column]  # the Summary total is this Total row
            values = body[column].tolist() + [total[column]]
            assert not any(isinstance(v, int) and 0 < v < 11 for v in values), (name, column)
            if key != "unique_participants" and total[column] != label:
                visible = [v for v in body[column] if v != label]
                assert sum(visible) <= total[column]
            assert sum(v == label for v in values) != 1, (name, column, values)
    db.session.rollback()
