"""What a report is, independent of the file format it is written to."""
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from inventory.settings.services import DEFAULT_SUPPRESSION_THRESHOLD
from reports.periods import Period

TEMPLATES = {"funder": "Funder workbook", "naloxone": "Naloxone report"}


@dataclass(frozen=True)
class ReportSettings:
    program_name: str = "Outreach Supply Tracker"
    timezone: str = "UTC"
    fiscal_year_start_month: int = 7
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    syringes_per_pound: int = 281

    @classmethod
    def from_row(cls, row: dict | None) -> "ReportSettings":
        """Settings from the ``program_settings`` row; defaults when there is none yet."""
        if not row:
            return cls()
        return cls(program_name=row.get("program_name") or cls.program_name,
                   timezone=row.get("timezone") or cls.timezone,
                   fiscal_year_start_month=int(row.get("fiscal_year_start_month")
                                               or cls.fiscal_year_start_month),
                   suppression_threshold=int(row.get("suppression_threshold")
                                             or cls.suppression_threshold),
                   syringes_per_pound=int(row.get("syringes_per_pound")
                                          or cls.syringes_per_pound))


@dataclass
class ChartSpec:
    """A native clustered/stacked bar chart over the sheet's first ``rows`` data rows."""

    title: str
    category_column: str
    value_columns: list[str]
    rows: int
    y_title: str = "Units"
    stacked: bool = True


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    # Excel number format per column; columns not listed are text or plain integers.
    formats: dict[str, str] = field(default_factory=dict)
    # Columns holding counts of people; a string in them is a suppressed cell.
    person_columns: list[str] = field(default_factory=list)
    frozen_columns: int = 1
    total_row: bool = False
    chart: ChartSpec | None = None
    # Printed under the table (the suppression mark's meaning, flagged rows explained).
    footnotes: list[str] = field(default_factory=list)
    # Rows with a non-empty value in this column are highlighted (e.g. stock below zero).
    flag_column: str | None = None
    # Columns of long text: width in characters, text wrapped, rows as tall as their text.
    wrap_columns: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    template: str
    title: str
    period: Period
    settings: ReportSettings
    generated_at: datetime
    site_codes: list[str] | None
    sheets: list[Sheet]
    # The regulator an exact-count workbook is for (suppression off); None: suppressed as usual.
    exact_for: str | None = None
    # The report's name when it is not one of TEMPLATES (a filled form template).
    label: str | None = None

    @property
    def template_label(self) -> str:
        return self.label or TEMPLATES[self.template]

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    @property
    def filename_stem(self) -> str:
        stem = (f"{self.template}-{self.period.first_day.isoformat()}"
                f"-to-{self.period.last_day.isoformat()}")
        return f"{stem}-exact" if self.exact_for else stem
