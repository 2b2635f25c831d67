"""Admin pages: users, sites, items, settings and the audit log; access rules; bad input."""
import json

import pytest
from sqlalchemy import func, select

from inventory.audit.models import AuditEntry
from inventory.auth.models import User
from inventory.auth.passwords import verify_password
from inventory.catalog.models import Item, Site
from inventory.settings.models import ProgramSettings
from tests import factories

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/users/new", "/admin/sites", "/admin/sites/new",
               "/admin/items", "/admin/items/new", "/admin/settings", "/admin/audit"]
NEW_PASSWORD = "a brand new passphrase"


def _audit(db, entity: str, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(login_as, db):
    return login_as("admin")


# --- Access ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/login")
    assert client.post(path, data={}).status_code in (302, 405)


@pytest.mark.parametrize("role", ["staff", "coordinator", "reporter"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_non_admins_get_403(client, login_as, make_site, role, path):
    login_as(role, sites=[make_site("A")] if role == "staff" else ())
    assert client.get(path).status_code == 403


def test_non_admin_post_changes_nothing(client, login_as, db):
    login_as("coordinator")
    response = client.post("/admin/sites/new", data={"code": "X1", "name": "X", "kind": "fixed"})
    assert response.status_code == 403
    assert _count(db, Site) == 0


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_can_open_every_page(client, admin, path):
    assert client.get(path).status_code == 200


# --- Users -------------------------------------------------------------------------------------

def _statements(db, fetch) -> int:
    """How many SQL statements ``fetch()`` runs."""
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        fetch()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_user_list_loads_sites_without_a_query_per_user(client, admin, make_site, make_user, db):
    sites = [make_site("S1"), make_site("S2")]
    make_user(role="staff", sites=sites)
    db.session.commit()
    few = _statements(db, lambda: client.get("/admin/users"))
    for _ in range(4):
        make_user(role="staff", sites=sites)
    db.session.commit()
    page = {}
    many = _statements(db, lambda: page.setdefault("r", client.get("/admin/users")))
    assert page["r"].status_code == 200
    assert page["r"].get_data(as_text=True).count("S1, S2") == 5
    assert many == few


def test_create_user_with_role_and_sites(client, admin, make_site, db):
    make_site("VAN1"), make_site("FIX2"), make_site("FIX3")
    response = client.post("/admin/users/new", data={
        "email": "new.staff@example.org", "role": "staff", "sites": ["VAN1", "FIX2"],
        "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/admin/users"
    user = db.session.scalar(select(User).where(User.email == "new.staff@example.org"))
    assert user.role == "staff" and user.active
    assert [s.code for s in user.sites] == ["FIX2", "VAN1"]
    assert verify_password(user.password_hash, NEW_PASSWORD)
    entry = _audit(db, "user", "create")[-1]
    assert entry.user_id == admin.id and entry.entity_id == str(user.id)
    assert entry.details["sites"] == ["FIX2", "VAN1"]
    assert NEW_PASSWORD not in json.dumps(entry.details)
    assert "new.staff@example.org" in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"email": "taken@example.org"}, "already exists"),
    ({"email": "no-at-sign"}, "valid email"),
    ({"sites": ["GHOST"]}, "not a valid choice"),
    ({"role": "superuser"}, "Not a valid choice"),
    ({"password_confirm": "something else entirely"}, "Passwords differ"),
    ({"password": "short", "password_confirm": "short"}, "at least 12"),
])
def test_create_user_bad_input_shows_message_and_writes_nothing(client, admin, make_site,
                                                                make_user, db, change, message):
    make_site("VAN1")
    make_user(email="taken@example.org")
    db.session.commit()
    users_before, audit_before = _count(db, User), _count(db, AuditEntry)
    data = {"email": "fresh@example.org", "role": "staff", "sites": ["VAN1"],
            "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, **change}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (_count(db, User), _count(db, AuditEntry)) == (users_before, audit_before)


def test_edit_user_role_sites_and_deactivate(client, admin, make_site, make_user, db):
    a, b = make_site("A1"), make_site("B1")
    user = make_user(role="staff", sites=[a], email="edit.me@example.org")
    db.session.commit()
    response = client.post(f"/admin/users/{user.id}/edit",
                           data={"role": "coordinator", "sites": ["B1"]})  # active unchecked
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.role, [s.code for s in user.sites], user.active) == ("coordinator", ["B1"], False)
    entry = _audit(db, "user", "update")[-1]
    assert entry.details["changes"] == {"role": ["staff", "coordinator"],
                                        "sites": [["A1"], ["B1"]], "active": [True, False]}
    assert b.id

    # The deactivated user cannot sign in any more.
    client.post("/logout")
    response = client.post("/login", data={"email": "edit.me@example.org",
                                           "password": "correct horse battery"})
    assert response.status_code == 200 and "Wrong email or password" in response.get_data(True)


def test_edit_user_bad_input_changes_nothing(client, admin, make_site, make_user, db):
    user = make_user(role="staff", sites=[make_site("A1")])
    db.session.commit()
    audit_before = _count(db, AuditEntry)
    response = client.post(f"/admin/users/{user.id}/edit",
                           data={"role": "staff", "sites": ["NOPE"], "active": "y"})
    assert response.status_code == 422 and "not a valid choice" in response.get_data(True)
    db.session.expire_all()
    assert [s.code for s in db.session.get(User, user.id).sites] == ["A1"]
    assert _count(db, AuditEntry) == audit_before


def test_last_admin_cannot_demote_themself(client, admin, db):
    response = client.post(f"/admin/users/{admin.id}/edit", data={"role": "staff", "active": "y"})
    assert response.status_code == 422 and "last active admin" in response.get_data(True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"


def test_reset_password(client, admin, make_user, db):
    user = make_user(email="forgot@example.org")
    db.session.commit()
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, "correct horse battery")
    entry = _audit(db, "user", "reset_password")[-1]
    assert entry.entity_id == str(user.id) and NEW_PASSWORD not in json.dumps(entry.details)


def test_reset_password_mismatch_changes_nothing(client, admin, make_user, db):
    user = make_user(email="forgot@example.org")
    db.session.commit()
    old_hash = user.password_hash
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"password": NEW_PASSWORD, "password_confirm": "other thing!"})
    assert response.status_code == 422 and "Passwords differ" in response.get_data(True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/99999/edit").status_code == 404


# --- Sites -------------------------------------------------------------------------------------

def test_create_and_edit_site(client, admin, db):
    response = client.post("/admin/sites/new",
                           data={"code": "VAN2", "name": "Night van", "kind": "mobile",
                                 "active": "y"})
    assert response.status_code == 302
    site = db.session.scalar(select(Site).where(Site.code == "VAN2"))
    assert (site.name, site.kind, site.active) == ("Night van", "mobile", True)
    assert _audit(db, "site", "create")[-1].details["code"] == "VAN2"

    response = client.post(f"/admin/sites/{site.id}/edit",
                           data={"code": "VAN2", "name": "Day van", "kind": "peer"})
    assert response.status_code == 302
    db.session.refresh(site)
    assert (site.name, site.kind, site.active) == ("Day van", "peer", False)
    assert _audit(db, "site", "update")[-1].details["changes"]["name"] == ["Night van", "Day van"]
    assert "Day van" in client.get("/admin/sites").get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"code": "TAKEN"}, "already exists"),
    ({"code": "has space"}, "no spaces"),
    ({"name": ""}, "This field is required"),
    ({"kind": "spaceship"}, "Not a valid choice"),
])
def test_site_bad_input_shows_message_and_writes_nothing(client, admin, make_site, db,
                                                         change, message):
    taken, mine = make_site("TAKEN"), make_site("MINE", name="Mine")
    db.session.commit()
    audit_before = _count(db, AuditEntry)
    data = {"code": "MINE", "name": "Renamed", "kind": "fixed", "active": "y", **change}
    response = client.post(f"/admin/sites/{mine.id}/edit", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    created = client.post("/admin/sites/new", data=dict(data, code=data["code"] if "code" in change
                                                         else "NEWONE"))
    assert created.status_code == 422
    db.session.expire_all()
    assert [(s.code, s.name) for s in db.session.scalars(select(Site).order_by(Site.code))] == \
        [("MINE", "Mine"), ("TAKEN", taken.name)]
    assert _count(db, AuditEntry) == audit_before


# --- Items -------------------------------------------------------------------------------------

ITEM = {"code": "BANDAGE", "name": "Adhesive bandage", "category": "wound_care", "unit": "each",
        "pack_size": "100", "doses_per_unit": "1", "display_order": "5", "active": "y"}


def test_items_listed_in_display_order(client, admin, db):
    html = client.get("/admin/items").get_data(as_text=True)
    codes = [item.code for item in db.session.scalars(
        select(Item).order_by(Item.display_order, Item.code))]
    positions = [html.index(f"<td>{code}</td>") for code in codes]
    assert positions == sorted(positions)


def test_create_and_edit_item(client, admin, db):
    response = client.post("/admin/items/new", data=ITEM)
    assert response.status_code == 302
    item = factories.item("BANDAGE")
    assert (item.name, item.category, item.unit, item.pack_size, item.display_order,
            item.tracks_expiry, item.active) == ("Adhesive bandage", "wound_care", "each", 100, 5,
                                                 False, True)
    html = client.get("/admin/items").get_data(as_text=True)
    assert html.index("<td>BANDAGE</td>") < html.index("<td>SYR-1ML-28G</td>")  # order 5 < 10

    edit = {"code": "BANDAGE-L", "name": "Large bandage", "category": "other", "unit": "box",
            "pack_size": "12", "doses_per_unit": "3", "display_order": "999",
            "tracks_expiry": "y"}  # active unchecked
    assert client.post(f"/admin/items/{item.id}/edit", data=edit).status_code == 302
    db.session.refresh(item)
    assert (item.code, item.name, item.category, item.unit, item.pack_size, item.doses_per_unit,
            item.display_order, item.tracks_expiry, item.active) == (
        "BANDAGE-L", "Large bandage", "other", "box", 12, 3, 999, True, False)
    changes = _audit(db, "item", "update")[-1].details["changes"]
    assert changes["pack_size"] == [100, 12] and changes["active"] == [True, False]


@pytest.mark.parametrize("change, message", [
    ({"pack_size": "0"}, "at least 1"),
    ({"doses_per_unit": "-2"}, "at least 1"),
    ({"pack_size": "many"}, "Not a valid integer"),
    ({"category": "snacks"}, "Not a valid choice"),
    ({"code": "FTS"}, "already exists"),
    ({"unit": ""}, "This field is required"),
])
def test_item_bad_input_shows_message_and_writes_nothing(client, admin, db, change, message):
    items_before, audit_before = _count(db, Item), _count(db, AuditEntry)
    response = client.post("/admin/items/new", data={**ITEM, **change})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    narcan = factories.item("NARCAN-4MG")
    before = (narcan.code, narcan.pack_size, narcan.category, narcan.unit)
    edit = {**ITEM, "code": "NARCAN-4MG", **change}
    response = client.post(f"/admin/items/{narcan.id}/edit", data=edit)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    narcan = factories.item("NARCAN-4MG")
    assert (narcan.code, narcan.pack_size, narcan.category, narcan.unit) == before
    assert (_count(db, Item), _count(db, AuditEntry)) == (items_before, audit_before)


# --- Settings ----------------------------------------------------------------------------------

SETTINGS = {"program_name": "Riverside Outreach", "timezone": "America/Denver",
            "fiscal_year_start_month": "1", "suppression_threshold": "5",
            "idle_timeout_minutes": "15"}


def test_update_settings(client, admin, db):
    assert client.post("/admin/settings", data=SETTINGS).status_code == 302
    row = db.session.scalar(select(ProgramSettings))
    assert (row.program_name, row.timezone, row.fiscal_year_start_month,
            row.suppression_threshold) == ("Riverside Outreach", "America/Denver", 1, 5)
    changed = {**SETTINGS, "suppression_threshold": "20"}
    assert client.post("/admin/settings", data=changed).status_code == 302
    db.session.refresh(row)
    assert row.suppression_threshold == 20
    entry = _audit(db, "settings", "update")[-1]
    assert entry.details["changes"] == {"suppression_threshold": [5, 20]}
    assert 'value="Riverside Outreach"' in client.get("/admin/settings").get_data(as_text=True)
    assert client.post("/admin/settings", data={**changed, "idle_timeout_minutes": "5"}
                       ).status_code == 302
    db.session.refresh(row)
    assert row.idle_timeout_minutes == 5


@pytest.mark.parametrize("change, message", [
    ({"suppression_threshold": "1"}, "at least 2"),
    ({"timezone": "Atlantis/Capital"}, "Unknown timezone"),
    ({"fiscal_year_start_month": "0"}, "Not a valid choice"),
    ({"program_name": ""}, "This field is required"),
    ({"idle_timeout_minutes": "0"}, "From 1 to 720"),
])
def test_settings_bad_input_changes_nothing(client, admin, db, change, message):
    assert client.post("/admin/settings", data=SETTINGS).status_code == 302
    audit_before = _count(db, AuditEntry)
    response = client.post("/admin/settings", data={**SETTINGS, "program_name": "Other",
                                                    **change})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.scalar(select(ProgramSettings))
    assert (row.program_name, row.suppression_threshold) == ("Riverside Outreach", 5)
    assert _count(db, AuditEntry) == audit_before


# --- Audit log ---------------------------------------------------------------------------------

def test_audit_log_lists_changes_newest_first(client, admin, db):
    client.post("/admin/sites/new", data={"code": "OLD1", "name": "First", "kind": "fixed"})
    client.post("/admin/sites/new", data={"code": "NEW2", "name": "Second", "kind": "fixed"})
    html = client.get("/admin/audit").get_data(as_text=True)
    html = html[html.index("<table"):]  # past the flash messages
    assert admin.email in html
    assert html.index("NEW2") < html.index("OLD1")
    assert len(_audit(db, "site", "create")) == 2
