"""The API's OpenAPI document is served by the app itself and loads in a browser."""
import json

import pytest

from tests.browser.conftest import TABLET

pytestmark = pytest.mark.browser

CONTRACT_PATHS = {
    "/api/v1/sites", "/api/v1/items", "/api/v1/stock", "/api/v1/encounters",
    "/api/v1/encounters/{encounter_id}/void", "/api/v1/receipts", "/api/v1/adjustments",
}


@pytest.mark.parametrize("viewport", [TABLET], ids=["tablet"], indirect=True)
def test_openapi_document_loads(page, live_url):
    response = page.goto(f"{live_url}/api/v1/openapi.json")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    document = json.loads(response.text())
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Outreach Supply Tracker API"
    assert "bearerAuth" in document["components"]["securitySchemes"]
    assert CONTRACT_PATHS <= set(document["paths"])
    assert "post" in document["paths"]["/api/v1/encounters"]
