"""Shared fixtures. ``pytest`` alone uses a throwaway SQLite file; ``TEST_DATABASE_URL`` points
the same suite at PostgreSQL (the database is emptied and migrated at session start)."""
import os
import uuid

import pytest
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from inventory import create_app
from inventory.catalog.seed import seed_catalogue
from inventory.extensions import db as _db, limiter
from inventory.kits.seed import seed_kits
from inventory.onsite.services import seed_services
from inventory.stock.seed import seed_reasons
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


class RequestScopedClient(FlaskClient):
    """A test client whose requests never see a previous request's ``g``.

    Tests keep an app context pushed (for ``db.session``) and Flask reuses it for requests made
    inside it, so ``g`` (signed-in user, CSRF state) would otherwise leak from one request into
    the next.
    """

    def open(self, *args, **kwargs):
        _clear_g()
        try:
            return super().open(*args, **kwargs)
        finally:
            _clear_g()


def _clear_g() -> None:
    try:
        vars(g._get_current_object()).clear()
    except RuntimeError:  # no app context: nothing to leak
        return
    # The test shares the request's session: forget what it had loaded, as a new request would.
    _db.session.expire_all()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "AUTO_UPGRADE_SQLITE": False,
        "SECRET_KEY": "test-secret-key",
        "PARTICIPANT_CODE_SECRET": "test-participant-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLITE_BUSY_TIMEOUT_MS": 60_000,
        "RATELIMIT_STORAGE_URI": "memory://",  # tests/test_login_throttle.py tries Redis
    })
    app.test_client_class = RequestScopedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():  # close the pool's connections now, not whenever gc finds them
        _db.engine.dispose()


def _empty_all_tables() -> None:
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def db(app):
    """The database, emptied and seeded with the standard catalogue, kits and reasons, in an app
    context (as first run leaves it)."""
    with app.app_context():
        _empty_all_tables()
        limiter.reset()  # failed sign-ins of earlier tests do not count
        seed_catalogue()
        seed_kits()
        seed_reasons()
        seed_services()
        _db.session.commit()
        yield _db
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def make_site(db):
    return factories.make_site


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def login_as(client, db):
    """Sign the test client in as a new user of ``role`` (with ``sites``); returns the user."""

    def _login(role: str, sites=()):
        user = factories.make_user(role=role, sites=sites)
        _db.session.commit()
        factories.sign_in(client, user)
        return user

    return _login


@pytest.fixture
def api_headers(db):
    """Bearer headers for a new user of ``role`` (with ``sites``)."""

    def _headers(role: str, sites=()):
        user = factories.make_user(role=role, sites=sites)
        token = factories.make_token(user)
        _db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _headers


@pytest.fixture
def new_client_id():
    return lambda: str(uuid.uuid4())
