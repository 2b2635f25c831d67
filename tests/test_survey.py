"""Issue 15, point 6: the point-in-time survey. Admins open and close windows (audited); the
handout screen offers the survey while one is open; responses are stored with no link to an
encounter, a participant, a user or a time finer than the date; bad input is refused."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select

from inventory.audit.models import AuditEntry
from inventory.extensions import db
from inventory.settings.services import local_today
from inventory.survey.models import SurveyResponse, SurveyWindow
from tests.api_helpers import assert_problem, bearer, encounter_body


@pytest.fixture
def window(make_site, db):
    site = make_site("SRV")
    today = local_today()
    row = SurveyWindow(first_day=today - timedelta(days=3), last_day=today + timedelta(days=1),
                       sites=[site])
    db.session.add(row)
    db.session.commit()
    return row


def _answer(**over):
    return {"client_id": str(uuid.uuid4()), "site": "SRV", "date": local_today().isoformat(),
            **over}


def test_responses_cannot_be_joined_to_encounters_participants_or_users(db):
    """The schema holds no foreign key or column that could tie a response to a handout, a
    participant code, a staff member or a time of day."""
    inspector = inspect(db.engine)
    columns = {c["name"]: c for c in inspector.get_columns("survey_response")}
    assert set(columns) == {"id", "client_id", "fingerprint", "window_id", "site_id",
                            "response_date", "own_overdoses_3m", "reversals_witnessed",
                            "age_range", "gender", "race_ethnicity"}
    targets = {fk["referred_table"] for fk in inspector.get_foreign_keys("survey_response")}
    assert targets == {"survey_window", "site"}
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] == "survey_response":
                raise AssertionError(f"{table} points at survey responses")
    # No time of day: the only date column is a plain DATE.
    assert "DATE" in str(columns["response_date"]["type"]).upper()
    assert not any(isinstance(c["type"], db.DateTime) for c in columns.values())
    # Nothing linkable in the window either (no user, no encounter).
    window_targets = {fk["referred_table"] for fk in inspector.get_foreign_keys("survey_window")}
    assert window_targets == set()


def test_a_response_is_stored_once_with_skipped_answers(client, window, db):
    staff = bearer("staff", sites=["SRV"])
    body = _answer(own_overdoses_3m=1, age_range="30_34")
    response = client.post("/api/v1/survey-responses", headers=staff, json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"client_id": body["client_id"], "site": "SRV",
                                   "date": body["date"]}
    assert client.post("/api/v1/survey-responses", headers=staff, json=body).status_code == 200
    assert_problem(client.post("/api/v1/survey-responses", headers=staff,
                               json={**body, "gender": "man"}), 409, "client_id")
    row = db.session.scalar(select(SurveyResponse))
    assert (row.own_overdoses_3m, row.reversals_witnessed, row.age_range, row.gender,
            row.race_ethnicity) == (1, None, "30_34", None, None)
    assert row.window_id == window.id and row.response_date == local_today()
    everything_skipped = client.post("/api/v1/survey-responses", headers=staff, json=_answer())
    assert everything_skipped.status_code == 201


@pytest.mark.parametrize("over,field", [
    ({"own_overdoses_3m": -1}, "own_overdoses_3m"),
    ({"reversals_witnessed": 10**9}, "reversals_witnessed"),
    ({"reversals_witnessed": "2"}, "reversals_witnessed"),
    ({"age_range": "25_34"}, "age_range"),           # an old band is no longer offered
    ({"gender": "w\u0000man"}, "gender"),
    ({"race_ethnicity": "\udfff"}, "race_ethnicity"),
    ({"date": "2999-13-01"}, "date"),
    ({"date": (date.today() + timedelta(days=3)).isoformat()}, "date"),   # in the future
    ({"date": (date.today() - timedelta(days=30)).isoformat()}, "date"),  # outside the window
    ({"site": "NOPE"}, "site"),
    ({"occurred_at": "2026-01-01T10:00:00Z"}, "occurred_at"),  # no time is accepted
    ({"participant_code": "AB0101"}, "participant_code"),      # nor a code
])
def test_bad_survey_input_is_422_naming_the_field_and_writes_nothing(client, window, over, field):
    staff = bearer("staff", sites=["SRV"])
    assert_problem(client.post("/api/v1/survey-responses", headers=staff, json=_answer(**over)),
                   422, field)
    assert db.session.scalar(select(db.func.count()).select_from(SurveyResponse)) == 0


def test_no_window_no_survey_and_staff_only_at_their_sites(client, window, make_site, db):
    make_site("OTH")
    db.session.commit()
    coordinator = bearer("coordinator")
    assert_problem(client.post("/api/v1/survey-responses", headers=coordinator,
                               json=_answer(site="OTH")), 422, "date")
    other_staff = bearer("staff", sites=["OTH"])
    assert_problem(client.post("/api/v1/survey-responses", headers=other_staff, json=_answer()),
                   403)
    assert_problem(client.post("/api/v1/survey-responses", headers=bearer("reporter"),
                               json=_answer()), 403)
    assert client.get("/api/v1/survey-window?site=SRV", headers=coordinator).get_json()[
        "sites"] == ["SRV"]
    assert_problem(client.get("/api/v1/survey-window?site=OTH", headers=coordinator), 404)


def test_admin_opens_and_closes_a_window_audited(client, login_as, make_site, db):
    site = make_site("WIN")
    login_as("admin")
    today = local_today()
    opened = client.post("/admin/survey", data={
        "first_day": today.isoformat(), "last_day": (today + timedelta(days=2)).isoformat(),
        "sites": [str(site.id)]})
    assert opened.status_code == 302
    window = db.session.scalar(select(SurveyWindow))
    assert [s.code for s in window.sites] == ["WIN"]
    for data, message in [
            ({"first_day": today.isoformat(), "last_day": today.isoformat()}, "at least one site"),
            ({"first_day": today.isoformat(), "last_day": (today - timedelta(days=1)).isoformat(),
              "sites": [str(site.id)]}, "before the first day"),
            ({"first_day": today.isoformat(), "last_day": (today + timedelta(days=200)).isoformat(),
              "sites": [str(site.id)]}, "at most 92 days")]:
        refused = client.post("/admin/survey", data=data)
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    # The handout screen offers the survey during the window, and not after it is closed.
    screen = client.get("/sites/WIN/handout").get_data(as_text=True)
    assert 'id="survey-form"' in screen and "Save survey answers" in screen
    assert client.post(f"/admin/survey/{window.id}/close").status_code == 302
    db.session.refresh(window)
    assert window.closed_at is not None and window.last_day == today
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "survey_window")
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].details["sites"] == ["WIN"]
    # Closed today: answers dated today still count; from tomorrow on the screen shows none.
    window.last_day = today - timedelta(days=1)
    db.session.commit()
    assert 'id="survey-form"' not in client.get("/sites/WIN/handout").get_data(as_text=True)


def test_survey_and_handout_are_separate_requests(client, window, db):
    """The handout body has no survey fields and the survey body no handout fields: an
    encounter with survey answers is refused, never stored half-linked."""
    staff = bearer("staff", sites=["SRV"])
    body = encounter_body("SRV", [("SYR-1ML-28G", 1)], own_overdoses_3m=2)
    assert_problem(client.post("/api/v1/encounters", headers=staff, json=body), 422,
                   "own_overdoses_3m")
