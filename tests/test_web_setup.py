"""First-run setup: every HTML page leads to /setup until the first admin exists."""
import pytest
from sqlalchemy import func, select

from inventory.audit.models import AuditEntry
from inventory.auth.models import User
from inventory.auth.passwords import verify_password
from inventory.settings.models import ProgramSettings
from tests.web_helpers import setup_redirect_on

GOOD = {
    "program_name": "Harbor Harm Reduction",
    "timezone": "America/Chicago",
    "fiscal_year_start_month": "10",
    "suppression_threshold": "11",
    "email": "Admin@Example.org",
    "password": "a long enough secret",
    "password_confirm": "a long enough secret",
}


@pytest.fixture
def fresh(app, client):
    with setup_redirect_on(app):
        yield client


def _counts(db):
    return (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(ProgramSettings)))


@pytest.mark.parametrize("path", ["/", "/login", "/admin/users", "/admin/settings",
                                  "/sites/X/stock", "/no-such-page"])
def test_html_pages_redirect_to_setup_until_an_admin_exists(fresh, path):
    response = fresh.get(path)
    assert response.status_code == 302
    assert response.location == "/setup"


def test_api_and_static_are_not_redirected(fresh):
    assert fresh.get("/api/v1/sites").status_code == 401
    with fresh.get("/static/css/app.css") as response:
        assert response.status_code == 200


def test_setup_page_shows_the_form(fresh):
    response = fresh.get("/setup")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("program_name", "timezone", "fiscal_year_start_month", "email", "password",
                 "password_confirm"):
        assert f'name="{name}"' in html
    assert 'value="11"' in html  # the suppression threshold default


@pytest.mark.parametrize("field, value, message", [
    ("timezone", "Mars/Olympus_Mons", "Unknown timezone"),
    ("timezone", "", "This field is required"),
    ("fiscal_year_start_month", "13", "Not a valid choice"),
    ("password_confirm", "something else entirely", "Passwords differ"),
    ("password", "short", "at least 12"),
    ("email", "not-an-email", "valid email"),
    ("program_name", "", "This field is required"),
    ("suppression_threshold", "1", "at least 2"),
])
def test_bad_setup_input_shows_the_message_and_writes_nothing(fresh, db, field, value, message):
    data = dict(GOOD, **{field: value})
    if field == "password":
        data["password_confirm"] = value
    response = fresh.post("/setup", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(db) == (0, 0)
    assert fresh.get("/").location == "/setup"


def test_setup_creates_admin_and_settings_then_is_gone(fresh, db):
    response = fresh.post("/setup", data=GOOD)
    assert response.status_code == 302
    assert response.location == "/"

    admin = db.session.scalar(select(User))
    assert admin.email == "admin@example.org" and admin.role == "admin" and admin.active
    assert verify_password(admin.password_hash, GOOD["password"])
    settings = db.session.scalar(select(ProgramSettings))
    assert (settings.program_name, settings.timezone, settings.fiscal_year_start_month,
            settings.suppression_threshold) == ("Harbor Harm Reduction", "America/Chicago", 10, 11)
    actions = {(e.action, e.entity) for e in db.session.scalars(select(AuditEntry))}
    assert {("create", "user"), ("create", "settings"), ("setup", "program")} <= actions

    # Signed in as the new admin; pages no longer redirect to setup.
    home = fresh.get("/")
    assert home.status_code == 200
    assert "Harbor Harm Reduction" in home.get_data(as_text=True)
    assert fresh.get("/admin/users").status_code == 200

    # Setup is over: the page leads to sign-in, and a second POST creates nothing.
    assert fresh.get("/setup").location == "/login"
    again = fresh.post("/setup", data=dict(GOOD, email="intruder@example.org"))
    assert again.status_code == 404
    assert _counts(db) == (1, 1)


def test_setup_done_when_admin_exists_already(fresh, make_user, db):
    make_user(role="admin")
    db.session.commit()
    assert fresh.get("/login").status_code == 200
    assert fresh.get("/setup").location == "/login"


def test_setup_state_is_cached_once_done(fresh, make_user, db):
    """Once an admin is seen, pages stop asking the database whether setup is done."""
    from sqlalchemy import event

    make_user(role="admin")
    db.session.commit()
    assert fresh.get("/login").status_code == 200  # first look: queries, then remembers
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert fresh.get("/login").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


def test_setup_seeds_the_catalogue_on_a_database_that_was_only_migrated(fresh, db):
    """On PostgreSQL nothing seeds at start-up: setup fills the catalogue, kits and reasons."""
    from inventory.catalog.models import Item
    from inventory.catalog.seed import STANDARD_ITEMS
    from inventory.kits.models import Kit, KitItem
    from inventory.kits.seed import STANDARD_KITS
    from inventory.stock.models import StockReason
    from inventory.stock.seed import STANDARD_REASONS

    db.session.execute(KitItem.__table__.delete())
    db.session.execute(Kit.__table__.delete())
    db.session.execute(Item.__table__.delete())
    db.session.execute(StockReason.__table__.delete())
    db.session.commit()
    db.session.expunge_all()

    assert fresh.post("/setup", data=GOOD).status_code == 302

    assert db.session.scalar(select(func.count()).select_from(Item)) == len(STANDARD_ITEMS)
    assert db.session.scalar(select(func.count()).select_from(StockReason)) == len(STANDARD_REASONS)
    assert db.session.scalar(select(func.count()).select_from(Kit)) == len(STANDARD_KITS)
