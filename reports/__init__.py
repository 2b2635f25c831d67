"""Report builders (pure: a connection, a period and a site filter in; DataFrames out) and writers.

Use :func:`build_report` to get a :class:`~reports.model.Report`, then
:func:`reports.xlsx.write_xlsx` or :func:`reports.csvzip.write_csv_zip` to turn it into a file.
"""
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection

from reports import queries
from reports import exact
from reports.activity import NOTE as ACTIVITY_NOTE, activities_sheet
from reports.breakdowns import DEFINITIONS as BREAKDOWN_DEFINITIONS
from reports.indicators import INDICATORS, suppression_rule
from reports.inventory_sheet import BELOW_ZERO_NOTE
from reports.model import TEMPLATES, Report, ReportSettings, Sheet
from reports.parallel import tune_report_transaction
from reports.periods import Period
from reports.suppression import SUPPRESSED_MARK, footnote



def load_settings(conn: Connection) -> ReportSettings:
    """Program settings (timezone, fiscal year, threshold); defaults when none are saved."""
    return ReportSettings.from_row(queries.settings_row(conn))


def _suppression_notes(settings: ReportSettings, exact_for: str | None) -> list[tuple]:
    if exact_for:
        return [("Suppression", "None: " + exact.marking(exact_for)), *exact.notes_rows(exact_for)]
    return [("Suppression threshold", settings.suppression_threshold),
            (f"Hidden cells ({SUPPRESSED_MARK})", footnote(settings.suppression_threshold)),
            ("Suppression rule", suppression_rule(settings.suppression_threshold))]


def _notes(template: str, period: Period, settings: ReportSettings, site_codes, generated_at,
           exact_for: str | None = None):
    local = generated_at.astimezone(ZoneInfo(settings.timezone))
    rows = [
        ("Program", settings.program_name),
        ("Report", TEMPLATES[template]),
        ("Period", period.label),
        ("First day (local)", period.first_day.isoformat()),
        ("Last day (local)", period.last_day.isoformat()),
        ("Timezone", settings.timezone),
        ("Period in UTC", f"{period.start_utc.isoformat()} to {period.end_utc.isoformat()} "
                          "(end excluded)"),
        ("Sites", ", ".join(site_codes) if site_codes else "All sites"),
        ("Generated at (UTC)", generated_at.astimezone(UTC).isoformat(timespec="seconds")),
        ("Generated at (local)", local.isoformat(timespec="seconds")),
        ("About the figures",
         "Figures are taken from the database as it stood when generated. Voided handouts are "
         "excluded; a void or late entry recorded afterwards changes a re-run of this period."),
        *_suppression_notes(settings, exact_for),
        ("Months", "Calendar months in the program timezone; the period's first and last months "
                   "may be partial for a date range."),
    ]
    rows += [(f"Definition: {label}", text) for _, label, _, text in INDICATORS]
    if template == "funder":
        from reports.linkage import definitions

        rows += [(f"Definition: {label}", text) for label, text in definitions()]
        rows.append(("Survey sheet", "Point-in-time survey responses by answer; every answer "
                                     "may be skipped. Responses are stored with no link to a "
                                     "handout, a participant code or a time of day."))
        rows += [*BREAKDOWN_DEFINITIONS, ("Definition: Activities sheet", ACTIVITY_NOTE)]
    rows += [
        ("Definition: Items sheet", "Units handed out per site and item, net of voided handouts; "
                                    "item columns follow the catalogue's display order."),
        ("Definition: Inventory sheet",
         "Per site and item, from the stock ledger: Opening + Received + Transferred in - "
         "Transferred out - Distributed - Disposed + Adjusted / counted = Closing. Corrections "
         "count with the movement they correct. Expiring within 90 days: closing stock in lots "
         "that expire on or before the last day plus 90 days, already expired stock included."),
        ("Inventory: closing below zero", BELOW_ZERO_NOTE),
    ]
    return pd.DataFrame(rows, columns=["Field", "Value"])


def build_report(conn: Connection, template: str, period: Period,
                 site_ids: Collection[int] | None = None, site_codes: list[str] | None = None,
                 settings: ReportSettings | None = None, generated_at: datetime | None = None,
                 progress: Callable[[str], None] | None = None,
                 exact_for: str | None = None) -> Report:
    """Build the ``template`` report ("funder" or "naloxone"); raises ValueError for others.

    ``exact_for`` names the regulator of an exact-count workbook: nothing is suppressed and
    every sheet is marked (:mod:`reports.exact`); RecipientError for an unprintable name.
    """
    from reports.funder import build_funder_sheets
    from reports.naloxone import build_naloxone_sheets

    if template not in TEMPLATES:
        raise ValueError(f"Unknown report template {template!r}.")
    say = progress or (lambda _message: None)
    settings = settings or load_settings(conn)
    exact_for = exact.clean_recipient(exact_for) if exact_for is not None else None
    # A threshold of 1 hides nothing: no count lies between 1 and 0.
    counting = replace(settings, suppression_threshold=1) if exact_for else settings
    generated_at = generated_at or datetime.now(UTC)
    say(f"Aggregating {period.label} in SQL")
    tune_report_transaction(conn)
    builder = build_funder_sheets if template == "funder" else build_naloxone_sheets
    sheets = builder(conn, period, site_ids, counting, say)
    if template == "funder":
        sheets.append(activities_sheet(conn, period, site_ids))
    for sheet in sheets:
        if exact_for:
            sheet.footnotes.insert(0, exact.marking(exact_for) + ".")
        elif sheet.person_columns:
            sheet.footnotes.insert(0, footnote(settings.suppression_threshold))
    sheets.append(Sheet("Notes", _notes(template, period, settings, site_codes, generated_at,
                                        exact_for), frozen_columns=1))
    title = f"{settings.program_name} - {TEMPLATES[template]} - {period.label}"
    if exact_for:
        title += f" - {exact.marking(exact_for)}"
    return Report(template, title, period, settings, generated_at, site_codes, sheets, exact_for)
