"""Writing and reading the audit log. Every change to users, sites, items and settings goes
through :func:`record`, in the same transaction as the change itself."""
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from inventory.audit.models import AuditEntry
from inventory.extensions import db


def record(action: str, entity: str, entity_id: Any, details: dict[str, Any] | None = None,
           user=None) -> AuditEntry:
    """Add an audit entry (flushed, not committed). ``user`` is the actor; None for CLI/system.

    ``details`` must be JSON-serialisable and must never hold passwords or tokens.
    """
    entry = AuditEntry(
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        details=details or {},
        user_id=getattr(user, "id", None),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def apply_changes(row, values: dict[str, Any], fields: Iterable[str] | None = None) -> dict:
    """Set ``values`` on ``row`` (only ``fields``, default every key) where they differ.

    Returns ``{field: [old, new]}`` for what changed, ready for an audit entry's details.
    """
    changes = {}
    for field in values if fields is None else fields:
        old, new = getattr(row, field), values[field]
        if old != new:
            changes[field] = [old, new]
            setattr(row, field, new)
    return changes


def recent_entries(limit: int = 200, offset: int = 0) -> list[tuple[AuditEntry, str | None]]:
    """The newest audit entries first, each with the acting user's email (None: CLI/system)."""
    from inventory.auth.models import User

    return [tuple(row) for row in db.session.execute(
        select(AuditEntry, User.email).outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    )]
