"""The API's OpenAPI document is served by the app and loads in a browser."""
import json

import pytest

pytestmark = pytest.mark.browser


def test_openapi_document_loads(page, live_url):
    response = page.goto(f"{live_url}/api/v1/openapi.json")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    document = json.loads(response.text())
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Outreach Supply Tracker API"
    assert "bearerAuth" in document["components"]["securitySchemes"]
