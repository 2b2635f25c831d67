"""CSRF on the API: cookie sessions need the token; bearer tokens and anonymous calls do not."""
import uuid
from datetime import UTC, datetime

import pytest


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _body():
    return {"client_id": str(uuid.uuid4()), "site": "A",
            "occurred_at": datetime.now(UTC).isoformat(),
            "items": [{"item": "CONDOM-EXT", "quantity": 1}]}


def test_session_cookie_without_token_is_refused(client, login_as, make_site, csrf_on):
    make_site("A")
    login_as("coordinator")
    response = client.post("/api/v1/encounters", json=_body())
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_bearer_token_needs_no_csrf_token(client, api_headers, make_site, csrf_on):
    make_site("A")
    response = client.post("/api/v1/encounters", json=_body(), headers=api_headers("admin"))
    assert response.status_code == 201


def test_anonymous_is_401_not_a_csrf_error(client, csrf_on, db):
    response = client.post("/api/v1/encounters", json=_body())
    assert response.status_code == 401


def test_wrong_method_is_405(client, api_headers, csrf_on):
    response = client.delete("/api/v1/items", headers=api_headers("admin"))
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
