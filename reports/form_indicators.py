"""The registry of indicator names that form templates may use, and how each is read.

Every value comes from a cell of the funder workbook built for the same period, sites and mode
(suppressed, or exact for a regulator), so a form never shows a count of people that the
workbook hides: a hidden cell stays the mark. An indicator's source is a Summary row, a
Demographics cell, or the Activities sheet. Names are stable; labels may change.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from inventory.activity.models import EVENT_KINDS
from inventory.catalog.models import SITE_KINDS
from inventory.encounters.models import ENCOUNTER_TYPES
from inventory.labels import label
from inventory.onsite.models import DEFAULT_SERVICES
from inventory.participants.models import GENDERS, NHBS_AGE_BANDS, RACE_ETHNICITIES
from reports import breakdowns as bd
from reports.age_bands import NHBS_DIMENSION, OLDER_BAND_LABEL
from reports.indicators import INDICATORS

NOT_COLLECTED = "Not collected"


@dataclass
class Facts:
    """What the indicators read: the funder workbook's figures, by label."""

    summary: dict = field(default_factory=dict)        # Summary label -> value
    demographics: dict | None = None                   # (characteristic, value) -> participants
    activities: list = field(default_factory=list)     # Activities sheet rows
    service_names: dict = field(default_factory=dict)  # on-site service code -> current name

    @classmethod
    def from_report(cls, report, service_names: dict) -> "Facts":
        sheets = {s.name: s.frame for s in report.sheets}
        summary = dict(zip(sheets["Summary"]["Indicator"], sheets["Summary"]["Value"],
                           strict=True))
        demo = sheets.get("Demographics")
        demographics = None if demo is None else {
            (c, v): n for c, v, n in demo.itertuples(index=False)}
        activities = [list(r) for r in sheets["Activities"].itertuples(index=False)] \
            if "Activities" in sheets else []
        return cls(summary, demographics, activities, service_names)


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    person: bool                       # a count of people: may show the suppression mark
    read: Callable[[Facts], object]
    text: bool = False                 # a text answer, not a number


def _summary(row: str) -> Callable[[Facts], object]:
    return lambda facts: facts.summary.get(row, 0)


def _summary_prefix(prefix: str) -> Callable[[Facts], object]:
    def read(facts):
        return next((v for k, v in facts.summary.items() if str(k).startswith(prefix)), 0)
    return read


def _service(code: str) -> Callable[[Facts], object]:
    def read(facts):
        name = facts.service_names.get(code)
        return facts.summary.get(f"Services delivered: {name}", 0) if name else 0
    return read


def _demographic(characteristic: str, value: str) -> Callable[[Facts], object]:
    def read(facts):
        if facts.demographics is None:
            return NOT_COLLECTED
        return facts.demographics.get((characteristic, value), 0)
    return read


def _events(kind: str, what: str) -> Callable[[Facts], object]:
    entry = f"Event: {label('activity', kind)}"

    def read(facts):
        rows = [r for r in facts.activities if r[0] == entry]
        return len(rows) if what == "count" else sum(r[3] or 0 for r in rows)
    return read


def _hours(facts) -> str:
    rows = [f"{r[2]}: {r[4]}" for r in facts.activities if r[0] == "Hours and location"]
    return "; ".join(rows) or "Not entered"


def _narrative(facts) -> str:
    return next((r[4] for r in facts.activities if r[0] == "Narrative"), "Not entered")


def _build() -> dict[str, Indicator]:
    found = [Indicator(key, text_label, person, _summary(text_label))
             for key, text_label, person, _ in INDICATORS]
    for m in ENCOUNTER_TYPES:
        found += [Indicator(f"encounters_model_{m}", bd.model_row(m), True,
                            _summary(bd.model_row(m))),
                  Indicator(f"syringes_model_{m}", bd.model_syringes_row(m), False,
                            _summary(bd.model_syringes_row(m)))]
    for k in SITE_KINDS:
        found += [Indicator(f"encounters_site_kind_{k}", bd.kind_row(k), True,
                            _summary(bd.kind_row(k))),
                  Indicator(f"syringes_site_kind_{k}", bd.kind_syringes_row(k), False,
                            _summary(bd.kind_syringes_row(k)))]
    found += [Indicator(f"service_{code}", f"Services delivered: {name}", True, _service(code))
              for code, name in DEFAULT_SERVICES]
    for name, row, person in [
        ("entered_treatment", "Entered treatment (reported)", True),
        ("secondary_syringes", "Syringes for secondary exchange", False),
        ("naloxone_reach", "Naloxone reach: unique participants who received naloxone", True),
        ("reversals_program_naloxone", "Reversals with the program's naloxone", True),
        ("reversals_other_naloxone", "Reversals with naloxone from another source", True),
        ("syringes_returned_counted", "Syringes returned: counted", False),
        ("syringes_returned_estimated", "Syringes returned: estimated", False),
        ("returns_weight_lb", "Syringes returned by weight (lb)", False),
        ("sharps_containers", "Sharps containers sent for destruction", False),
        ("sharps_weight_lb", "Sharps sent for destruction (lb)", False),
        ("survey_responses", "Point-in-time survey responses", True),
    ]:
        found.append(Indicator(name, row, person, _summary(row)))
    found.append(Indicator("syringes_returned_by_weight",
                           "Syringes returned by weight, converted at syringes per lb", False,
                           _summary_prefix("Syringes returned by weight, at ")))
    nhbs = [("age_under_18", label("age_range", "under_18"))] + [
        (f"age_nhbs_{band}", label("nhbs_age", band)) for band in NHBS_AGE_BANDS] + [
        ("age_older_band", OLDER_BAND_LABEL)]
    found += [Indicator(n, f"{NHBS_DIMENSION}: {v}", True, _demographic(NHBS_DIMENSION, v))
              for n, v in nhbs]
    found += [Indicator(f"gender_{g}", f"Gender: {label('gender', g)}", True,
                        _demographic("Gender", label("gender", g))) for g in GENDERS]
    found += [Indicator(f"race_{r}", f"Race / ethnicity: {label('race_ethnicity', r)}", True,
                        _demographic("Race / ethnicity", label("race_ethnicity", r)))
              for r in RACE_ETHNICITIES]
    for kind in EVENT_KINDS:
        name = label("activity", kind)
        found += [Indicator(f"events_{kind}", f"Events: {name}", False, _events(kind, "count")),
                  Indicator(f"attendance_{kind}", f"Attendance at events: {name}", False,
                            _events(kind, "attendance"))]
    found += [Indicator("hours_and_locations", "Hours and locations of operation", False,
                        _hours, text=True),
              Indicator("narrative", "Narrative for the period", False, _narrative, text=True)]
    return {i.name: i for i in found}


REGISTRY: dict[str, Indicator] = _build()
