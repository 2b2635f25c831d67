"""Reporting periods cut in the program's local timezone.

A period is a run of whole local days. Its boundaries are computed in Python with ``zoneinfo``
(so daylight-saving changes are honoured) and converted to UTC; queries compare the stored UTC
timestamps with those UTC instants, and months are bucketed with a SQL ``CASE`` over the UTC month
starts, which works the same on SQLite and PostgreSQL.

Errors: :class:`PeriodError` (a ``ValueError``) for a malformed quarter or an empty date range.
"""
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_QUARTER = re.compile(r"^\s*FY\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period that cannot be built from the input."""


@dataclass(frozen=True)
class Month:
    """One local calendar month (or the part of it inside a period)."""

    label: str          # "2026-07"
    start_utc: datetime
    end_utc: datetime   # exclusive


@dataclass(frozen=True)
class Period:
    """Local days ``first_day`` .. ``last_day`` inclusive, in ``timezone``."""

    first_day: date
    last_day: date
    timezone: str
    label: str
    months: tuple[Month, ...] = field(default=(), compare=False)
    code: str | None = None  # "FY2027Q1" for a fiscal quarter, else None

    @property
    def start_utc(self) -> datetime:
        return local_midnight_utc(self.first_day, self.timezone)

    @property
    def end_utc(self) -> datetime:
        """Exclusive end: local midnight after the last day, in UTC."""
        return local_midnight_utc(self.last_day + timedelta(days=1), self.timezone)


def local_midnight_utc(day: date, timezone: str) -> datetime:
    """The UTC instant of local midnight starting ``day``."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(first_day: date, last_day: date, timezone: str) -> tuple[Month, ...]:
    months, cursor = [], first_day
    while cursor <= last_day:
        upto = min(next_month(cursor), last_day + timedelta(days=1))
        months.append(Month(label=f"{cursor.year:04d}-{cursor.month:02d}",
                            start_utc=local_midnight_utc(cursor, timezone),
                            end_utc=local_midnight_utc(upto, timezone)))
        cursor = upto
    return tuple(months)


def _build(first_day: date, last_day: date, timezone: str, label: str,
           code: str | None = None) -> Period:
    if last_day < first_day:
        raise PeriodError("The period ends before it starts.")
    ZoneInfo(timezone)  # raises for an unknown zone
    months = _months(first_day, last_day, timezone)
    return Period(first_day, last_day, timezone, label, months, code)


def fiscal_quarter(fiscal_year: int, quarter: int, start_month: int, timezone: str) -> Period:
    """Quarter ``quarter`` (1-4) of fiscal year ``fiscal_year``.

    A fiscal year is named after the calendar year it ends in: with a July start, FY2027 runs
    July 2026 to June 2027, and FY2027 Q1 is July-September 2026. With a January start the fiscal
    year equals the calendar year.
    """
    if not 1 <= quarter <= 4 or not 1 <= start_month <= 12:
        raise PeriodError("Quarter must be 1-4 and the fiscal year start month 1-12.")
    year = fiscal_year - 1 if start_month != 1 else fiscal_year
    month0 = start_month - 1 + (quarter - 1) * 3
    first = date(year + month0 // 12, month0 % 12 + 1, 1)
    end_month0 = month0 + 3
    last = date(year + end_month0 // 12, end_month0 % 12 + 1, 1) - timedelta(days=1)
    label = (f"FY{fiscal_year} Q{quarter} ({MONTH_ABBR[first.month - 1]}–"
             f"{MONTH_ABBR[last.month - 1]} {last.year})")
    if first.year != last.year:
        label = (f"FY{fiscal_year} Q{quarter} ({MONTH_ABBR[first.month - 1]} {first.year}–"
                 f"{MONTH_ABBR[last.month - 1]} {last.year})")
    return _build(first, last, timezone, label, f"FY{fiscal_year}Q{quarter}")


def parse_quarter(text: str, start_month: int, timezone: str) -> Period:
    """Parse ``FY2027Q1`` (also ``FY2027 Q1``, ``fy2027-q1``)."""
    match = _QUARTER.match(text or "")
    if not match:
        raise PeriodError(f"Quarter {text!r} is not like FY2027Q1.")
    return fiscal_quarter(int(match.group(1)), int(match.group(2)), start_month, timezone)


def quarter_containing(day: date, start_month: int, timezone: str) -> Period:
    """The fiscal quarter that contains local ``day``."""
    offset = (day.month - start_month) % 12
    fiscal_year = day.year + (1 if start_month != 1 and day.month >= start_month else 0)
    return fiscal_quarter(fiscal_year, offset // 3 + 1, start_month, timezone)


def calendar_month(year: int, month: int, timezone: str) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError("Month must be 1-12.")
    first = date(year, month, 1)
    last = next_month(first) - timedelta(days=1)
    return _build(first, last, timezone, f"{MONTH_ABBR[month - 1]} {year}")


def date_range(first_day: date, last_day: date, timezone: str) -> Period:
    label = f"{first_day.isoformat()} to {last_day.isoformat()}"
    return _build(first_day, last_day, timezone, label)
