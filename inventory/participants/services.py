"""Find or register an anonymous participant by code hash."""
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from inventory.database import utcnow
from inventory.extensions import db
from inventory.participants.models import Participant

DEMOGRAPHIC_FIELDS = ("age_range", "gender", "race_ethnicity")


def participant_for(code_hash: str, site_id: int, demographics: dict) -> Participant:
    """The participant with ``code_hash``, registered on first sight.

    Demographics are first-visit data: they fill fields still empty and never overwrite.
    """
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    # Insert-if-absent: two devices may meet a new participant at the same moment.
    db.session.execute(
        dialect.insert(Participant)
        .values(code_hash=code_hash, first_seen_at=utcnow(), first_site_id=site_id)
        .on_conflict_do_nothing(index_elements=["code_hash"])
    )
    participant = db.session.scalar(select(Participant).where(Participant.code_hash == code_hash))
    for field in DEMOGRAPHIC_FIELDS:
        if demographics.get(field) and getattr(participant, field) is None:
            setattr(participant, field, demographics[field])
    return participant
