"""The funder workbook: Summary, By site, By month, Items, Inventory, Demographics, Notes."""
import pandas as pd

from inventory.catalog.models import ITEM_CATEGORIES
from inventory.labels import label
from inventory.participants.models import GENDERS, RACE_ETHNICITIES, STORED_AGE_RANGES
from reports import breakdowns as bd
from reports import linkage, survey_sheet
from reports.age_bands import NHBS_DIMENSION, nhbs_counts
from reports.indicators import CATEGORY_COLUMNS, INDICATORS, LABELS, PERSON_KEYS
from reports.inventory_sheet import BELOW_ZERO_FOOTNOTE, inventory_frame
from reports.model import ChartSpec, ReportSettings, Sheet
from reports.suppression import SUPPRESSED_MARK, SuppressionPlan
from reports.tables import Aggregates, collect

RATIO_FORMAT = "0.00"
COUNT_FORMAT = "#,##0"
DIMENSIONS = [("Age range", "age_range", STORED_AGE_RANGES), ("Gender", "gender", GENDERS),
              ("Race / ethnicity", "race_ethnicity", RACE_ETHNICITIES)]
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"


def _demographic_counts(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(dimension, value, participants) for every value, in the canonical order."""
    rows = []
    for title, column, values in DIMENSIONS:
        counts = frame.groupby(frame[column].fillna(NOT_RECORDED))["participants"].sum() \
            if not frame.empty else pd.Series(dtype="int64")
        for value in (*values, NOT_RECORDED):
            shown = NOT_RECORDED_LABEL if value == NOT_RECORDED else label(column, value)
            rows.append((title, shown, int(counts.get(value, 0))))
        if column == "age_range":
            rows += nhbs_counts(counts, NOT_RECORDED, NOT_RECORDED_LABEL)
    return rows


def plan_suppression(agg: Aggregates, demographics, threshold: int, extra=()) -> set:
    """Cells to hide across Summary, By site, By month and Demographics; ``extra`` are
    callables that add their own cells and lines to the plan (issue 15's figures).

    See :mod:`reports.suppression` for the rule and the lines that tie the sheets together.
    """
    plan = SuppressionPlan(threshold)
    for key in PERSON_KEYS:
        total = ("total", key)
        plan.add(total, agg.total[key])
        for site_id, value in agg.by_site[key].items():
            plan.add(("site", site_id, key), value)
        for month, value in agg.by_month[key].items():
            plan.add(("month", month, key), value)
        plan.line([("site", s, key) for s in agg.by_site.index], total)
        plan.line([("month", m, key) for m in agg.by_month.index], total)
    if demographics is not None:
        for title in [t for t, *_ in DIMENSIONS] + [NHBS_DIMENSION]:
            cells = [(("demo", t, v), n) for t, v, n in demographics if t == title]
            for cell, value in cells:
                plan.add(cell, value)
            plan.line([cell for cell, _ in cells], ("total", "unique_participants"))
    for add in extra:
        add(plan)
    return plan.solve()


def _cell(value, key, hidden: set, threshold: int):
    return SUPPRESSED_MARK if key in hidden else value


def _indicator_rows(table: pd.DataFrame, kind: str, hidden: set, threshold: int) -> list[dict]:
    rows = []
    for index, row in table.iterrows():
        rows.append({LABELS[key]: (_cell(int(row[key]), (kind, index, key), hidden, threshold)
                                   if key in PERSON_KEYS else _plain(row[key], key))
                     for key, *_ in INDICATORS})
    return rows


def _plain(value, key: str):
    """A supply figure as a Python int (the ratio as a float, or None when undefined)."""
    if value is None or pd.isna(value):
        return None
    return float(value) if key == "return_ratio" else int(value)


def _total_row(agg: Aggregates, hidden: set, threshold: int) -> dict:
    return {LABELS[key]: (_cell(int(agg.total[key]), ("total", key), hidden, threshold)
                          if key in PERSON_KEYS else _plain(agg.total[key], key))
            for key, *_ in INDICATORS}


def _formats(columns) -> dict[str, str]:
    return {c: (RATIO_FORMAT if c == LABELS["return_ratio"] else COUNT_FORMAT) for c in columns}


def build_funder_sheets(conn, period, site_ids, settings: ReportSettings,
                        say=lambda _m: None) -> list[Sheet]:
    threshold = settings.suppression_threshold
    agg = collect(conn, period, site_ids)
    demo_frame = agg.demographics
    collected = not demo_frame.empty and demo_frame[
        ["age_range", "gender", "race_ethnicity"]].notna().any().any()
    demographics = _demographic_counts(demo_frame) if collected else None
    figures = linkage.collect_figures(conn, period, site_ids, settings.syringes_per_pound)
    survey = survey_sheet.survey_counts(conn, period, site_ids)
    say("Suppressing small counts of people")
    breakdowns = bd.collect_breakdowns(agg)
    hidden = plan_suppression(agg, demographics, threshold, extra=(
        lambda plan: linkage.plan_cells(plan, figures),
        lambda plan: survey_sheet.plan_cells(plan, survey),
        lambda plan: bd.plan_breakdowns(plan, breakdowns)))
    person_labels = [LABELS[k] for k in PERSON_KEYS]
    total = _total_row(agg, hidden, threshold)

    more = [(k, v) for k, v, _ in linkage.summary_rows(figures, hidden, SUPPRESSED_MARK)]
    summary = _objects([{"Indicator": k, "Value": v} for k, v in [*total.items(), *more]]
                       + bd.summary_rows(breakdowns, hidden, SUPPRESSED_MARK),
                       ["Indicator", "Value"])
    sheets = [Sheet("Summary", summary, formats={"Value": COUNT_FORMAT}, person_columns=["Value"])]

    names = agg.sites.set_index("site_id")
    site_rows = [{"Site": names.loc[s, "site_code"], "Site name": names.loc[s, "site_name"], **row,
                  **bd.site_cells(breakdowns, s, hidden, SUPPRESSED_MARK)}
                 for s, row in zip(agg.by_site.index,
                                   _indicator_rows(agg.by_site, "site", hidden, threshold))]
    site_rows.append({"Site": "Total", "Site name": "All selected sites", **total,
                      **bd.site_cells(breakdowns, None, hidden, SUPPRESSED_MARK)})
    by_site = _objects(site_rows, ["Site", "Site name", *total, *bd.SITE_COLUMNS])
    sheets.append(Sheet("By site", by_site, formats=_formats(total),
                        person_columns=person_labels + bd.SITE_COLUMNS[1:],
                        frozen_columns=2, total_row=True))

    month_rows = [
        {"Month": period.months[m].label, **row,
         **{CATEGORY_COLUMNS[c]: int(agg.by_month.loc[m, f"cat_{c}"]) for c in ITEM_CATEGORIES}}
        for m, row in zip(agg.by_month.index,
                          _indicator_rows(agg.by_month, "month", hidden, threshold))]
    month_rows.append({"Month": "Total", **total, **{
        CATEGORY_COLUMNS[c]: int(agg.total[f"cat_{c}"]) for c in ITEM_CATEGORIES}})
    by_month = _objects(month_rows, ["Month", *total, *CATEGORY_COLUMNS.values()])
    sheets.append(Sheet(
        "By month", by_month, formats=_formats(list(total) + list(CATEGORY_COLUMNS.values())),
        person_columns=person_labels, total_row=True,
        chart=ChartSpec("Units distributed by category and month", "Month",
                        list(CATEGORY_COLUMNS.values()), rows=len(period.months))))

    sheets.append(Sheet("Items", _items_frame(agg), formats={}, frozen_columns=2, total_row=True))
    say("Inventory: opening and closing stock from the ledger")
    inventory = inventory_frame(period, agg.items, agg.sites, agg.movements, agg.closing_lots,
                                agg.lots)
    below_zero = inventory["Check"].notna().any() if len(inventory) else False
    sheets.append(Sheet("Inventory", inventory, frozen_columns=3,
                        formats={c: COUNT_FORMAT for c in inventory.columns[3:-1]},
                        flag_column="Check",
                        footnotes=[BELOW_ZERO_FOOTNOTE] if below_zero else []))
    if demographics is not None:
        demo = _objects([{"Characteristic": t, "Value": v,
                          "Participants": _cell(n, ("demo", t, v), hidden, threshold)}
                         for t, v, n in demographics], ["Characteristic", "Value", "Participants"])
        sheets.append(Sheet("Demographics", demo, formats={"Participants": COUNT_FORMAT},
                            person_columns=["Participants"], frozen_columns=2))
    if figures.survey_responses:
        rows = survey_sheet.survey_rows(survey, figures.survey_responses, hidden,
                                        SUPPRESSED_MARK)
        sheets.append(Sheet("Survey", _objects(rows, ["Question", "Answer", "Responses"]),
                            formats={"Responses": COUNT_FORMAT}, person_columns=["Responses"],
                            frozen_columns=2))
    return sheets


def _objects(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A frame of mixed cells (numbers and suppression labels), kept as Python objects."""
    return pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns,
                        dtype=object)


def _items_frame(agg: Aggregates) -> pd.DataFrame:
    """Units distributed per site (rows) and item (columns, catalogue display order)."""
    names = agg.sites.set_index("site_id")
    item_names = agg.items["name"].tolist()
    rows = []
    for site_id, units in agg.items_by_site.iterrows():
        values = [int(v) for v in units.tolist()]
        rows.append([names.loc[site_id, "site_code"], names.loc[site_id, "site_name"], *values,
                     sum(values)])
    totals = [int(v) for v in agg.items_by_site.sum(axis=0).tolist()]
    rows.append(["Total", "All selected sites", *totals, sum(totals)])
    return pd.DataFrame(rows, columns=["Site", "Site name", *item_names, "Total"], dtype=object)
