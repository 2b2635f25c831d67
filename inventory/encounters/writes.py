"""The rows of one encounter: its participant (found or registered), the visit, its items and
its referrals.

SQLite runs up to four statements on the database it has locked. PostgreSQL runs them as one
statement (data-modifying CTEs over array parameters), one round trip on the busiest write path,
which also writes the handout's distribution event, its lines and balances.
"""
from functools import cache

from sqlalchemy import Connection, Integer, String, bindparam, select, true

from inventory.database import pg_rows
from inventory.encounters.models import Encounter, EncounterItem, EncounterReferral
from inventory.participants.services import upsert_statement
from inventory.prepared import Prepared
from inventory.stock.writes import EventRows, pg_event_ctes

ENCOUNTER_COLUMNS = ("client_id", "fingerprint", "site_id", "occurred_at", "recorded_at",
                     "user_id", "encounter_type", "stock_event_id", "syringes_returned",
                     "returns_estimated", "secondary_people", "naloxone_used",
                     "reversals_reported")

_encounter, _item, _referral = (m.__table__ for m in (Encounter, EncounterItem, EncounterReferral))
# Parameters are prefixed, so none is taken for a column of another table in the statement.
_values = {column: bindparam(f"encounter_{column}") for column in ENCOUNTER_COLUMNS}
_INSERT_ENCOUNTER = Prepared(_encounter.insert().values(
    {**_values, "participant_id": bindparam("encounter_participant_id")}
).returning(_encounter.c.id))
_INSERT_ITEM = Prepared(_item.insert().values(
    {c: bindparam(c) for c in ("encounter_id", "item_id", "quantity")}))
_INSERT_REFERRAL = Prepared(_referral.insert().values(
    {c: bindparam(c) for c in ("encounter_id", "referral_type")}))


@cache
def _upsert_participant(dialect_name: str) -> Prepared:
    return Prepared(upsert_statement(dialect_name))


@cache
def _pg_statement(with_participant: bool, with_event: bool):
    values = dict(_values)
    ctes = []
    if with_event:
        event, others = pg_event_ctes()
        values["stock_event_id"] = select(event.c.id).scalar_subquery()
        ctes += [event, *others]
    if with_participant:
        participant = upsert_statement("postgresql").cte("new_participant")
        values["participant_id"] = select(participant.c.id).scalar_subquery()
        ctes.append(participant)
    encounter = _encounter.insert().values(values).returning(_encounter.c.id).cte("new_encounter")
    items = pg_rows("item", item_id=Integer, quantity=Integer)
    referrals = pg_rows("referral", type=String)
    # The encounter CTE is one row: every item and referral gets its id.
    insert_items = _item.insert().from_select(
        ["encounter_id", "item_id", "quantity"],
        select(encounter.c.id, items.c.item_id, items.c.quantity)
        .select_from(encounter.join(items, true())),
    ).cte("new_items")
    insert_referrals = _referral.insert().from_select(
        ["encounter_id", "referral_type"],
        select(encounter.c.id, referrals.c.type).select_from(encounter.join(referrals, true())),
    ).cte("new_referrals")
    return Prepared(select(encounter.c.id).add_cte(*ctes, insert_items, insert_referrals))


def write_encounter(conn: Connection, row: dict, participant: dict | None,
                    items: list[tuple[int, int]], referrals: list[str],
                    event: EventRows | None = None) -> int:
    """Insert the encounter ``row`` (every name in ENCOUNTER_COLUMNS) with its ``items`` (item
    id, quantity) and ``referrals``; ``participant`` holds the parameters of
    :func:`inventory.participants.services.participant_values`, or None. Returns its id.

    ``event`` (PostgreSQL): its distribution event, not yet written (a deferred
    :func:`inventory.stock.ledger.post_event`); it is written in the same statement and becomes
    the encounter's ``stock_event_id``. Raises IntegrityError when a client_id is taken.
    """
    values = {f"encounter_{column}": row[column] for column in ENCOUNTER_COLUMNS}
    if conn.dialect.name == "postgresql":
        return _pg_statement(participant is not None, event is not None).scalar(conn, {
            **values, **(participant or {}), **(event.pg_params() if event else {}),
            "item_item_id": [i for i, _ in items], "item_quantity": [q for _, q in items],
            "referral_type": referrals,
        })
    if event is not None:
        raise ValueError("a pending event is written in PostgreSQL's statement only")
    participant_id = None
    if participant is not None:
        participant_id = _upsert_participant(conn.dialect.name).scalar(conn, participant)
    encounter_id = _INSERT_ENCOUNTER.scalar(conn, {
        **values, "encounter_participant_id": participant_id})
    _INSERT_ITEM.many(conn, [{"encounter_id": encounter_id, "item_id": i, "quantity": q}
                             for i, q in items])
    _INSERT_REFERRAL.many(conn, [{"encounter_id": encounter_id, "referral_type": r}
                                 for r in referrals])
    return encounter_id
