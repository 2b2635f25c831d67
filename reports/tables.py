"""Turn the SQL aggregates into indicator tables by site, by month, by site and month, and total.

Everything here works on the small frames :mod:`reports.queries` returns (at most sites x months x
items x kinds rows), never on individual encounters or ledger lines.
"""
from dataclasses import dataclass

import pandas as pd

from inventory.catalog.models import ITEM_CATEGORIES
from reports import ledger_months, queries
from reports.encounter_sql import counts_rows, people_rows, shape
from reports.indicators import CATEGORY_OF, INDICATORS
from reports.parallel import run_together
from reports.periods import Period

ADDITIVE = [key for key, *_ in INDICATORS if key not in ("unique_participants", "return_ratio")]
CATEGORY_KEYS = [f"cat_{c}" for c in ITEM_CATEGORIES]


@dataclass
class Aggregates:
    items: pd.DataFrame          # catalogue in display order
    sites: pd.DataFrame          # selected sites, by code
    site_month: pd.DataFrame     # index (site_id, month): additive indicators + cat_* units
    by_site: pd.DataFrame        # index site_id: every indicator
    by_month: pd.DataFrame       # index month: every indicator
    total: pd.Series             # every indicator, program-wide
    items_by_site: pd.DataFrame  # index site_id, columns item_id: units distributed
    movements: pd.DataFrame      # raw ledger sums (site, month, item, kind)
    demographics: pd.DataFrame   # participants served per (age range, gender, race/ethnicity)
    closing_lots: pd.DataFrame   # on hand per (site, item, lot) at the period's end
    lots: pd.DataFrame           # lot id -> expiry date
    # per (site, encounter type): encounters and syringes handed out at them (service model)
    models: pd.DataFrame | None = None


def _ratio(table):
    distributed = table["syringes_distributed"].astype(float)
    ratio = table["syringes_returned"].astype(float) / distributed.where(distributed != 0)
    return ratio.round(4)


def _fact(stats, new, refs, moves, items) -> pd.DataFrame:
    key = ["site_id", "month"]
    frames = [stats.set_index(key), new.set_index(key)]
    if not refs.empty:
        pivot = refs.pivot_table(index=key, columns="referral_type", values="count",
                                 aggfunc="sum", fill_value=0)
        frames.append(pivot.rename(columns=lambda t: f"referral_{t}"))
    handed = moves[moves["kind"] == "distribution"].merge(
        items[["item_id", "category", "doses_per_unit"]], on="item_id")
    handed = handed.assign(units=-handed["quantity"])
    if not handed.empty:
        by_cat = handed.pivot_table(index=key, columns="category", values="units",
                                    aggfunc="sum", fill_value=0)
        frames.append(by_cat.rename(columns=lambda c: f"cat_{c}"))
        doses = handed[handed["category"] == "naloxone"]
        doses = (doses["units"] * doses["doses_per_unit"]).groupby(
            [doses["site_id"], doses["month"]]).sum().rename("naloxone_doses")
        doses.index.names = key
        frames.append(doses.to_frame())
    fact = pd.concat(frames, axis=1).fillna(0)
    for column in ADDITIVE + CATEGORY_KEYS:
        if column not in fact.columns:
            fact[column] = 0
    for indicator, category in CATEGORY_OF.items():
        fact[indicator] = fact[f"cat_{category}"]
    return fact[ADDITIVE + CATEGORY_KEYS].astype("int64")


def collect(conn, period: Period, site_ids, people: bool = True) -> Aggregates:
    """Run the report's queries and shape their results.

    ``people`` False skips what only the funder workbook shows: new and unique participants,
    demographics and closing stock (their figures come back as zeros and empty frames).
    """
    items = queries.items(conn)
    sites = queries.sites(conn, site_ids)
    site_list = sites["site_id"].tolist()
    months = list(range(len(period.months)))

    def ledger(ledger_conn):
        # Movements and closing stock from one read transaction, so the Inventory sheet adds up.
        valid = ledger_months.valid_months(ledger_conn)
        moves = queries.movements(ledger_conn, period, site_ids, valid)
        if not people:
            return moves, None, None
        return (moves, queries.closing_by_lot(ledger_conn, period, site_ids, valid=valid),
                queries.lots(ledger_conn))

    parts = [lambda c: counts_rows(c, period, site_ids), ledger]
    if people:
        parts.append(lambda c: people_rows(c, period, site_ids))
    counts, (moves, closing_lots, lots), *person_rows = run_together(conn, *parts)
    enc = shape(counts + (person_rows[0] if person_rows else []))
    fact = _fact(enc["stats"], enc["new"], enc["referrals"], moves, items)
    full = pd.MultiIndex.from_product([site_list, months], names=["site_id", "month"])
    fact = fact.reindex(full, fill_value=0)

    by_site = fact.groupby(level="site_id").sum().reindex(site_list, fill_value=0)
    by_site["unique_participants"] = enc["u_site"].reindex(site_list).fillna(0)
    by_month = fact.groupby(level="month").sum().reindex(months, fill_value=0)
    by_month["unique_participants"] = enc["u_month"].reindex(months).fillna(0)
    total = fact.sum()
    total["unique_participants"] = enc["u_total"]
    for table in (by_site, by_month):
        table["unique_participants"] = table["unique_participants"].astype("int64")
        table["return_ratio"] = _ratio(table)
    total = total.astype(object)
    total["return_ratio"] = (round(total["syringes_returned"] / total["syringes_distributed"], 4)
                             if total["syringes_distributed"] else None)

    handed = moves[moves["kind"] == "distribution"]
    items_by_site = handed.pivot_table(index="site_id", columns="item_id", values="quantity",
                                       aggfunc="sum", fill_value=0) if not handed.empty else None
    items_by_site = (-items_by_site if items_by_site is not None else pd.DataFrame()).reindex(
        index=site_list, columns=items["item_id"].tolist(), fill_value=0).fillna(0).astype("int64")
    return Aggregates(items, sites, fact, by_site, by_month, total, items_by_site, moves,
                      enc["demographics"], closing_lots, lots, enc["models"])

