"""The rows of one encounter: its participant (found or registered), the visit, its items and
its referrals.

SQLite runs up to four statements on the database it has locked, after the ledger has written
the handout's event. PostgreSQL writes all of it, the event included, with one call of the
``record_handout`` function (migration 0004), one round trip on the busiest write path.
"""
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (ARRAY, Boolean, Connection, Integer, Numeric, String, Uuid, bindparam,
                        func, select)

from inventory.encounters.models import (Encounter, EncounterItem, EncounterReferral,
                                         EncounterService)
from inventory.participants.services import DEMOGRAPHIC_FIELDS, upsert_statement
from inventory.prepared import Prepared
from inventory.types import UTCDateTime

ENCOUNTER_COLUMNS = ("client_id", "fingerprint", "site_id", "occurred_at", "recorded_at",
                     "user_id", "encounter_type", "stock_event_id", "syringes_returned",
                     "returns_estimated", "secondary_people", "naloxone_used",
                     "reversals_reported", "entered_treatment_reported", "secondary_syringes",
                     "reversals_with_program_naloxone", "returns_weight_lb")

_encounter, _item, _referral, _service = (
    m.__table__ for m in (Encounter, EncounterItem, EncounterReferral, EncounterService))
# Parameters are prefixed, so none is taken for a column of another table in the statement.
_values = {column: bindparam(f"encounter_{column}") for column in ENCOUNTER_COLUMNS}
_INSERT_ENCOUNTER = Prepared(_encounter.insert().values(
    {**_values, "participant_id": bindparam("encounter_participant_id")}
).returning(_encounter.c.id))
_INSERT_ITEM = Prepared(_item.insert().values(
    {c: bindparam(c) for c in ("encounter_id", "item_id", "quantity")}))
_INSERT_REFERRAL = Prepared(_referral.insert().values(
    {c: bindparam(c) for c in ("encounter_id", "referral_type")}))
_INSERT_SERVICE = Prepared(_service.insert().values(
    {c: bindparam(c) for c in ("encounter_id", "service_code")}))

# record_handout's parameters, in order, with the types that convert their values.
_HANDOUT_ARGS = (
    ("site_id", Integer), ("user_id", Integer), ("client_id", Uuid), ("fingerprint", String),
    ("occurred_at", UTCDateTime), ("recorded_at", UTCDateTime), ("encounter_type", String),
    ("syringes_returned", Integer), ("returns_estimated", Boolean),
    ("secondary_people", Integer), ("naloxone_used", Integer), ("reversals_reported", Integer),
    ("entered_treatment_reported", Integer), ("secondary_syringes", Integer),
    ("reversals_with_program_naloxone", Integer), ("returns_weight_lb", Numeric(8, 2)),
    ("code_hash", String), *((field, String) for field in DEMOGRAPHIC_FIELDS),
    ("item_ids", ARRAY(Integer)), ("quantities", ARRAY(Integer)), ("referrals", ARRAY(String)),
    ("services", ARRAY(String)),
)
_handout = func.record_handout(*(bindparam(name, type_=type_) for name, type_ in _HANDOUT_ARGS)
                               ).table_valued("encounter_id", "stock_event_id", "discrepancy")
_RECORD_HANDOUT = Prepared(select(_handout.c.encounter_id, _handout.c.discrepancy))


@cache
def _upsert_participant(dialect_name: str) -> Prepared:
    return Prepared(upsert_statement(dialect_name))


@dataclass(frozen=True)
class Handout:
    """What :func:`write_handout` wrote."""

    encounter_id: int
    discrepancy: bool


def write_handout(conn: Connection, row: dict, code_hash: str | None, demographics: dict,
                  items: list[tuple[int, int]], referrals: list[str],
                  services: list[str] = ()) -> Handout:
    """PostgreSQL: write the encounter ``row`` (ENCOUNTER_COLUMNS but ``stock_event_id``), its
    participant (when ``code_hash``; ``demographics`` fill its empty fields), its ``items``
    (item id, quantity: handed out first-expired-first-out, the event flagged when the unknown
    lot goes negative), ``referrals`` and ``services``, in one statement.

    Outside a transaction (an API request's DEFERRED mode) the statement is its own. Raises
    IntegrityError when the client_id is taken; nothing is written then.
    """
    found = _RECORD_HANDOUT.first(conn, {
        **{column: row[column] for column in ENCOUNTER_COLUMNS if column != "stock_event_id"},
        "code_hash": code_hash,
        **{field: demographics.get(field) for field in DEMOGRAPHIC_FIELDS},
        "item_ids": [i for i, _ in items], "quantities": [q for _, q in items],
        "referrals": referrals, "services": list(services),
    })
    return Handout(found.encounter_id, found.discrepancy)


def write_encounter(conn: Connection, row: dict, participant: dict | None,
                    items: list[tuple[int, int]], referrals: list[str],
                    services: list[str] = ()) -> int:
    """SQLite: insert the encounter ``row`` (every name in ENCOUNTER_COLUMNS) with its ``items``
    (item id, quantity), ``referrals`` and ``services``; ``participant`` holds the parameters of
    :func:`inventory.participants.services.participant_values`, or None. Returns its id.

    Raises IntegrityError when a client_id is taken.
    """
    values = {f"encounter_{column}": row[column] for column in ENCOUNTER_COLUMNS}
    participant_id = None
    if participant is not None:
        participant_id = _upsert_participant(conn.dialect.name).scalar(conn, participant)
    encounter_id = _INSERT_ENCOUNTER.scalar(conn, {
        **values, "encounter_participant_id": participant_id})
    _INSERT_ITEM.many(conn, [{"encounter_id": encounter_id, "item_id": i, "quantity": q}
                             for i, q in items])
    _INSERT_REFERRAL.many(conn, [{"encounter_id": encounter_id, "referral_type": r}
                                 for r in referrals])
    _INSERT_SERVICE.many(conn, [{"encounter_id": encounter_id, "service_code": code}
                                for code in services])
    return encounter_id
