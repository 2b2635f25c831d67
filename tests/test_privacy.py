"""The raw participant code never reaches a table, a log line or a response; the same code
written with other spacing or case is the same participant."""
import logging
import re

import pytest
from sqlalchemy import select, text

from inventory.encounters.models import Encounter
from inventory.participants.hashing import hash_code
from inventory.participants.models import Participant
from tests.api_helpers import assert_problem, bearer, encounter_body, receipt_body, receipt_line

ITEM = "SYR-1ML-28G"
# Letters outside 0-9a-f, so no hex digest or UUID can contain the code by accident.
CODE = "MQ0312Z"
VARIANTS = ["MQ0312Z", "mq0312z", "mq 03 12 z", " Mq-0312-z ", "MQ\t0312 Z", "m q 0 3 1 2 z"]
OTHER_CODE = "KR1107W"


def _squash(value) -> str:
    """Upper-case, letters and digits only: how a leak would look whatever its spacing."""
    return re.sub(r"[^0-9A-Z]", "", str(value).upper())


def _leaks(haystack, codes=(CODE, OTHER_CODE)) -> list[str]:
    squashed = _squash(haystack)
    return [c for c in codes if c in squashed]


@pytest.fixture
def headers(make_site, client):
    make_site("PVA")
    headers = bearer("staff", sites=["PVA"])
    response = client.post("/api/v1/receipts", headers=bearer("coordinator"),
                           json=receipt_body("PVA", [receipt_line(ITEM, 500)]))
    assert response.status_code == 201, response.get_json()
    return headers


@pytest.fixture
def verbose_logs(caplog):
    """Everything at DEBUG, SQL statements and their parameters included."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.pool")
    return caplog


def _post_encounters(client, headers, codes):
    ids = []
    for code in codes:
        body = encounter_body("PVA", [(ITEM, 1)], participant_code=code)
        response = client.post("/api/v1/encounters", headers=headers, json=body)
        assert response.status_code == 201, response.get_json()
        text_body = response.get_data(as_text=True)
        assert not _leaks(text_body), text_body
        assert "participant_code" not in response.get_json()
        ids.append(response.get_json()["id"])
        # A replay answers from the stored record: still no code.
        again = client.post("/api/v1/encounters", headers=headers, json=body)
        assert again.status_code == 200 and not _leaks(again.get_data(as_text=True))
    return ids


def test_no_table_and_no_log_line_holds_the_raw_code(client, headers, db, verbose_logs):
    _post_encounters(client, headers, VARIANTS + [OTHER_CODE])
    listing = client.get("/api/v1/encounters?site=PVA", headers=headers)
    assert listing.status_code == 200
    assert not _leaks(listing.get_data(as_text=True))

    db.session.rollback()
    dumped = 0
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for column, value in zip(table.columns, row):
                dumped += 1
                assert not _leaks(value), f"raw participant code in {table.name}.{column.name}"
    assert dumped, "nothing was dumped"

    records = verbose_logs.records
    assert any(r.name.startswith("sqlalchemy.engine") for r in records), "SQL was not logged"
    for record in records:
        line = record.getMessage() + " " + repr(getattr(record, "args", ""))
        assert not _leaks(line), f"raw participant code logged by {record.name}: {line[:200]}"
    # The hash itself is what the database holds.
    assert db.session.scalar(select(Participant).where(
        Participant.code_hash == hash_code(CODE))) is not None


def test_same_code_other_spacing_or_case_is_one_participant(client, headers, db):
    ids = _post_encounters(client, headers, VARIANTS)
    other_id = _post_encounters(client, headers, [OTHER_CODE])[0]
    db.session.rollback()
    participants = {db.session.get(Encounter, i).participant_id for i in ids}
    assert len(participants) == 1 and None not in participants
    participant = db.session.get(Participant, participants.pop())
    assert participant.code_hash == hash_code(CODE)
    assert all(hash_code(v) == participant.code_hash for v in VARIANTS)
    assert db.session.get(Encounter, other_id).participant_id != participant.id
    assert db.session.execute(text("SELECT count(*) FROM participant")).scalar_one() == 2


def test_hash_is_keyed_by_the_server_secret():
    assert hash_code(CODE, secret="one") != hash_code(CODE, secret="two")
    assert hash_code(CODE, secret="one") == hash_code("mq 0312 z", secret="one")
    assert len(hash_code(CODE, secret="one")) == 64


def test_encounter_without_code_has_no_participant(client, headers, db):
    response = client.post("/api/v1/encounters", headers=headers,
                           json=encounter_body("PVA", [(ITEM, 1)]))
    assert response.status_code == 201, response.get_json()
    db.session.rollback()
    assert db.session.get(Encounter, response.get_json()["id"]).participant_id is None


def test_refused_encounter_does_not_echo_the_code(client, headers, verbose_logs):
    body = encounter_body("PVA", [("NO-SUCH-ITEM", 1)], participant_code="mq 03 12 z")
    response = client.post("/api/v1/encounters", headers=headers, json=body)
    assert_problem(response, 422, "items.0.item")
    assert not _leaks(response.get_data(as_text=True))
    for record in verbose_logs.records:
        assert not _leaks(record.getMessage()), record.name


def test_overlong_code_is_refused_without_echo(client, headers, verbose_logs):
    before = client.get("/api/v1/encounters?site=PVA", headers=headers).get_json()
    body = encounter_body("PVA", [(ITEM, 1)], participant_code=CODE * 6)
    response = client.post("/api/v1/encounters", headers=headers, json=body)
    assert_problem(response, 422, "participant_code")
    assert not _leaks(response.get_data(as_text=True))
    assert client.get("/api/v1/encounters?site=PVA", headers=headers).get_json() == before
    for record in verbose_logs.records:
        assert not _leaks(record.getMessage()), record.name
