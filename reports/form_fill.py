"""Fill a form template from the funder workbook of the same period, sites and mode.

The result is a :class:`~reports.model.Report` with a "Form" sheet (section, field, question,
value, source) and a "Notes" sheet, written by the same writers as every report, so it prints
like the workbook (:mod:`reports.xlsx_print`) and keeps text from becoming a formula.
"""
from datetime import UTC
from zoneinfo import ZoneInfo

import pandas as pd

from reports import exact
from reports.form_indicators import REGISTRY, Facts
from reports.form_templates import FormTemplate, check_period
from reports.model import Report, Sheet
from reports.suppression import SUPPRESSED_MARK, footnote

COLUMNS = ["Section", "Field", "Question", "Value", "Source"]


def _value(field, facts: Facts):
    values = [REGISTRY[name].read(facts) for name in field.indicators]
    if not field.summed:
        return values[0]
    # Supply figures only (checked when the template was read): never a hidden mark.
    total = sum(values)
    return round(total, 2) if isinstance(total, float) else total


def _source(field) -> str:
    labels = [REGISTRY[name].label for name in field.indicators]
    return " + ".join(labels)


def form_rows(template: FormTemplate, facts: Facts) -> list[list]:
    return [[section, field.id, field.label, _value(field, facts), _source(field)]
            for section, fields in template.sections for field in fields]


def _notes(template: FormTemplate, funder: Report) -> pd.DataFrame:
    settings = funder.settings
    local = funder.generated_at.astimezone(ZoneInfo(settings.timezone))
    rows = [
        ("Form", template.title), ("Issued by", template.issuer),
        ("Template", f"{template.name} (reports/forms or the instance's report-forms folder)"),
        ("Program", settings.program_name), ("Period", funder.period.label),
        ("First day (local)", funder.period.first_day.isoformat()),
        ("Last day (local)", funder.period.last_day.isoformat()),
        ("Sites", ", ".join(funder.site_codes) if funder.site_codes else "All sites"),
        ("Generated at (UTC)", funder.generated_at.astimezone(UTC).isoformat(timespec="seconds")),
        ("Generated at (local)", local.isoformat(timespec="seconds")),
        ("Where the values come from",
         "Each value is a cell of the funder workbook for the same period and sites (the Source "
         "column names it; its definition is on that workbook's Notes sheet). A sum adds supply "
         "figures only."),
    ]
    if funder.exact_for:
        rows += [("Suppression", "None: " + exact.marking(funder.exact_for)),
                 *exact.notes_rows(funder.exact_for)]
    else:
        rows.append((f"Hidden cells ({SUPPRESSED_MARK})",
                     footnote(settings.suppression_threshold)))
    return pd.DataFrame(rows, columns=["Field", "Value"], dtype=object)


def fill_form(template: FormTemplate, funder: Report, service_names: dict) -> Report:
    """The filled form; TemplateError when the funder report's period does not fit the form."""
    check_period(template, funder.period)
    facts = Facts.from_report(funder, service_names)
    frame = pd.DataFrame(form_rows(template, facts), columns=COLUMNS, dtype=object)
    note = exact.marking(funder.exact_for) + "." if funder.exact_for else \
        footnote(funder.settings.suppression_threshold)
    sheets = [
        Sheet("Form", frame, formats={"Value": "#,##0"}, person_columns=["Value"],
              frozen_columns=3, footnotes=[note], wrap_columns={"Question": 50, "Value": 40,
                                                                "Source": 40}),
        Sheet("Notes", _notes(template, funder), frozen_columns=1),
    ]
    title = f"{funder.settings.program_name} - {template.title} - {funder.period.label}"
    if funder.exact_for:
        title += f" - {exact.marking(funder.exact_for)}"
    return Report(template.name, title, funder.period, funder.settings, funder.generated_at,
                  funder.site_codes, sheets, funder.exact_for, label=template.title)
