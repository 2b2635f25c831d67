"""What the handout screen can send to ``POST /api/v1/encounters`` (issue 11, point 4), beyond
tests/test_bad_input.py and tests/test_input_edges.py: kit-sized lines, the stepper's values,
visit counts, referral chips, participant codes as typed, demographics, and the device's own
``occurred_at`` (a handout logged offline yesterday counts yesterday; one from long ago is
refused). Bad input is a 422 problem naming the field, and writes nothing."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from inventory.encounters.models import Encounter, EncounterReferral
from inventory.limits import MAX_PEOPLE, MAX_QUANTITY
from inventory.participants.hashing import hash_code
from inventory.participants.models import Participant
from tests.api_helpers import (assert_problem, bearer, encounter_body, ledger_sums, now_iso,
                               row_counts, site_id)
from tests.factories import make_site

SITE = "VAN"


@pytest.fixture
def staff(client, db):
    make_site(SITE, kind="mobile")
    db.session.commit()
    return bearer("staff", sites=[SITE])


def body(items=(("SYR-1ML-28G", 10),), **over):
    return {**encounter_body(SITE, list(items)), **over}


def _post(client, headers, data):
    return client.post("/api/v1/encounters", headers=headers, json=data)


REFUSED = {
    # item lines: the stepper's values and what a kit may add
    "same item on two lines": (body([("COOKER", 10), ("COOKER", 5)]), "items.1.item"),
    "quantity as text": (body(items=()) | {"items": [{"item": "COOKER", "quantity": "10"}]},
                         "items.0.quantity"),
    "quantity with a fraction": (body(items=()) | {"items": [{"item": "COOKER",
                                                              "quantity": 2.5}]},
                                 "items.0.quantity"),
    "quantity null": (body(items=()) | {"items": [{"item": "COOKER", "quantity": None}]},
                      "items.0.quantity"),
    "quantity true": (body(items=()) | {"items": [{"item": "COOKER", "quantity": True}]},
                      "items.0.quantity"),
    "quantity missing": (body(items=()) | {"items": [{"item": "COOKER"}]}, "items.0.quantity"),
    "quantity past the limit": (body([("COOKER", MAX_QUANTITY + 1)]), "items.0.quantity"),
    "quantity past 64 bits": (body([("COOKER", 2**64)]), "items.0.quantity"),
    "item code empty": (body([("", 1)]), "items.0.item"),
    "item code too long": (body([("X" * 41, 1)]), "items.0.item"),
    "item as a number": (body(items=()) | {"items": [{"item": 7, "quantity": 1}]},
                         "items.0.item"),
    "items not a list": (body(items=()) | {"items": {"COOKER": 1}}, "items"),
    "51 lines": (body(items=()) | {"items": [{"item": "COOKER", "quantity": 1}] * 51}, "items"),
    "a kit code instead of items": (body() | {"kit": "INJECTION"}, "kit"),
    # encounter type and visit counts
    "encounter type null": (body(encounter_type=None), "encounter_type"),
    "encounter type in capitals": (body(encounter_type="SITE"), "encounter_type"),
    "returns past the limit": (body(syringes_returned=MAX_QUANTITY + 1), "syringes_returned"),
    "returns as text": (body(syringes_returned="12"), "syringes_returned"),
    "estimated not a boolean": (body(returns_estimated="maybe"), "returns_estimated"),
    "secondary people past the limit": (body(secondary_people=MAX_PEOPLE + 1),
                                        "secondary_people"),
    "naloxone used negative": (body(naloxone_used=-1), "naloxone_used"),
    "reversals with a fraction": (body(reversals_reported=1.5), "reversals_reported"),
    # referral chips
    "referral label instead of code": (body(referrals=["Housing"]), "referrals.0"),
    "referrals not a list": (body(referrals="housing"), "referrals"),
    "referral null": (body(referrals=[None]), "referrals.0"),
    "more referrals than kinds": (body(referrals=["housing"] * 9), "referrals"),
    # participant code as typed in the builder
    "code of punctuation only": (body(participant_code="-- / --"), "participant_code"),
    "code of letters outside A-Z only": (body(participant_code="ÑÉ"), "participant_code"),
    "code too long": (body(participant_code="A" * 41), "participant_code"),
    "code as a number": (body(participant_code=123456), "participant_code"),
    # demographics
    "age range unknown": (body(participant_code="MA0385R", age_range="30s"), "age_range"),
    "age range label": (body(participant_code="MA0385R", age_range="Under 18"), "age_range"),
    "gender unknown": (body(participant_code="MA0385R", gender="robot"), "gender"),
    "race unknown": (body(participant_code="MA0385R", race_ethnicity="martian"),
                     "race_ethnicity"),
    "declined in capitals": (body(participant_code="MA0385R", gender="DECLINED"), "gender"),
    # the device's clock
    "occurred_at without offset": (body(occurred_at="2026-01-05T10:00:00"), "occurred_at"),
    "occurred_at a date only": (body(occurred_at="2026-01-05"), "occurred_at"),
    "occurred_at as epoch": (body(occurred_at=1767607200), "occurred_at"),
    "occurred_at 366 days ago": (body(occurred_at=now_iso(timedelta(days=-366))),
                                 "occurred_at"),
    "occurred_at tomorrow": (body(occurred_at=now_iso(timedelta(days=1))), "occurred_at"),
    "client_id missing": ({k: v for k, v in body().items() if k != "client_id"}, "client_id"),
    "client_id empty": (body(client_id=""), "client_id"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_bad_input_from_the_screen_is_422_naming_the_field(client, staff, case):
    data, field = REFUSED[case]
    before = row_counts()
    assert_problem(_post(client, staff, data), 422, field)
    assert row_counts() == before


def test_a_kit_as_the_screen_sends_it_is_recorded_line_by_line(client, staff):
    kit = next(k for k in client.get("/api/v1/kits", headers=staff).get_json()
               if k["code"] == "INJECTION")
    data = body(items=[(line["item"], line["quantity"]) for line in kit["items"]])
    response = _post(client, staff, data)
    assert response.status_code == 201, response.get_json()
    assert sorted((i["item"], i["quantity"]) for i in response.get_json()["items"]) == sorted(
        (i["item"], i["quantity"]) for i in kit["items"])
    # The site had no stock: each line is taken from the unknown lot (flagged, never blocked).
    sums = ledger_sums([site_id(SITE)])
    assert sorted(sums.values()) == sorted(-line["quantity"] for line in kit["items"])
    assert response.get_json()["stock_discrepancy"] is True


def test_two_kits_summed_by_the_screen_are_accepted(client, staff):
    # Injection kit twice plus one extra syringe: the screen sums lines of the same item.
    data = body([("SYR-1ML-28G", 21), ("COOKER", 20), ("COTTON", 20), ("TOURNIQUET", 2)])
    response = _post(client, staff, data)
    assert response.status_code == 201
    assert sum(ledger_sums([site_id(SITE)]).values()) == -(21 + 20 + 20 + 2)


def test_largest_values_the_screen_allows_are_accepted(client, staff):
    data = body([("COOKER", MAX_QUANTITY)], syringes_returned=MAX_QUANTITY,
                secondary_people=MAX_PEOPLE, naloxone_used=MAX_PEOPLE,
                reversals_reported=MAX_PEOPLE, returns_estimated=True)
    response = _post(client, staff, data)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["syringes_returned"] == MAX_QUANTITY


def test_a_visit_with_no_items_records_the_counts_and_referrals(client, staff, db):
    response = _post(client, staff, body(items=(), referrals=["housing", "housing", "medical"],
                                         syringes_returned=40, returns_estimated=True))
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["items"] == [] and answer["referrals"] == ["housing", "medical"]
    stored = db.session.scalars(select(EncounterReferral.referral_type)).all()
    assert sorted(stored) == ["housing", "medical"]  # a chip tapped twice counts once


def test_handout_logged_offline_yesterday_counts_yesterday(client, staff, db):
    yesterday = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    data = body(occurred_at=yesterday.isoformat())
    response = _post(client, staff, data)
    assert response.status_code == 201
    stored = db.session.scalar(select(Encounter.occurred_at).where(
        Encounter.client_id == uuid.UUID(data["client_id"])))
    assert stored == yesterday
    assert stored < db.session.scalar(select(Encounter.recorded_at)) - timedelta(hours=23)
    # In the device's own zone (an offset, not UTC) the same instant is stored.
    local = yesterday.astimezone(datetime.now().astimezone().tzinfo).isoformat()
    again = _post(client, staff, body(occurred_at=local))
    assert again.status_code == 201
    assert datetime.fromisoformat(again.get_json()["occurred_at"]) == yesterday


def test_participant_code_as_typed_is_normalised_to_one_participant(client, staff, db):
    for typed in ("ma 03 85 r", "MA-03-85-R", " Ma0385r "):
        response = _post(client, staff, body(participant_code=typed, age_range="declined",
                                             gender="declined", race_ethnicity="declined"))
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["has_participant_code"] is True
        assert "participant_code" not in response.get_json()
    hashes = db.session.scalars(select(Participant.code_hash)).all()
    assert hashes == [hash_code("MA0385R")]
    participant = db.session.scalar(select(Participant))
    assert (participant.age_range, participant.gender, participant.race_ethnicity) == (
        "declined", "declined", "declined")


def test_code_with_accented_letters_keeps_its_plain_letters_and_digits(client, staff, db):
    response = _post(client, staff, body(participant_code="MÁ0385R"))
    assert response.status_code == 201
    assert db.session.scalar(select(Participant.code_hash)) == hash_code("M0385R")


def test_demographics_without_a_code_are_not_stored(client, staff, db):
    response = _post(client, staff, body(age_range="25_29", gender="woman"))
    assert response.status_code == 201
    assert db.session.scalar(select(Participant.id)) is None


def test_staff_at_a_site_not_theirs_is_refused(client, staff, db):
    make_site("ELSEWHERE")
    db.session.commit()
    before = row_counts()
    assert_problem(_post(client, staff, {**body(), "site": "ELSEWHERE"}), 403, "site")
    assert row_counts() == before
