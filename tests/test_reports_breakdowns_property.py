"""Hypothesis: whatever the mix of service models and site kinds, no breakdown cell can be worked
out by subtraction from what the workbook shows (no line holds exactly one hidden cell), every
small count is hidden, and every shown breakdown cell is the true value."""
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventory.catalog.models import SITE_KINDS, Site
from inventory.encounters.models import ENCOUNTER_TYPES
from inventory.labels import label
from reports import breakdowns as bd
from reports import build_report, load_settings
from reports.periods import parse_quarter
from reports.suppression import SUPPRESSED_MARK as S
from tests import report_factories as f
from tests.test_reports_suppression import _wipe

THRESHOLD = 4
SITES = {"BKA": "fixed", "BKB": "fixed", "BKM": "mobile", "BKP": "pharmacy"}
# (site, service model, day of the quarter)
visits = st.lists(st.tuples(st.sampled_from(sorted(SITES)), st.sampled_from(ENCOUNTER_TYPES),
                            st.integers(0, 91)), max_size=40)


def _sites(db):
    for code, kind in SITES.items():
        if db.session.scalar(select(Site).where(Site.code == code)) is None:
            db.session.add(Site(code=code, name=code, kind=kind, active=True))
    db.session.flush()


def _lines(summary: dict, by_site) -> list[list]:
    rows = by_site[by_site["Site"] != "Total"]
    total = by_site[by_site["Site"] == "Total"].iloc[0]
    models = [bd.site_model_column(m) for m in ENCOUNTER_TYPES]
    lines = [[*r[models], r["Encounters"]] for _, r in rows.iterrows()]
    lines += [[*rows[c], total[c]] for c in models]
    lines.append([*(summary[bd.model_row(m)] for m in ENCOUNTER_TYPES), summary["Encounters"]])
    lines.append([*(summary[bd.kind_row(k)] for k in SITE_KINDS), summary["Encounters"]])
    for kind in SITE_KINDS:
        of_kind = rows[rows["Site kind"] == label("site_kind", kind)]
        if len(of_kind):
            lines.append([*of_kind["Encounters"], summary[bd.kind_row(kind)]])
    return lines


@given(rows=visits)
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_breakdowns_leave_no_cell_to_subtraction(db, rows):
    _wipe(db)
    f.settings("UTC", threshold=THRESHOLD)
    _sites(db)
    start = datetime(2026, 7, 1, 12, tzinfo=UTC)
    for site, model, day in rows:
        f.handout(site, start + timedelta(days=day), {"SYR-1ML-28G": 3}, kind=model)
    conn = db.session.connection().execution_options(report_serial=True)  # uncommitted rows
    period = parse_quarter("FY2027Q1", 7, "UTC")
    program = load_settings(conn)
    shown = build_report(conn, "funder", period, settings=program)
    true = build_report(conn, "funder", period,
                        settings=replace(program, suppression_threshold=1))

    def tables(report):
        frame = report.sheet("Summary").frame
        return dict(zip(frame["Indicator"], frame["Value"], strict=True)), \
            report.sheet("By site").frame

    summary, by_site = tables(shown)
    true_summary, true_by_site = tables(true)
    for line in _lines(summary, by_site):
        assert sum(1 for v in line if v == S) != 1, line
    pairs = [(summary[k], true_summary[k]) for k in summary if k.startswith("Encounters by")]
    pairs += [(a, b) for column in bd.SITE_COLUMNS[1:]
              for a, b in zip(by_site[column], true_by_site[column], strict=True)]
    for shown_value, true_value in pairs:
        if 0 < true_value < THRESHOLD:
            assert shown_value == S
        assert shown_value in (S, true_value)
    counted = sum(1 for _ in rows)
    assert true_summary["Encounters"] == counted
    assert sum(true_summary[bd.model_row(m)] for m in ENCOUNTER_TYPES) == counted
    db.session.rollback()
