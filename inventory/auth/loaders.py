"""Who is asking: the session user (Flask-Login) or the owner of a bearer API token.

CSRF is enforced for every state-changing request except those that carry a valid bearer
token, which a browser never sends on its own.
"""
import hashlib
from dataclasses import dataclass

from flask import Flask, request
from flask_login import UserMixin, current_user
from sqlalchemy import bindparam, select

from inventory.request_kind import is_api_request
from inventory.auth.models import ApiToken, User
from inventory.extensions import csrf, db, login_manager
from inventory.prepared import Prepared


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenUser(UserMixin):
    """The owner of a bearer token, as the API sees it: a plain row, no ORM object.

    API handlers and services need only ``id`` and ``role`` (site scopes are queried by id);
    building an ORM ``User`` per request cost as much as the rest of a handout's look-ups.
    """

    id: int
    role: str


# Every API call runs it, so it is prepared.
_USER_FOR_TOKEN = Prepared(
    select(User.id, User.role)
    .join(ApiToken.__table__, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None),
           User.active.is_(True))
)


def user_for_token(token: str) -> TokenUser | User | None:
    """The active owner of an unrevoked token, or None: a :class:`TokenUser` under /api/, the
    ORM ``User`` on pages (templates use its relationships)."""
    row = _USER_FOR_TOKEN.first(db.session.connection(), {"digest": token_digest(token)})
    if row is None:
        return None
    if is_api_request():
        return TokenUser(row.id, row.role)
    return db.session.get(User, row.id)


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in."

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    @login_manager.request_loader
    def load_from_token(req) -> TokenUser | User | None:
        token = _bearer_token()
        if token is None:
            return None
        return user_for_token(token)

    @app.before_request
    def _csrf_unless_bearer():
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        if request.routing_exception is not None:
            return  # let the 404 or 405 through
        if is_api_request() and (
            _bearer_token() is not None or not current_user.is_authenticated
        ):
            # Only a session cookie can be forged by another site; a bearer token cannot,
            # and an anonymous call is answered 401 by the endpoint.
            return
        csrf.protect()
