"""The handout screen's configuration (issue 11, points 2 and 3): ``GET /api/v1/handout-config``
gives the participant code recipe admins set in the program settings, and the encounter types,
referrals and demographic choices the encounter API accepts."""
import re

import pytest
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from inventory.errors import InvalidInput
from inventory.settings.models import ProgramSettings
from tests.api_helpers import PROBLEM, bearer


@pytest.fixture
def admin(login_as):
    return login_as("admin")


SETTINGS = {"program_name": "P", "timezone": "UTC", "fiscal_year_start_month": "7",
            "suppression_threshold": "11", "idle_timeout_minutes": "20"}


def test_handout_config_gives_the_default_recipe_and_the_accepted_choices(client):
    from inventory.encounters.schemas import EncounterArgs

    response = client.get("/api/v1/handout-config", headers=bearer("staff"))
    assert response.status_code == 200
    config = response.get_json()
    recipe = config["participant_code"]["recipe"]
    assert [p["id"] for p in recipe] == ["mother_first_name", "birth_month", "birth_year",
                                         "last_name_initial"]
    assert recipe[0] == {"id": "mother_first_name", "kind": "letters", "length": 2,
                         "label": "First two letters of mother's first name"}
    assert sum(p["length"] for p in recipe) <= config["participant_code"]["max_length"]
    # Every choice offered is one the encounter API accepts, and each list has "declined".
    fields = EncounterArgs().fields
    assert [c["code"] for c in config["encounter_types"]] == list(
        fields["encounter_type"].validate.choices)
    assert [c["code"] for c in config["referrals"]] == list(
        fields["referrals"].inner.validate.choices)
    for name, choices in config["demographics"].items():
        codes = [c["code"] for c in choices]
        assert codes == list(fields[name].validate.choices) and "declined" in codes
    assert config["idle_timeout_minutes"] == 15
    assert config["limits"]["max_quantity"] == fields["items"].inner.schema.fields[
        "quantity"].validate.max


def test_handout_config_anonymous_is_401(client):
    response = client.get("/api/v1/handout-config")
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_admin_edits_the_participant_code_recipe(client, admin, db):
    assert client.post("/admin/settings", data=SETTINGS).status_code == 302  # a settings row
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Participant code recipe" in page
    assert re.search(r'<option selected value="mother_first_name">', page)
    data = {**SETTINGS, "recipe_1": "birth_city_initial", "recipe_2": "", "recipe_3": "birth_day",
            "recipe_4": "first_name_initial"}
    assert client.post("/admin/settings", data=data).status_code == 302
    config = client.get("/api/v1/handout-config").get_json()
    assert [p["id"] for p in config["participant_code"]["recipe"]] == [
        "birth_city_initial", "birth_day", "first_name_initial"]
    assert config["idle_timeout_minutes"] == 20
    entry = _audit_settings(db)[-1]
    assert entry.details["changes"]["participant_code_recipe"][1] == (
        "birth_city_initial,birth_day,first_name_initial")


def _audit_settings(db):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "settings")
                                   .order_by(AuditEntry.id)))


@pytest.mark.parametrize("parts,message", [
    (["birth_day"], "2 to 6 prompts"),
    ([""] * 6, "2 to 6 prompts"),
    (["birth_day", "birth_day"], "appear once"),
    (["birth_day", "no_such_prompt"], "Not a valid choice"),
    (["birth_day", "x\x00"], "not allowed"),
])
def test_bad_recipe_is_refused_and_changes_nothing(client, admin, db, parts, message):
    client.post("/admin/settings", data=SETTINGS)  # the settings row exists
    before = db.session.scalar(select(ProgramSettings.participant_code_recipe))
    data = {**SETTINGS, **{f"recipe_{n}": p for n, p in enumerate(parts, start=1)}}
    response = client.post("/admin/settings", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(ProgramSettings.participant_code_recipe)) == before


@pytest.mark.parametrize("parts", [["birth_day"], ["a", "b"], ["birth_day"] * 2,
                                   ["birth_day", "birth_month", "birth_year", "last_name_initial",
                                    "first_name_initial", "birth_city_initial",
                                    "mother_first_name"]])
def test_recipe_rule_in_the_service(db, parts):
    from inventory.settings.services import save_settings

    with pytest.raises(InvalidInput) as raised:
        save_settings("P", "UTC", 7, participant_code_recipe=parts)
    assert raised.value.field == "participant_code_recipe"


def test_a_stored_recipe_no_longer_valid_falls_back_to_the_default():
    from inventory.participants.recipe import DEFAULT_RECIPE, parse_recipe

    assert [p.id for p in parse_recipe("gone_prompt,birth_day")] == list(DEFAULT_RECIPE)
    assert [p.id for p in parse_recipe(None)] == list(DEFAULT_RECIPE)
