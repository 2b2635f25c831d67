"""Breakdowns of the funder workbook by service model (the encounter type: fixed site, street
outreach, mobile unit, delivery or mail, peer) and by site kind (fixed, mobile, pharmacy, peer,
warehouse).

Summary rows: encounters and syringes distributed per service model and per site kind. By site
columns: the site's kind and its encounters per service model. Encounters are person-events and
are suppressed like every other count of people; the lines that tie them (a site's models add up
to its encounters, a model's sites to the model's total, the models and the kinds each to the
program's encounters, a kind's sites to the kind) go into the same suppression plan.
"""
from dataclasses import dataclass

import pandas as pd

from inventory.catalog.models import SITE_KINDS
from inventory.encounters.models import ENCOUNTER_TYPES
from inventory.labels import label

ENCOUNTERS = ("total", "encounters")


def model_row(code: str) -> str:
    return f"Encounters by service model: {label('encounter_type', code)}"


def model_syringes_row(code: str) -> str:
    return f"Syringes distributed by service model: {label('encounter_type', code)}"


def kind_row(code: str) -> str:
    return f"Encounters by site kind: {label('site_kind', code)}"


def kind_syringes_row(code: str) -> str:
    return f"Syringes distributed by site kind: {label('site_kind', code)}"


def site_model_column(code: str) -> str:
    return f"Encounters: {label('encounter_type', code)}"


SITE_KIND_COLUMN = "Site kind"
SITE_COLUMNS = [SITE_KIND_COLUMN, *(site_model_column(m) for m in ENCOUNTER_TYPES)]
DEFINITIONS = [
    ("Breakdown: service model",
     "Encounters by their type (fixed site, street outreach, mobile unit, delivery or mail, peer "
     "distribution), and the syringes handed out at those encounters (from the encounters' "
     "items, voided handouts excluded)."),
    ("Breakdown: site kind",
     "Encounters and syringes distributed (from the stock ledger, as in the By site sheet) at "
     "the sites of each kind (fixed, mobile, pharmacy, peer, warehouse)."),
]


@dataclass
class Breakdowns:
    site_model: dict      # (site_id, model) -> encounters
    model_encounters: dict  # model -> encounters
    model_syringes: dict    # model -> syringes handed out at those encounters
    site_kind: dict         # site_id -> kind
    kind_encounters: dict   # kind -> encounters
    kind_syringes: dict     # kind -> syringes distributed (ledger)


def collect_breakdowns(agg) -> Breakdowns:
    """The breakdowns of ``agg`` (a :class:`reports.tables.Aggregates`)."""
    models = agg.models if agg.models is not None else pd.DataFrame(
        columns=["site_id", "encounter_type", "encounters", "syringes"])
    sites = agg.by_site.index.tolist()
    site_model = {(s, m): 0 for s in sites for m in ENCOUNTER_TYPES}
    model_syringes = dict.fromkeys(ENCOUNTER_TYPES, 0)
    for row in models.itertuples(index=False):
        key = (int(row.site_id), row.encounter_type)
        if key in site_model:
            site_model[key] += int(row.encounters)
            model_syringes[row.encounter_type] += int(row.syringes)
    model_encounters = {m: sum(site_model[(s, m)] for s in sites) for m in ENCOUNTER_TYPES}
    kinds = dict(zip(agg.sites["site_id"], agg.sites["site_kind"], strict=True))
    kind_encounters = {k: sum(int(agg.by_site.loc[s, "encounters"]) for s in sites
                              if kinds.get(s) == k) for k in SITE_KINDS}
    kind_syringes = {k: sum(int(agg.by_site.loc[s, "syringes_distributed"]) for s in sites
                            if kinds.get(s) == k) for k in SITE_KINDS}
    return Breakdowns(site_model, model_encounters, model_syringes, kinds, kind_encounters,
                      kind_syringes)


def plan_breakdowns(plan, b: Breakdowns) -> None:
    """Add the breakdown cells and their lines to ``plan`` (a SuppressionPlan)."""
    sites = sorted({s for s, _ in b.site_model})
    for (site, model), value in b.site_model.items():
        plan.add(("site_model", site, model), value)
    for model, value in b.model_encounters.items():
        plan.add(("model", model), value)
        plan.line([("site_model", s, model) for s in sites], ("model", model))
    for site in sites:
        plan.line([("site_model", site, m) for m in ENCOUNTER_TYPES], ("site", site, "encounters"))
    plan.line([("model", m) for m in ENCOUNTER_TYPES], ENCOUNTERS)
    for kind, value in b.kind_encounters.items():
        plan.add(("kind", kind), value)
        plan.line([("site", s, "encounters") for s in sites if b.site_kind.get(s) == kind],
                  ("kind", kind))
    plan.line([("kind", k) for k in SITE_KINDS], ENCOUNTERS)


def _shown(value, key, hidden: set, mark: str):
    return mark if key in hidden else value


def summary_rows(b: Breakdowns, hidden: set, mark: str) -> list[dict]:
    rows = []
    for m in ENCOUNTER_TYPES:
        rows.append({"Indicator": model_row(m),
                     "Value": _shown(b.model_encounters[m], ("model", m), hidden, mark)})
    rows += [{"Indicator": model_syringes_row(m), "Value": b.model_syringes[m]}
             for m in ENCOUNTER_TYPES]
    for k in SITE_KINDS:
        rows.append({"Indicator": kind_row(k),
                     "Value": _shown(b.kind_encounters[k], ("kind", k), hidden, mark)})
    rows += [{"Indicator": kind_syringes_row(k), "Value": b.kind_syringes[k]} for k in SITE_KINDS]
    return rows


def site_cells(b: Breakdowns, site_id, hidden: set, mark: str) -> dict:
    """The By site sheet's extra cells for one site; ``site_id`` None: the Total row."""
    if site_id is None:
        return {SITE_KIND_COLUMN: "All kinds", **{
            site_model_column(m): _shown(b.model_encounters[m], ("model", m), hidden, mark)
            for m in ENCOUNTER_TYPES}}
    return {SITE_KIND_COLUMN: label("site_kind", b.site_kind.get(site_id)), **{
        site_model_column(m): _shown(b.site_model[(site_id, m)], ("site_model", site_id, m),
                                     hidden, mark) for m in ENCOUNTER_TYPES}}
