"""Creates keyed by a client-made UUID: a replay returns the stored record, a reuse is refused.

The fingerprint is a SHA-256 of the normalised request. It is taken after the participant code
has been replaced by its HMAC, so it never carries a raw code.
"""
import hashlib
import json
from contextlib import nullcontext
from functools import cache
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import bindparam, select

from inventory.errors import Conflict
from inventory.extensions import db


def _default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, UUID)):
        return str(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(payload: dict) -> str:
    """SHA-256 hex of ``payload`` as canonical JSON."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _replay_query(model):
    table = model.__table__
    return select(table.c.id, table.c.fingerprint).where(
        table.c.client_id == bindparam("client_id"))


def find_replay(model, client_id: UUID, print_: str):
    """The stored row for ``client_id`` if this is a replay, else None.

    Raises Conflict (field client_id) when the id was used for a different request.
    """
    found = db.session.connection().execute(_replay_query(model), {"client_id": client_id}).first()
    if found is None:
        return None
    if found.fingerprint != print_:
        raise Conflict("This client_id was already used for a different record.",
                       field="client_id")
    return db.session.get(model, found.id)


def create_once(model, client_id: UUID, print_: str, create, also_taken_by=()):
    """Run ``create()`` unless ``client_id`` is a replay; return ``(row, created)``.

    Two requests with the same new client_id may race past the first check (PostgreSQL, read
    committed); the loser's insert hits the unique index inside a savepoint and is answered
    as a replay, or a Conflict if its body differs. ``also_taken_by`` lists other models whose
    client_ids this record must not reuse (where no unique index says so). Raises Conflict
    (field client_id).
    """
    from sqlalchemy.exc import IntegrityError

    existing = find_replay(model, client_id, print_)
    if existing is not None:
        return existing, False
    for other in also_taken_by:
        if db.session.scalar(select(other.id).where(other.client_id == client_id)) is not None:
            raise Conflict("This client_id was already used for another record.",
                           field="client_id")
    # SQLite undoes just the failed statement, and BEGIN IMMEDIATE keeps racers out anyway;
    # PostgreSQL aborts the whole transaction on an error, hence the savepoint there.
    guard = nullcontext() if db.engine.dialect.name == "sqlite" else db.session.begin_nested()
    try:
        with guard:
            return create(), True
    except IntegrityError:
        existing = find_replay(model, client_id, print_)
        if existing is None:
            # The id is taken by a record of another kind (an encounter's and its stock
            # event's share one): a client bug, never a second record.
            raise Conflict("This client_id was already used for another record.",
                           field="client_id") from None
        return existing, False
