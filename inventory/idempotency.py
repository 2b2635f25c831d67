"""Creates keyed by a client-made UUID: a replay returns the stored record, a reuse is refused.

The fingerprint is a SHA-256 of the normalised request. It is taken after the participant code
has been replaced by its HMAC, so it never carries a raw code.
"""
import hashlib
import json
from functools import cache
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from inventory.database import begin_write
from inventory.errors import Conflict, DomainError
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


def create_once(model, client_id: UUID, print_: str, create, check=lambda: None,
                also_taken_by=(), one_statement: bool = False):
    """``create(check())`` unless ``client_id`` is a replay; return ``(row, created)``.

    ``check()`` validates the request against stored state (active site and items, known lots
    and reasons) outside the write lock; then the write lock is taken (:func:`begin_write`) and
    ``create`` runs. Optimistic: no look-up comes first, the unique index on ``client_id``
    catches a replay, which is rare (a device re-sending what it already sent). On a clash or a
    domain error from either step the whole transaction is rolled back (``create`` must be the
    only write in it) and the stored row is looked up: a replay with the same fingerprint gets
    its stored answer even when it would now be refused (an item made inactive, stock that has
    moved since); a reuse with another body is a Conflict; otherwise the error stands. Two
    requests racing with one new client_id end the same way: the loser's insert waits for the
    winner's commit, then clashes. Access checks belong before the call: a replay is no way
    round them. ``also_taken_by`` lists other models whose client_ids this record must not
    reuse (where no unique index says so). ``one_statement``: ``create`` writes with a single
    statement on PostgreSQL (see :func:`begin_write`). Raises Conflict (field client_id),
    DomainError.
    """
    try:
        checked = check()
        begin_write(db.session, one_statement)
        for other in also_taken_by:
            if db.session.scalar(select(other.id).where(other.client_id == client_id)) is not None:
                raise Conflict("This client_id was already used for another record.",
                               field="client_id")
        return create(checked), True
    except (IntegrityError, DomainError) as error:
        db.session.rollback()
        existing = find_replay(model, client_id, print_)
        if existing is not None:
            return existing, False
        if isinstance(error, DomainError):
            raise
    # The id is taken by a record of another kind (an encounter's and its stock event's share
    # one): a client bug, never a second record.
    raise Conflict("This client_id was already used for another record.", field="client_id")
