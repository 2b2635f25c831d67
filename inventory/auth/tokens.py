"""API tokens: created (named, optionally expiring), listed and revoked. Services flush; the
caller commits. Only a token's SHA-256 and its first 8 characters are kept.

Errors: :class:`inventory.errors.InvalidInput` naming the field (``email``, ``name``,
``expires_days``); :class:`inventory.errors.NotFound` (``token``) for a token that does not
exist or is not the caller's.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from inventory.audit.services import record
from inventory.auth.loaders import token_digest
from inventory.auth.models import ApiToken, User
from inventory.auth.services import normalise_email, user_by_email
from inventory.database import utcnow
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db

MAX_EXPIRES_DAYS = 3650


@dataclass(frozen=True)
class TokenRow:
    """A token as the token pages and ``list-tokens`` show it (never the token itself)."""

    id: int
    email: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= utcnow():
            return "expired"
        return "active"


def _check_name(name: str | None) -> str:
    name = (name or "").strip()
    if len(name) > 80:
        raise InvalidInput("Name must be at most 80 characters.", field="name")
    return name


def _expiry(expires_days) -> datetime | None:
    if expires_days in (None, ""):
        return None
    try:
        days = int(expires_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXPIRES_DAYS:
        raise InvalidInput(f"Expiry must be from 1 to {MAX_EXPIRES_DAYS} days, or none.",
                           field="expires_days")
    return utcnow() + timedelta(days=days)


def create_token(email: str, name: str = "", expires_days: int | None = None,
                 actor=None) -> str:
    """Create an API token for the user with ``email`` and return it (shown once).

    Raises InvalidInput: ``email`` (no such user, or deactivated), ``name`` (too long),
    ``expires_days`` (not 1 to 3650).
    """
    user = user_by_email(email)
    if user is None:
        raise InvalidInput(f"No user with email {normalise_email(email)}.", field="email")
    if not user.active:
        raise InvalidInput(f"User {user.email} is deactivated.", field="email")
    name, expires_at = _check_name(name), _expiry(expires_days)
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=token_digest(token), prefix=token[:8], name=name,
                   expires_at=expires_at)
    db.session.add(row)
    db.session.flush()
    record("create", "api_token", row.id,
           {"email": user.email, "prefix": row.prefix, "name": name,
            "expires_at": expires_at.isoformat() if expires_at else None}, actor)
    return token


def list_tokens(user_id: int | None = None) -> list[TokenRow]:
    """Tokens newest first: the user's, or everyone's when ``user_id`` is None."""
    query = (select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [TokenRow(t.id, email, t.name, t.prefix, t.created_at, t.expires_at, t.revoked_at)
            for t, email in db.session.execute(query)]


def revoke_token(token_id: int, actor=None, owner_id: int | None = None) -> ApiToken:
    """Revoke a token (at once, for good); revoking it again changes nothing. ``owner_id``:
    only that user's token (a user's own tokens page). Raises NotFound(token)."""
    row = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
    if row is None or (owner_id is not None and row.user_id != owner_id):
        raise NotFound("No such token.", field="token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record("revoke", "api_token", row.id, {"prefix": row.prefix, "name": row.name}, actor)
    return row

