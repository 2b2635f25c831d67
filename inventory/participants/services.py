"""Find or register an anonymous participant by code hash."""
from functools import cache

from sqlalchemy import func

from inventory.database import upsert_insert, utcnow
from inventory.extensions import db
from inventory.participants.models import Participant

DEMOGRAPHIC_FIELDS = ("age_range", "gender", "race_ethnicity")


@cache
def _upsert(dialect_name: str):
    table = Participant.__table__
    stmt = upsert_insert(table, dialect_name)
    # Demographics are first-visit data: they fill fields still empty and never overwrite.
    return stmt.on_conflict_do_update(
        index_elements=["code_hash"],
        set_={field: func.coalesce(table.c[field], stmt.excluded[field])
              for field in DEMOGRAPHIC_FIELDS},
    ).returning(table.c.id)


def participant_id_for(code_hash: str, site_id: int, demographics: dict) -> int:
    """The id of the participant with ``code_hash``, registered on first sight, in one statement.

    Safe when two devices meet a new participant at the same moment.
    """
    values = {"code_hash": code_hash, "first_seen_at": utcnow(), "first_site_id": site_id,
              **{field: demographics.get(field) for field in DEMOGRAPHIC_FIELDS}}
    return db.session.connection().execute(_upsert(db.engine.dialect.name), values).scalar_one()
