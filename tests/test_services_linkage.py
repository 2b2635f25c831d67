"""Issue 15, points 1-3: on-site services and linkage at an encounter, secondary exchange units,
reversals by supply source, returns by weight (API, bad inputs, replays), the services list
(API and admin pages, audited), sharps disposal (API and page) and the syringes-per-pound
setting."""
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from inventory.encounters.models import Encounter, EncounterService
from inventory.extensions import db
from inventory.onsite.models import OnsiteService, SharpsDisposal
from inventory.settings.services import local_today
from tests.api_helpers import WRITTEN_TABLES, assert_problem, bearer, encounter_body, row_counts

SYRINGE, NARCAN = "SYR-1ML-28G", "NARCAN-4MG"
TABLES = WRITTEN_TABLES + ("encounter_service",)


@pytest.fixture
def staff(make_site):
    make_site("LNK")
    return bearer("staff", sites=["LNK"])


def _post(client, headers, **fields):
    body = encounter_body("LNK", fields.pop("items", [(SYRINGE, 20), (NARCAN, 1)]), **fields)
    return client.post("/api/v1/encounters", headers=headers, json=body), body


def test_services_list_gives_the_defaults_in_order(client, db):
    response = client.get("/api/v1/services", headers=bearer("reporter"))
    assert response.status_code == 200
    assert response.get_json() == [
        {"code": "hiv_test", "name": "HIV test"}, {"code": "hcv_test", "name": "HCV test"},
        {"code": "sti_screening", "name": "STI screening"},
        {"code": "vaccination", "name": "Vaccination"}, {"code": "wound_care", "name": "Wound care"},
        {"code": "naloxone_training", "name": "Naloxone training"}]


def test_encounter_records_services_and_linkage(client, staff):
    response, body = _post(client, staff, services=["hcv_test", "hiv_test", "hiv_test"],
                           entered_treatment_reported=1, secondary_syringes=20,
                           reversals_reported=2, reversals_with_program_naloxone=1,
                           returns_weight_lb=1.255)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["services"] == ["hcv_test", "hiv_test"]
    assert (answer["entered_treatment_reported"], answer["secondary_syringes"],
            answer["reversals_with_program_naloxone"]) == (1, 20, 1)
    assert answer["returns_weight_lb"] == 1.26  # two decimals, half up
    row = db.session.scalar(select(Encounter).where(Encounter.client_id == uuid.UUID(
        body["client_id"])))
    assert row.returns_weight_lb == Decimal("1.26")
    assert [s.service_code for s in row.services] == ["hcv_test", "hiv_test"]
    # The stored visit reads back the same; a replay answers 200 with it, no second record.
    got = client.get(f"/api/v1/encounters/{answer['id']}", headers=staff).get_json()
    assert got == answer
    again = client.post("/api/v1/encounters", headers=staff, json=body)
    assert again.status_code == 200 and again.get_json() == answer
    changed = client.post("/api/v1/encounters", headers=staff, json={**body, "services": []})
    assert_problem(changed, 409, "client_id")
    assert db.session.scalar(select(db.func.count()).select_from(EncounterService)) == 2


def test_existing_clients_keep_working(client, staff):
    """A body without any new field is stored with their defaults; its replay is a replay."""
    response, body = _post(client, staff)
    assert response.status_code == 201
    answer = response.get_json()
    assert (answer["services"], answer["entered_treatment_reported"], answer["secondary_syringes"],
            answer["reversals_with_program_naloxone"], answer["returns_weight_lb"]) == (
        [], 0, 0, 0, None)
    assert client.post("/api/v1/encounters", headers=staff, json=body).status_code == 200
    # Sending the defaults explicitly is the same request (same fingerprint).
    explicit = {**body, "services": [], "secondary_syringes": 0, "returns_weight_lb": None}
    assert client.post("/api/v1/encounters", headers=staff, json=explicit).status_code == 200


@pytest.mark.parametrize("fields,field", [
    ({"secondary_syringes": 21}, "secondary_syringes"),                 # 20 syringes handed out
    ({"items": [(NARCAN, 1)], "secondary_syringes": 1}, "secondary_syringes"),  # none handed out
    ({"reversals_reported": 1, "reversals_with_program_naloxone": 2},
     "reversals_with_program_naloxone"),
    ({"services": ["hiv_test", "tarot_reading"]}, "services.1"),
    ({"services": ["hiv\u0000test"]}, "services.0"),
    ({"services": ["\ud800"]}, "services.0"),
    ({"services": "hiv_test"}, "services"),
    ({"returns_weight_lb": -0.5}, "returns_weight_lb"),
    ({"returns_weight_lb": 501}, "returns_weight_lb"),
    ({"returns_weight_lb": 1e308}, "returns_weight_lb"),
    ({"returns_weight_lb": "heavy"}, "returns_weight_lb"),
    ({"entered_treatment_reported": -1}, "entered_treatment_reported"),
    ({"entered_treatment_reported": 2**40}, "entered_treatment_reported"),
    ({"secondary_syringes": 1.5}, "secondary_syringes"),
])
def test_bad_linkage_input_is_422_naming_the_field_and_writes_nothing(client, staff, fields,
                                                                      field):
    before = row_counts(TABLES)
    response, _ = _post(client, staff, **fields)
    assert_problem(response, 422, field)
    assert row_counts(TABLES) == before


def test_a_hidden_service_is_refused_and_shown_again_after(client, staff, db):
    service = db.session.scalar(select(OnsiteService).where(OnsiteService.code == "vaccination"))
    service.active = False
    db.session.commit()
    assert "vaccination" not in [s["code"] for s in client.get(
        "/api/v1/services", headers=staff).get_json()]
    assert_problem(_post(client, staff, services=["vaccination"])[0], 422, "services.0")


def test_admin_adds_renames_and_hides_services_audited(client, login_as, db):
    login_as("admin")
    page = client.get("/admin/services")
    assert page.status_code == 200 and "HIV test" in page.get_data(as_text=True)
    created = client.post("/admin/services/new", data={
        "code": "hep_a_vaccine", "name": "Hepatitis A vaccine", "display_order": "70",
        "active": "y"})
    assert created.status_code == 302
    service = db.session.scalar(select(OnsiteService).where(OnsiteService.code == "hep_a_vaccine"))
    assert service.name == "Hepatitis A vaccine" and service.active
    edited = client.post(f"/admin/services/{service.id}/edit", data={
        "code": "ignored", "name": "Hep A vaccine", "display_order": "5"})
    assert edited.status_code == 302
    db.session.refresh(service)
    assert (service.code, service.name, service.display_order, service.active) == (
        "hep_a_vaccine", "Hep A vaccine", 5, False)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "onsite_service", AuditEntry.entity_id == str(service.id))).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].details["changes"]["name"] == ["Hepatitis A vaccine", "Hep A vaccine"]
    for data, field in [({"code": "HIV test!", "name": "x", "display_order": "1"}, "code"),
                        ({"code": "hiv_test", "name": "Again", "display_order": "1"}, "code"),
                        ({"code": "ok_code", "name": "bad\u0000name", "display_order": "1"},
                         "name")]:
        refused = client.post("/admin/services/new", data=data)
        assert refused.status_code == 422, field
    assert db.session.scalar(select(db.func.count()).select_from(OnsiteService)) == 7


def _disposal(**over):
    return {"client_id": str(uuid.uuid4()), "site": "LNK",
            "disposed_on": local_today().isoformat(), "containers": 2, **over}


def test_sharps_disposal_api_is_idempotent_and_checked(client, staff, db):
    body = _disposal(weight_lb="12.5", reference="Manifest 77")
    response = client.post("/api/v1/sharps-disposals", headers=staff, json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["weight_lb"] == 12.5 and response.get_json()["site"] == "LNK"
    assert client.post("/api/v1/sharps-disposals", headers=staff, json=body).status_code == 200
    assert_problem(client.post("/api/v1/sharps-disposals", headers=staff,
                               json={**body, "containers": 3}), 409, "client_id")
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    for over, field in [({"containers": 0}, "containers"), ({"containers": -1}, "containers"),
                        ({"weight_lb": "-1"}, "weight_lb"), ({"weight_lb": "1e9"}, "weight_lb"),
                        ({"disposed_on": tomorrow}, "disposed_on"),
                        ({"reference": "a\u0000b"}, "reference"), ({"site": "NOPE"}, "site")]:
        assert_problem(client.post("/api/v1/sharps-disposals", headers=staff,
                                   json=_disposal(**over)), 422, field)
    assert db.session.scalar(select(db.func.count()).select_from(SharpsDisposal)) == 1
    listed = client.get("/api/v1/sharps-disposals", headers=staff).get_json()
    assert [(r["containers"], r["reference"]) for r in listed] == [(2, "Manifest 77")]
    other = bearer("staff", sites=["ELSEWHERE"])
    assert client.get("/api/v1/sharps-disposals", headers=other).get_json() == []
    assert_problem(client.post("/api/v1/sharps-disposals", headers=other, json=_disposal()), 403)


def test_sharps_page_records_a_disposal(client, login_as, make_site, db):
    site = make_site("SHP")
    login_as("staff", sites=[site])
    assert client.get("/sharps").status_code == 200
    response = client.post("/sharps", data={"site": "SHP", "disposed_on": "2026-01-05",
                                            "containers": "", "weight_lb": "4.25"})
    assert response.status_code == 302
    row = db.session.scalar(select(SharpsDisposal))
    assert (row.disposed_on, row.containers, row.weight_lb) == (date(2026, 1, 5), 0, Decimal("4.25"))
    refused = client.post("/sharps", data={"site": "SHP", "disposed_on": "2026-01-05",
                                           "containers": "0"})
    assert refused.status_code == 422
    assert "Give the containers or the weight" in refused.get_data(as_text=True)


def test_syringes_per_pound_is_a_program_setting(client, login_as, db):
    from inventory.settings.services import current_settings

    login_as("admin")
    data = {"program_name": "P", "timezone": "UTC", "fiscal_year_start_month": "7",
            "suppression_threshold": "11", "idle_timeout_minutes": "15"}
    assert client.post("/admin/settings", data={**data, "syringes_per_pound": "300"}).status_code == 302
    assert current_settings().syringes_per_pound == 300
    assert client.post("/admin/settings", data={**data, "syringes_per_pound": "0"}).status_code == 422
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "settings")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.action == "create" and entry.details["syringes_per_pound"] == 300
