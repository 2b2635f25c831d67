"""The naloxone workbook: kits and doses distributed, kits used and reversals reported,
by site, by month and by site and month - what naloxone programs report to the state."""
import pandas as pd

from reports.funder import _objects
from reports.indicators import LABELS
from reports.model import ChartSpec, ReportSettings, Sheet
from reports.suppression import SUPPRESSED_MARK, SuppressionPlan
from reports.tables import collect

SUPPLY = ["naloxone_kits", "naloxone_doses"]
PEOPLE = ["naloxone_used", "reversals_reported"]
KEYS = SUPPLY + PEOPLE + ["encounters"]
FORMAT = "#,##0"


def plan_naloxone(site_month: pd.DataFrame, by_site, by_month, total, threshold: int) -> set:
    """Site x month cells add up to site totals, month totals and the program total."""
    plan = SuppressionPlan(threshold)
    sites, months = list(by_site.index), list(by_month.index)
    for key in PEOPLE + ["encounters"]:
        plan.add(("total", key), total[key])
        for s in sites:
            plan.add(("site", s, key), by_site.loc[s, key])
            for m in months:
                plan.add(("sm", s, m, key), site_month.loc[(s, m), key])
            plan.line([("sm", s, m, key) for m in months], ("site", s, key))
        for m in months:
            plan.add(("month", m, key), by_month.loc[m, key])
            plan.line([("sm", s, m, key) for s in sites], ("month", m, key))
        plan.line([("site", s, key) for s in sites], ("total", key))
        plan.line([("month", m, key) for m in months], ("total", key))
    return plan.solve()


def build_naloxone_sheets(conn, period, site_ids, settings: ReportSettings,
                          say=lambda _m: None) -> list[Sheet]:
    threshold = settings.suppression_threshold
    agg = collect(conn, period, site_ids, people=False)
    say("Suppressing small counts of people")
    hidden = plan_naloxone(agg.site_month, agg.by_site, agg.by_month, agg.total, threshold)

    def values(kind_key, row) -> dict:
        return {LABELS[k]: (SUPPRESSED_MARK if (*kind_key, k) in hidden
                            else int(row[k])) for k in KEYS}

    names = agg.sites.set_index("site_id")
    month_labels = [m.label for m in period.months]
    total = values(("total",), agg.total)
    person = [LABELS[k] for k in PEOPLE + ["encounters"]]
    formats = {LABELS[k]: FORMAT for k in KEYS}
    summary = _objects([{"Indicator": k, "Value": v} for k, v in total.items()],
                       ["Indicator", "Value"])
    by_site = _objects([{"Site": names.loc[s, "site_code"], "Site name": names.loc[s, "site_name"],
                         **values(("site", s), agg.by_site.loc[s])} for s in agg.by_site.index]
                       + [{"Site": "Total", "Site name": "All selected sites", **total}],
                       ["Site", "Site name", *formats])
    by_month = _objects([{"Month": month_labels[m], **values(("month", m), agg.by_month.loc[m])}
                         for m in agg.by_month.index] + [{"Month": "Total", **total}],
                        ["Month", *formats])
    site_month = _objects([{"Site": names.loc[s, "site_code"], "Month": month_labels[m],
                            **values(("sm", s, m), agg.site_month.loc[(s, m)])}
                           for s, m in agg.site_month.index], ["Site", "Month", *formats])
    return [
        Sheet("Summary", summary, formats={"Value": FORMAT}, person_columns=["Value"]),
        Sheet("By site", by_site, formats=formats, person_columns=person, frozen_columns=2,
              total_row=True),
        Sheet("By month", by_month, formats=formats, person_columns=person, total_row=True,
              chart=ChartSpec("Naloxone kits and doses distributed by month", "Month",
                              [LABELS["naloxone_kits"], LABELS["naloxone_doses"]],
                              rows=len(month_labels), y_title="Kits / doses", stacked=False)),
        Sheet("Site x month", site_month, formats=formats, person_columns=person,
              frozen_columns=2),
    ]
