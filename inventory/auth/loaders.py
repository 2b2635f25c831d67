"""Who is asking: the session user (Flask-Login) or the owner of a bearer API token.

- Pages accept only the session cookie; a bearer token never opens a page.
- An API request that carries ``Authorization`` is authenticated by that header alone (the
  session cookie beside it is ignored): a valid, unrevoked, unexpired token of an active user,
  else 401.
- CSRF is checked on every state-changing request that was authenticated by the session
  cookie, the only credential another site can make a browser send; a request authenticated
  by a bearer token skips it.
"""
import hashlib
from dataclasses import dataclass

from flask import Flask, abort, g, request
from flask_login import UserMixin, current_user
from sqlalchemy import bindparam, or_, select

from inventory.request_kind import is_api_request
from inventory.auth.models import ApiToken, User
from inventory.database import utcnow
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
    must_change_password = False  # a token is not a sign-in: the forced change is for pages


# Every API call runs it, so it is prepared.
_USER_FOR_TOKEN = Prepared(
    select(User.id, User.role)
    .join(ApiToken.__table__, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None),
           or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > bindparam("now")),
           User.active.is_(True))
)


def user_for_token(token: str) -> TokenUser | None:
    """The active owner of an unrevoked, unexpired token, or None."""
    row = _USER_FOR_TOKEN.first(db.session.connection(),
                                {"digest": token_digest(token), "now": utcnow()})
    return None if row is None else TokenUser(row.id, row.role)


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def authenticated_by() -> str | None:
    """How this request's user was authenticated: "token", "session", or None (anonymous)."""
    if not current_user.is_authenticated:
        return None
    return g.get("authenticated_by", "session")


def parse_session_id(user_id: str) -> tuple[int, str] | None:
    """``(id, session token)`` from a session's ``"<id>:<token>"``; None for anything else
    (an id of the old format, without a token, is refused too)."""
    raw_id, sep, token = (user_id or "").partition(":")
    if not sep or not raw_id.isdigit() or len(raw_id) > 12:
        return None
    return int(raw_id), token


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in."
    login_manager.session_protection = app.config["SESSION_PROTECTION"]

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if is_api_request() and "Authorization" in request.headers:
            return None  # the header alone decides (request_loader)
        parsed = parse_session_id(user_id)
        if parsed is None:
            return None
        user = db.session.get(User, parsed[0])
        if user is None or not user.active or user.session_token != parsed[1]:
            return None  # signed out everywhere, password changed, or deactivated
        return user

    @login_manager.request_loader
    def load_from_token(req) -> TokenUser | None:
        if not is_api_request():
            return None  # tokens open the API only
        token = _bearer_token()
        if token is None:
            return None
        user = user_for_token(token)
        if user is not None:
            g.authenticated_by = "token"
        return user

    @app.before_request
    def _bearer_or_401():
        # An Authorization header that does not authenticate is refused outright, whatever
        # cookie comes with it: a client that sends a credential must learn it is bad.
        if (is_api_request() and "Authorization" in request.headers
                and request.routing_exception is None and not current_user.is_authenticated):
            abort(401)

    @app.before_request
    def _csrf_for_sessions():
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        if request.routing_exception is not None:
            return  # let the 404 or 405 through
        how = authenticated_by()
        if how == "token" or (how is None and is_api_request()):
            # A bearer token cannot be forged by another site; an anonymous API call is
            # answered 401 by the endpoint.
            return
        csrf.protect()
