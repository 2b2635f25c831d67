"""What the API shows of an encounter, built from a stored row or straight from a create."""
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from inventory.encounters.models import Encounter


@dataclass
class EncounterRecord:
    """An encounter as answered to clients: codes instead of ids, never a participant code."""

    id: int
    client_id: UUID
    site: str
    occurred_at: datetime
    recorded_at: datetime
    encounter_type: str
    has_participant_code: bool
    syringes_returned: int
    returns_estimated: bool
    secondary_people: int
    naloxone_used: int
    reversals_reported: int
    stock_discrepancy: bool
    items: list[dict] = field(default_factory=list)
    referrals: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    entered_treatment_reported: int = 0
    secondary_syringes: int = 0
    reversals_with_program_naloxone: int = 0
    returns_weight_lb: float | None = None
    void: bool = False
    voided_at: datetime | None = None
    void_reason: str | None = None

    @classmethod
    def of(cls, encounter: Encounter) -> "EncounterRecord":
        return cls(
            id=encounter.id, client_id=encounter.client_id, site=encounter.site.code,
            occurred_at=encounter.occurred_at, recorded_at=encounter.recorded_at,
            encounter_type=encounter.encounter_type,
            has_participant_code=encounter.participant_id is not None,
            syringes_returned=encounter.syringes_returned,
            returns_estimated=encounter.returns_estimated,
            secondary_people=encounter.secondary_people, naloxone_used=encounter.naloxone_used,
            reversals_reported=encounter.reversals_reported,
            stock_discrepancy=bool(encounter.stock_event and encounter.stock_event.discrepancy),
            items=[{"item": line.item.code, "quantity": line.quantity} for line in encounter.items],
            referrals=[r.referral_type for r in encounter.referrals],
            services=[s.service_code for s in encounter.services],
            entered_treatment_reported=encounter.entered_treatment_reported,
            secondary_syringes=encounter.secondary_syringes,
            reversals_with_program_naloxone=encounter.reversals_with_program_naloxone,
            returns_weight_lb=(None if encounter.returns_weight_lb is None
                               else float(encounter.returns_weight_lb)),
            void=encounter.is_void, voided_at=encounter.voided_at,
            void_reason=encounter.void_reason,
        )
