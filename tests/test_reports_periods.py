"""Periods cut in the program timezone: fiscal quarter names and boundaries, and handouts on
either side of local midnight at a quarter's end and at daylight-saving changes."""
from datetime import UTC, date, datetime

import pytest

from reports.periods import (PeriodError, calendar_month, date_range, fiscal_quarter,
                             parse_quarter, quarter_containing)
from tests import report_factories as f


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("text, start, first, last, label", [
    ("FY2027Q1", 7, date(2026, 7, 1), date(2026, 9, 30), "FY2027 Q1 (Jul–Sep 2026)"),
    ("FY2027 Q3", 7, date(2027, 1, 1), date(2027, 3, 31), "FY2027 Q3 (Jan–Mar 2027)"),
    ("fy2027-q4", 7, date(2027, 4, 1), date(2027, 6, 30), "FY2027 Q4 (Apr–Jun 2027)"),
    ("FY2027Q1", 10, date(2026, 10, 1), date(2026, 12, 31), "FY2027 Q1 (Oct–Dec 2026)"),
    ("FY2027Q1", 11, date(2026, 11, 1), date(2027, 1, 31), "FY2027 Q1 (Nov 2026–Jan 2027)"),
    ("FY2026Q1", 1, date(2026, 1, 1), date(2026, 3, 31), "FY2026 Q1 (Jan–Mar 2026)"),
])
def test_fiscal_quarters(text, start, first, last, label):
    period = parse_quarter(text, start, "UTC")
    assert (period.first_day, period.last_day) == (first, last)
    assert period.label == label
    assert len(period.months) == 3


def test_quarter_containing_and_bad_input():
    assert quarter_containing(date(2026, 11, 27), 7, "UTC").label == "FY2027 Q2 (Oct–Dec 2026)"
    assert quarter_containing(date(2026, 3, 1), 1, "UTC").label == "FY2026 Q1 (Jan–Mar 2026)"
    for bad in ("2027Q1", "FY2027Q5", "", "FY27Q1"):
        with pytest.raises(PeriodError):
            parse_quarter(bad, 7, "UTC")
    with pytest.raises(PeriodError):
        date_range(date(2026, 2, 1), date(2026, 1, 1), "UTC")


def test_boundaries_are_local_midnights_in_utc():
    quarter = fiscal_quarter(2027, 1, 7, "America/New_York")
    assert quarter.start_utc == utc(2026, 7, 1, 4)   # EDT, UTC-4
    assert quarter.end_utc == utc(2026, 10, 1, 4)
    winter = calendar_month(2026, 12, "America/New_York")
    assert winter.start_utc == utc(2026, 12, 1, 5)   # EST, UTC-5
    # November 2026 holds the fall-back day: it starts at UTC-4 and ends at UTC-5.
    november = calendar_month(2026, 11, "America/New_York")
    assert (november.start_utc, november.end_utc) == (utc(2026, 11, 1, 4), utc(2026, 12, 1, 5))
    months = fiscal_quarter(2027, 2, 7, "America/New_York").months
    assert [m.label for m in months] == ["2026-10", "2026-11", "2026-12"]
    assert months[1].start_utc == utc(2026, 11, 1, 4) and months[1].end_utc == utc(2026, 12, 1, 5)


def _encounters(period) -> object:
    summary = f.run_report("funder", period).sheet("Summary").frame
    return dict(zip(summary["Indicator"], summary["Value"]))["Encounters"]


def _twelve(site: str, at: datetime):
    # 12 handouts, so the count is above the threshold and shown.
    for _ in range(12):
        f.handout(site, at, {"SYR-1ML-28G": 1})


def test_quarter_end_at_local_midnight(db):
    f.settings("America/New_York")
    _twelve("A", utc(2026, 10, 1, 3, 30))   # 23:30 on 30 Sep, New York: in Q1
    _twelve("A", utc(2026, 10, 1, 4, 30))   # 00:30 on 1 Oct: in Q2
    db.session.commit()
    q1 = parse_quarter("FY2027Q1", 7, "America/New_York")
    q2 = parse_quarter("FY2027Q2", 7, "America/New_York")
    assert _encounters(q1) == 12 and _encounters(q2) == 12
    month = f.run_report("funder", q1).sheet("By month").frame
    assert month.set_index("Month").loc["2026-09", "Encounters"] == 12
    # In UTC both would fall on 1 October.
    assert _encounters(parse_quarter("FY2027Q1", 7, "UTC")) == 0


def test_fall_back_day_has_25_hours(db):
    """1 Nov 2026: New York falls back from UTC-4 to UTC-5 at 02:00 local."""
    f.settings("America/New_York")
    _twelve("A", utc(2026, 11, 2, 4, 30))   # 23:30 on 1 Nov (EST): still 1 Nov
    _twelve("A", utc(2026, 11, 2, 5, 30))   # 00:30 on 2 Nov
    _twelve("A", utc(2026, 11, 1, 4, 30))   # 00:30 on 1 Nov (EDT): 1 Nov
    _twelve("A", utc(2026, 11, 1, 3, 30))   # 23:30 on 31 Oct (EDT)
    db.session.commit()
    tz = "America/New_York"
    assert _encounters(date_range(date(2026, 11, 1), date(2026, 11, 1), tz)) == 24
    assert _encounters(date_range(date(2026, 11, 2), date(2026, 11, 2), tz)) == 12
    assert _encounters(date_range(date(2026, 10, 31), date(2026, 10, 31), tz)) == 12
    by_month = f.run_report("funder", date_range(date(2026, 10, 1), date(2026, 11, 30), tz)
                            ).sheet("By month").frame.set_index("Month")
    assert by_month.loc["2026-10", "Encounters"] == 12
    assert by_month.loc["2026-11", "Encounters"] == 36


def test_spring_forward_day_has_23_hours(db):
    """8 Mar 2026: New York springs forward from UTC-5 to UTC-4; quarter FY2026 Q3 ends 31 Mar."""
    f.settings("America/New_York")
    _twelve("A", utc(2026, 3, 9, 3, 30))    # 23:30 on 8 Mar (EDT)
    _twelve("A", utc(2026, 3, 9, 4, 30))    # 00:30 on 9 Mar
    _twelve("A", utc(2026, 3, 8, 4, 30))    # 23:30 on 7 Mar (EST)
    _twelve("A", utc(2026, 4, 1, 3, 30))    # 23:30 on 31 Mar: last day of FY2026 Q3
    db.session.commit()
    tz = "America/New_York"
    assert _encounters(date_range(date(2026, 3, 8), date(2026, 3, 8), tz)) == 12
    assert _encounters(date_range(date(2026, 3, 9), date(2026, 3, 9), tz)) == 12
    assert _encounters(parse_quarter("FY2026Q3", 7, tz)) == 48
    assert _encounters(parse_quarter("FY2026Q4", 7, tz)) == 0
