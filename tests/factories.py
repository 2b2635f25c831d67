"""Small builders for test data. They flush; the test (or fixture) commits."""
import functools
import itertools
import secrets
import time

from sqlalchemy import select

from inventory.auth.loaders import token_digest
from inventory.auth.models import ApiToken, User
from inventory.auth.passwords import hash_password
from inventory.catalog.models import Item, Site
from inventory.extensions import db

_seq = itertools.count(1)


@functools.cache
def _hashed(password: str) -> str:
    """argon2 is slow by design; hash each test password once per session."""
    return hash_password(password)


def make_site(code: str | None = None, kind: str = "fixed", name: str | None = None) -> Site:
    code = code or f"S{next(_seq)}"
    site = db.session.scalar(select(Site).where(Site.code == code))
    if site is None:
        site = Site(code=code, name=name or f"Site {code}", kind=kind, active=True)
        db.session.add(site)
        db.session.flush()
    return site


def make_user(role: str = "staff", sites=(), email: str | None = None,
              password: str = "correct horse battery") -> User:
    user = User(email=email or f"user{next(_seq)}@example.org", role=role,
                password_hash=_hashed(password), active=True)
    user.sites = [s if isinstance(s, Site) else make_site(s) for s in sites]
    db.session.add(user)
    db.session.flush()
    return user


def make_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), prefix=token[:8]))
    db.session.flush()
    return token


def item(code: str) -> Item:
    return db.session.scalar(select(Item).where(Item.code == code))


def sign_in(client, user: User) -> None:
    """Give ``client`` the session cookie of ``user`` signed in just now (no password check)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["_last_seen"] = int(time.time())
