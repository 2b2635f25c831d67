"""Voided encounters are excluded; a void recorded after the period changes a re-run, and the
Notes sheet says when the figures were taken. Item columns follow the catalogue display order."""
import io
from datetime import UTC, datetime

import openpyxl
from sqlalchemy import select

from inventory.catalog.models import Item
from reports.periods import calendar_month, parse_quarter
from reports.xlsx import write_xlsx
from tests import report_factories as f


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _summary(report) -> dict:
    frame = report.sheet("Summary").frame
    return dict(zip(frame["Indicator"], frame["Value"]))


def _notes(report) -> dict:
    frame = report.sheet("Notes").frame
    return dict(zip(frame["Field"], frame["Value"]))


def test_void_after_the_period_changes_a_rerun(db):
    f.settings("UTC")
    handouts = [f.handout("A", utc(2026, 8, 1 + i, 12), {"SYR-1ML-28G": 10, "NARCAN-4MG": 1},
                          reversals=1) for i in range(12)]
    already_void = f.handout("A", utc(2026, 8, 20, 12), {"SYR-1ML-28G": 100}, reversals=5)
    f.void(already_void, utc(2026, 8, 20, 13))
    db.session.commit()
    quarter = parse_quarter("FY2027Q1", 7, "UTC")

    first = f.run_report("funder", quarter, generated_at=utc(2026, 10, 2, 9))
    assert _summary(first)["Encounters"] == 12
    assert _summary(first)["Syringes distributed"] == 120
    assert _summary(first)["Overdose reversals reported"] == 12
    assert _notes(first)["Generated at (UTC)"] == "2026-10-02T09:00:00+00:00"

    f.void(handouts[0], utc(2026, 11, 15, 10))   # recorded six weeks after the quarter closed
    db.session.commit()
    second = f.run_report("funder", quarter, generated_at=utc(2026, 11, 16, 9))
    assert _summary(second)["Encounters"] == 11
    assert _summary(second)["Syringes distributed"] == 110
    assert _summary(second)["Overdose reversals reported"] == 11
    assert _summary(second)["Naloxone kits distributed"] == 11
    assert _notes(second)["Generated at (UTC)"] == "2026-11-16T09:00:00+00:00"
    inventory = second.sheet("Inventory").frame.set_index("Item code")
    assert inventory.loc["SYR-1ML-28G", "Distributed"] == 110  # the ledger nets the reversal
    # And the written workbook carries the new time.
    buffer = io.BytesIO()
    write_xlsx(second, buffer)
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(buffer)["Notes"].iter_rows(
        min_row=2, values_only=True)}
    assert notes["Generated at (UTC)"] == "2026-11-16T09:00:00+00:00"


def test_voided_participant_is_not_new_or_unique(db):
    f.settings("UTC", threshold=1)  # threshold 1: nothing is hidden, every count visible
    early = f.participant("early", utc(2026, 6, 1))
    void_first = f.handout("A", utc(2026, 6, 1, 12), {"SYR-1ML-28G": 1}, who=early)
    f.void(void_first, utc(2026, 6, 2))
    f.handout("A", utc(2026, 7, 3, 12), {"SYR-1ML-28G": 1}, who=early)
    gone = f.participant("gone", utc(2026, 7, 4))
    f.void(f.handout("A", utc(2026, 7, 4, 12), {"SYR-1ML-28G": 1}, who=gone), utc(2026, 7, 5))
    db.session.commit()
    summary = _summary(f.run_report("funder", calendar_month(2026, 7, "UTC")))
    # "early"'s June visit was voided, so July is their first non-void encounter: new.
    assert summary["New participants"] == 1
    assert summary["Unique participants"] == 1 and summary["Encounters"] == 1


def _item_columns(report) -> list[str]:
    return list(report.sheet("Items").frame.columns[2:-1])


def test_item_columns_follow_display_order_in_every_period(db):
    f.settings("UTC")
    f.handout("A", utc(2026, 7, 3, 12), {"WOUND-KIT": 1})
    f.handout("A", utc(2026, 9, 3, 12), {"SYR-1ML-28G": 1, "FTS": 2})
    db.session.commit()
    catalogue = db.session.scalars(select(Item).order_by(Item.display_order)).all()
    expected = [i.name for i in catalogue]
    july = _item_columns(f.run_report("funder", calendar_month(2026, 7, "UTC")))
    empty = _item_columns(f.run_report("funder", calendar_month(2026, 8, "UTC")))
    sept = _item_columns(f.run_report("funder", calendar_month(2026, 9, "UTC")))
    assert july == empty == sept == expected
    # Reordering the catalogue reorders the columns, the same way in every period.
    wound = next(i for i in catalogue if i.code == "WOUND-KIT")
    wound.display_order = -1
    db.session.commit()
    moved = [wound.name] + [n for n in expected if n != wound.name]
    assert _item_columns(f.run_report("funder", calendar_month(2026, 7, "UTC"))) == moved
    assert _item_columns(f.run_report("funder", calendar_month(2026, 8, "UTC"))) == moved


def test_naloxone_template(db):
    f.settings("UTC")
    for day in range(1, 15):
        f.handout("A", utc(2026, 7, day, 12), {"NARCAN-4MG": 2}, used=1, reversals=1)
    f.handout("B", utc(2026, 8, 1, 12), {"NALOXONE-IM": 3}, used=2, reversals=1)
    db.session.commit()
    report = f.run_report("naloxone", parse_quarter("FY2027Q1", 7, "UTC"))
    assert [s.name for s in report.sheets] == ["Summary", "By site", "By month", "Site x month",
                                               "Notes"]
    summary = _summary(report)
    assert summary["Naloxone kits distributed"] == 31
    assert summary["Naloxone doses distributed"] == 62
    assert summary["Naloxone kits used (reported)"] == 16
    assert summary["Overdose reversals reported"] == 15
    by_site = report.sheet("By site").frame.set_index("Site")
    assert by_site.loc["A", "Naloxone kits distributed"] == 28
    assert by_site.loc["B", "Naloxone kits distributed"] == 3  # supplies are never hidden
    # B's 1 reversal is hidden, and so is A's 14 (else 15 - 14 would give B's away).
    assert by_site.loc["B", "Overdose reversals reported"] == "*"
    assert by_site.loc["A", "Overdose reversals reported"] == "*"
    grid = report.sheet("Site x month").frame
    assert len(grid) == 2 * 3 and list(grid.columns[:2]) == ["Site", "Month"]
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    assert openpyxl.load_workbook(buffer).sheetnames == [s.name for s in report.sheets]
