"""Issue 15 figures of the funder workbook: services and linkage, secondary exchange units,
naloxone reach, reversals by supply source, returns counted / estimated / by weight, sharps
disposed, survey responses - each aggregated by SQL over the period's non-void encounters.

Counts of people and person-events (services, entered treatment, naloxone reach, reversals,
survey responses) join the workbook's suppression plan; supply quantities (syringes, weights,
containers) are never suppressed.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, distinct, func, select

from inventory.encounters.models import EncounterItem, EncounterService
from inventory.onsite.models import OnsiteService, SharpsDisposal
from inventory.survey.models import SurveyResponse
from reports.queries import ENC, ITEM, encounters_where

SERVICE = EncounterService.__table__
ONSITE = OnsiteService.__table__
EITEM = EncounterItem.__table__
SHARPS = SharpsDisposal.__table__
SURVEY = SurveyResponse.__table__
REVERSALS_TOTAL = ("total", "reversals_reported")  # the Summary's cell of all reversals


@dataclass
class Figures:
    """Program-wide totals for the period; ``services`` is (code, name, encounters) in order."""

    services: list[tuple[str, str, int]] = field(default_factory=list)
    entered_treatment: int = 0
    secondary_syringes: int = 0
    naloxone_reach: int = 0
    reversals_program: int = 0
    reversals_other: int = 0
    returns_counted: int = 0
    returns_estimated: int = 0
    returns_weight_lb: Decimal = Decimal(0)
    syringes_per_pound: int = 281
    sharps_containers: int = 0
    sharps_weight_lb: Decimal = Decimal(0)
    survey_responses: int = 0

    @property
    def returns_by_weight(self) -> int:
        """Weighed returns in syringes: pounds times the program's factor, rounded."""
        return int((self.returns_weight_lb * self.syringes_per_pound).to_integral_value())


def _in_site(column, site_ids):
    return [column.in_(list(site_ids))] if site_ids is not None else []


def collect_figures(conn, period, site_ids, syringes_per_pound: int) -> Figures:
    where = encounters_where(ENC, period, site_ids)
    estimated = ENC.c.returns_estimated.is_(True)
    sums = conn.execute(select(
        func.coalesce(func.sum(ENC.c.entered_treatment_reported), 0),
        func.coalesce(func.sum(ENC.c.secondary_syringes), 0),
        func.coalesce(func.sum(ENC.c.reversals_with_program_naloxone), 0),
        func.coalesce(func.sum(ENC.c.reversals_reported), 0),
        func.coalesce(func.sum(case((estimated, 0), else_=ENC.c.syringes_returned)), 0),
        func.coalesce(func.sum(case((estimated, ENC.c.syringes_returned), else_=0)), 0),
        func.coalesce(func.sum(ENC.c.returns_weight_lb), 0),
    ).where(*where)).one()
    per_service = dict(conn.execute(
        select(SERVICE.c.service_code, func.count()).select_from(
            SERVICE.join(ENC, ENC.c.id == SERVICE.c.encounter_id)).where(*where).group_by(
            SERVICE.c.service_code)).all())
    listed = conn.execute(select(ONSITE.c.code, ONSITE.c.name, ONSITE.c.active).order_by(
        ONSITE.c.display_order, ONSITE.c.code)).all()
    services = [(code, name, int(per_service.get(code, 0))) for code, name, active in listed
                if active or per_service.get(code)]
    reach = conn.execute(select(func.count(distinct(ENC.c.participant_id))).select_from(
        ENC.join(EITEM, EITEM.c.encounter_id == ENC.c.id).join(ITEM, ITEM.c.id == EITEM.c.item_id)
    ).where(*where, ITEM.c.category == "naloxone", ENC.c.participant_id.is_not(None))).scalar()
    disposed = conn.execute(select(
        func.coalesce(func.sum(SHARPS.c.containers), 0),
        func.coalesce(func.sum(SHARPS.c.weight_lb), 0),
    ).where(SHARPS.c.disposed_on >= period.first_day, SHARPS.c.disposed_on <= period.last_day,
            *_in_site(SHARPS.c.site_id, site_ids))).one()
    responses = conn.execute(select(func.count()).select_from(SURVEY).where(
        *survey_where(period, site_ids))).scalar()
    treatment, secondary, program, reversals, counted, guessed, weight = sums
    return Figures(
        services=services, entered_treatment=int(treatment), secondary_syringes=int(secondary),
        naloxone_reach=int(reach or 0), reversals_program=int(program),
        reversals_other=int(reversals) - int(program), returns_counted=int(counted),
        returns_estimated=int(guessed), returns_weight_lb=Decimal(str(weight)),
        syringes_per_pound=syringes_per_pound, sharps_containers=int(disposed[0]),
        sharps_weight_lb=Decimal(str(disposed[1])), survey_responses=int(responses or 0))


def survey_where(period, site_ids) -> list:
    """Survey responses answered on the period's local dates at the selected sites."""
    return [SURVEY.c.response_date >= period.first_day, SURVEY.c.response_date <= period.last_day,
            *_in_site(SURVEY.c.site_id, site_ids)]


def plan_cells(plan, figures: Figures) -> None:
    """Add the person counts to the workbook's suppression ``plan``: reversals by source add up
    to the Summary's reversals reported."""
    for code, _, value in figures.services:
        plan.add(("linkage", "service", code), value)
    for key in ("entered_treatment", "naloxone_reach", "survey_responses"):
        plan.add(("linkage", key), getattr(figures, key))
    plan.add(("linkage", "reversals_program"), figures.reversals_program)
    plan.add(("linkage", "reversals_other"), figures.reversals_other)
    plan.line([("linkage", "reversals_program"), ("linkage", "reversals_other")], REVERSALS_TOTAL)


def summary_rows(figures: Figures, hidden: set, mark: str) -> list[tuple[str, object, str]]:
    """(indicator, value, definition) rows appended to the Summary sheet."""
    def person(key, value):
        return mark if key in hidden else value

    def lb(value: Decimal) -> float:
        return float(value.quantize(Decimal("0.01")))

    rows = [(f"Services delivered: {name}", person(("linkage", "service", code), value),
             f"Encounters at which this on-site service was delivered: {name}.")
            for code, name, value in figures.services]
    rows += [
        ("Entered treatment (reported)", person(("linkage", "entered_treatment"),
                                                figures.entered_treatment),
         "Participants' reports, at encounters, of having entered treatment since their last "
         "visit (counted like reversals)."),
        ("Syringes for secondary exchange", figures.secondary_syringes,
         "Syringes handed out that participants said were meant for others (at most the "
         "syringes of each handout)."),
        ("Naloxone reach: unique participants who received naloxone",
         person(("linkage", "naloxone_reach"), figures.naloxone_reach),
         "Distinct participant codes among encounters that handed out a naloxone item; "
         "encounters without a code are not in this count."),
        ("Reversals with the program's naloxone", person(("linkage", "reversals_program"),
                                                         figures.reversals_program),
         "Reported overdose reversals that used naloxone from this program."),
        ("Reversals with naloxone from another source",
         person(("linkage", "reversals_other"), figures.reversals_other),
         "Reported overdose reversals minus those with the program's naloxone."),
        ("Syringes returned: counted", figures.returns_counted,
         "Syringes returned at encounters where the number was counted."),
        ("Syringes returned: estimated", figures.returns_estimated,
         "Syringes returned at encounters where the number was estimated."),
        ("Syringes returned by weight (lb)", lb(figures.returns_weight_lb),
         "Weight of returns weighed at encounters, in pounds (not included in the counted or "
         "estimated returns above)."),
        (f"Syringes returned by weight, at {figures.syringes_per_pound} per lb",
         figures.returns_by_weight,
         "The weighed returns converted at the program's syringes-per-pound factor (program "
         "settings), rounded to a whole syringe."),
        ("Sharps containers sent for destruction", figures.sharps_containers,
         "Used-sharps containers recorded as sent for destruction, by date sent."),
        ("Sharps sent for destruction (lb)", lb(figures.sharps_weight_lb),
         "Weight of used sharps recorded as sent for destruction, in pounds."),
        ("Point-in-time survey responses", person(("linkage", "survey_responses"),
                                                  figures.survey_responses),
         "Anonymous survey responses answered on the period's dates (see the Survey sheet)."),
    ]
    return rows


def definitions() -> list[tuple[str, str]]:
    """(label, definition) of the rows above, for the Notes sheet (services as one entry)."""
    generic = [("Services delivered: (each service)",
                "Encounters at which that on-site service was delivered (admin-editable list).")]
    return generic + [(name, text) for name, _, text in summary_rows(Figures(), set(), "")
                      if not name.startswith("Syringes returned by weight, at")] + [
        ("Syringes returned by weight, at N per lb",
         "The weighed returns converted at the program's syringes-per-pound factor (program "
         "settings), rounded to a whole syringe.")]
