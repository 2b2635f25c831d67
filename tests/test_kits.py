"""Kits (issue 11, point 1): seeding, the admin pages (create, edit, reorder, show/hide, audit),
bad input, roles and the ``GET /api/v1/kits`` contract."""
import pytest
from sqlalchemy import func, select

from inventory.audit.models import AuditEntry
from inventory.catalog.models import Item
from inventory.errors import InvalidInput
from inventory.kits import services
from inventory.kits.models import Kit, KitItem
from inventory.kits.seed import STANDARD_KITS, seed_kits
from inventory.kits.services import KitLine
from tests.api_helpers import PROBLEM, assert_problem, bearer, item_id

INJECTION = [{"item": "SYR-1ML-28G", "quantity": 10}, {"item": "COOKER", "quantity": 10},
             {"item": "COTTON", "quantity": 10}, {"item": "TOURNIQUET", "quantity": 1}]


def _kits(db) -> list[Kit]:
    return list(db.session.scalars(select(Kit).order_by(Kit.display_order)))


def _audit(db, action=None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == "kit").order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def _form(code="HEP", name="Hepatitis kit", order="50", active=True, **quantities) -> dict:
    data = {"code": code, "name": name, "display_order": order}
    if active:
        data["active"] = "y"
    for item_code, quantity in quantities.items():
        data[f"qty_{item_id(item_code.replace('_', '-'))}"] = str(quantity)
    return data


@pytest.fixture
def admin(login_as):
    return login_as("admin")


# --- Seeding -----------------------------------------------------------------------------------

def test_first_run_seeds_standard_kits_from_the_catalogue(db):
    kits = _kits(db)
    assert [k.code for k in kits] == [code for code, _, _ in STANDARD_KITS]
    assert {"INJECTION", "SMOKING", "NALOXONE"} <= {k.code for k in kits}
    injection = kits[0]
    assert [(line.item.code, line.quantity) for line in injection.items] == [
        ("SYR-1ML-28G", 10), ("COOKER", 10), ("COTTON", 10), ("TOURNIQUET", 1)]
    assert seed_kits() == 0  # once only: an admin's changes are never overwritten


def _no_kits(db) -> None:
    db.session.execute(KitItem.__table__.delete())
    db.session.execute(Kit.__table__.delete())
    db.session.commit()
    db.session.expunge_all()  # the deleted rows' objects would clash with new rows' ids


def test_seeding_leaves_out_items_missing_from_the_catalogue(db):
    _no_kits(db)
    db.session.get(Item, item_id("NARCAN-4MG")).active = False
    db.session.flush()
    added = seed_kits()
    codes = [k.code for k in _kits(db)]
    assert "NALOXONE" not in codes and added == len(STANDARD_KITS) - 1


def test_seed_demo_has_the_standard_kits(app, db):
    _no_kits(db)
    result = app.test_cli_runner().invoke(args=["seed-demo", "--events", "0",
                                                "--password", "demo passphrase 1"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert {"INJECTION", "SMOKING", "NALOXONE"} <= {k.code for k in _kits(db)}


# --- API ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["staff", "coordinator", "reporter", "admin"])
def test_every_role_reads_kits_in_order(client, role):
    response = client.get("/api/v1/kits", headers=bearer(role))
    assert response.status_code == 200
    kits = response.get_json()
    assert kits[0] == {"code": "INJECTION", "name": "Injection kit", "items": INJECTION}
    assert [k["code"] for k in kits] == [code for code, _, _ in STANDARD_KITS]
    assert all(set(k) == {"code", "name", "items"} for k in kits)


def test_anonymous_gets_401_problem(client):
    response = client.get("/api/v1/kits")
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_api_leaves_out_hidden_kits_and_inactive_items(client, db):
    kits = {k.code: k for k in _kits(db)}
    services.set_active(kits["SMOKING"], False)
    db.session.get(Item, item_id("TOURNIQUET")).active = False
    db.session.get(Item, item_id("NARCAN-4MG")).active = False  # the naloxone kit is left empty
    db.session.commit()
    body = client.get("/api/v1/kits", headers=bearer("staff")).get_json()
    assert [k["code"] for k in body] == ["INJECTION", "SAFER-SEX"]
    assert body[0]["items"] == INJECTION[:3]


def test_kits_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/kits" in spec["paths"] and "/api/v1/handout-config" in spec["paths"]


# --- Admin pages -------------------------------------------------------------------------------

def test_admin_creates_a_kit_and_it_is_audited(client, admin, db):
    page = client.get("/admin/kits/new")
    assert page.status_code == 200 and b"Items in the kit" in page.data
    response = client.post("/admin/kits/new", data=_form(WOUND_KIT=2, ALCOHOL_PAD=5))
    assert response.status_code == 302 and response.location.endswith("/admin/kits")
    kit = db.session.scalar(select(Kit).where(Kit.code == "HEP"))
    # Lines follow the catalogue's display order: the alcohol pad comes before the wound kit.
    assert [(line.item.code, line.quantity) for line in kit.items] == [
        ("ALCOHOL-PAD", 5), ("WOUND-KIT", 2)]
    entry = _audit(db, "create")[-1]
    assert entry.user_id == admin.id
    assert entry.details["items"] == [["ALCOHOL-PAD", 5], ["WOUND-KIT", 2]]
    listing = client.get("/admin/kits").get_data(as_text=True)
    assert "Hepatitis kit" in listing and "5 × Alcohol pad" in listing


def test_admin_edits_a_kit(client, admin, db):
    kit = _kits(db)[0]
    page = client.get(f"/admin/kits/{kit.id}/edit").get_data(as_text=True)
    assert 'value="10"' in page  # the current quantities are filled in
    response = client.post(f"/admin/kits/{kit.id}/edit", data=_form(
        "INJECTION", "Injection kit (large)", "10", SYR_1ML_28G=20, COOKER=20, COTTON=20))
    assert response.status_code == 302
    db.session.expire_all()
    kit = db.session.get(Kit, kit.id)
    assert kit.name == "Injection kit (large)"
    assert [(line.item.code, line.quantity) for line in kit.items] == [
        ("SYR-1ML-28G", 20), ("COOKER", 20), ("COTTON", 20)]
    changes = _audit(db, "update")[-1].details["changes"]
    assert changes["name"] == ["Injection kit", "Injection kit (large)"]
    assert changes["items"][1] == [["SYR-1ML-28G", 20], ["COOKER", 20], ["COTTON", 20]]


def test_admin_reorders_kits(client, admin, db):
    before = [k.code for k in _kits(db)]
    second = _kits(db)[1]
    assert client.post(f"/admin/kits/{second.id}/move",
                       data={"direction": "up"}).status_code == 302
    db.session.expire_all()
    expected = [before[1], before[0], *before[2:]]
    assert [k.code for k in _kits(db)] == expected
    api = client.get("/api/v1/kits").get_json()
    assert [k["code"] for k in api] == expected
    assert _audit(db, "reorder")[-1].details["order"] == expected
    first = _kits(db)[0]
    client.post(f"/admin/kits/{first.id}/move", data={"direction": "up"})  # already first
    db.session.expire_all()
    assert [k.code for k in _kits(db)] == expected
    assert client.post(f"/admin/kits/{first.id}/move",
                       data={"direction": "sideways"}).status_code == 400


def test_admin_hides_and_shows_a_kit(client, admin, db):
    kit = _kits(db)[0]
    response = client.post(f"/admin/kits/{kit.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert "hidden from the handout screen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Kit, kit.id).active is False
    assert "INJECTION" not in [k["code"] for k in client.get("/api/v1/kits").get_json()]
    assert _audit(db, "update")[-1].details["changes"] == {"active": [True, False]}
    client.post(f"/admin/kits/{kit.id}/active", data={"active": "1"})
    db.session.expire_all()
    assert db.session.get(Kit, kit.id).active is True
    assert client.post(f"/admin/kits/{kit.id}/active", data={"active": "x"}).status_code == 400


def test_unknown_kit_is_404(client, admin):
    assert client.get("/admin/kits/999999/edit").status_code == 404
    assert client.get(f"/admin/kits/{2**40}/edit").status_code == 404


@pytest.mark.parametrize("role", ["staff", "coordinator", "reporter"])
def test_non_admins_cannot_change_kits(client, login_as, make_site, db, role):
    login_as(role, sites=[make_site("A")] if role == "staff" else ())
    kit = _kits(db)[0]
    assert client.get("/admin/kits").status_code == 403
    assert client.post("/admin/kits/new", data=_form(COOKER=1)).status_code == 403
    assert client.post(f"/admin/kits/{kit.id}/active", data={"active": "0"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Kit, kit.id).active is True and not _audit(db)


# --- Bad input ---------------------------------------------------------------------------------



@pytest.mark.parametrize("change,message", [
    ({"code": ""}, "This field is required."),
    ({"code": "has space"}, "no spaces"),
    ({"code": "INJECTION"}, "already exists"),
    ({"code": "injection"}, "already exists"),  # codes differ in more than case
    ({"code": "X" * 33}, "Field cannot be longer than 32 characters."),
    ({"name": ""}, "This field is required."),
    ({"name": "bad\x00name"}, "not allowed"),
    ({"display_order": "soon"}, "Not a valid integer value."),
    ({"qty": "-1"}, "Number must be between 0 and 1000."),
    ({"qty": "1001"}, "Number must be between 0 and 1000."),
    ({"qty": "99999999999999999999"}, "Number must be between 0 and 1000."),
    ({"qty": "0"}, "A kit needs at least one item."),
])
def test_bad_kit_form_is_shown_again_and_writes_nothing(client, admin, db, change, message):
    data = _form(COOKER=3)
    if "qty" in change:
        data[f"qty_{item_id('COOKER')}"] = change.pop("qty")
    data.update(change)
    before = (db.session.scalar(select(func.count()).select_from(Kit)), len(_audit(db)))
    response = client.post("/admin/kits/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.scalar(select(func.count()).select_from(Kit)), len(_audit(db))) == before


@pytest.mark.parametrize("lines,message", [
    ([], "at least one item"),
    ([KitLine("NO-SUCH-ITEM", 1)], "No active item"),
    ([KitLine("COOKER", 1), KitLine("COOKER", 2)], "listed twice"),
    ([KitLine("COOKER", 0)], "from 1 to 1000"),
    ([KitLine("COOKER", -5)], "from 1 to 1000"),
    ([KitLine("COOKER", 10**12)], "from 1 to 1000"),
    ([KitLine("COOKER", "ten")], "whole number"),
    ([KitLine(f"X{i}", 1) for i in range(31)], "at most 30"),
])
def test_service_refuses_bad_lines(db, lines, message):
    with pytest.raises(InvalidInput, match=message) as raised:
        services.create_kit("NEW", "New kit", lines)
    assert raised.value.field == "items"


def test_service_refuses_an_inactive_item(db):
    db.session.get(Item, item_id("COOKER")).active = False
    with pytest.raises(InvalidInput, match="No active item"):
        services.create_kit("NEW", "New kit", [KitLine("COOKER", 1)])


@pytest.mark.parametrize("code,name,field", [
    ("A\x00B", "Kit", "code"), ("AB", "Kit\udfff", "name"), ("", "Kit", "code"),
    ("AB", " ", "name"), ("AB", "N" * 81, "name"), ("-AB", "Kit", "code"),
])
def test_service_refuses_bad_text(db, code, name, field):
    with pytest.raises(InvalidInput) as raised:
        services.create_kit(code, name, [KitLine("COOKER", 1)])
    assert raised.value.field == field


def test_editing_keeps_code_unique(db):
    first, second = _kits(db)[:2]
    with pytest.raises(InvalidInput, match="already exists"):
        services.update_kit(second, first.code.lower(), "x", [KitLine("COOKER", 1)], 5, True)
    services.update_kit(first, first.code, first.name, [KitLine("COOKER", 1)], 5, True)
    assert [(line.item.code, line.quantity) for line in first.items] == [("COOKER", 1)]

