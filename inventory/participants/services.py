"""Find or register an anonymous participant by code hash, in one statement."""
from functools import cache

from sqlalchemy import bindparam, func

from inventory.database import upsert_insert, utcnow
from inventory.participants.models import Participant

DEMOGRAPHIC_FIELDS = ("age_range", "gender", "race_ethnicity")
COLUMNS = ("code_hash", "first_seen_at", "first_site_id", *DEMOGRAPHIC_FIELDS)


@cache
def upsert_statement(dialect_name: str):
    """``INSERT … ON CONFLICT (code_hash) DO UPDATE … RETURNING id`` with parameters named
    ``participant_<column>`` (see :func:`participant_values`).

    Safe when two devices meet a new participant at the same moment. Demographics are
    first-visit data: they fill fields still empty and never overwrite.
    """
    table = Participant.__table__
    stmt = upsert_insert(table, dialect_name).values(
        {column: bindparam(f"participant_{column}") for column in COLUMNS})
    return stmt.on_conflict_do_update(
        index_elements=["code_hash"],
        set_={field: func.coalesce(table.c[field], stmt.excluded[field])
              for field in DEMOGRAPHIC_FIELDS},
    ).returning(table.c.id)


def participant_values(code_hash: str, site_id: int, demographics: dict) -> dict:
    """The parameters of :func:`upsert_statement` for a participant seen now at ``site_id``."""
    values = {"code_hash": code_hash, "first_seen_at": utcnow(), "first_site_id": site_id,
              **{field: demographics.get(field) for field in DEMOGRAPHIC_FIELDS}}
    return {f"participant_{column}": value for column, value in values.items()}
