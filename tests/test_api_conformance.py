"""API conformance (issue 14, point 7): 405 answers say what is allowed, the OpenAPI document
says what X-Pagination really is, and the API reference page is served from this app alone."""
import json
import re

from tests.api_helpers import assert_problem, bearer, encounter_body


def test_405_on_the_api_is_problem_with_allow(client, db):
    response = client.delete("/api/v1/sites", headers=bearer("admin"))
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    response = client.get("/api/v1/receipts", headers=bearer("admin"))
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"].split(", ")


def test_405_on_a_page_has_allow(client, db):
    response = client.put("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert response.mimetype == "text/html"


def test_x_pagination_is_documented_as_the_json_text_it_is(client, make_site, db):
    make_site("PGA")
    db.session.commit()
    headers = bearer("admin")
    for _ in range(3):
        assert client.post("/api/v1/encounters", headers=headers,
                           json=encounter_body("PGA", [])).status_code == 201
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = spec["components"]["headers"]["PAGINATION"]
    assert documented["schema"]["type"] == "string"
    response = client.get("/api/v1/encounters?page=2&page_size=2", headers=headers)
    assert response.status_code == 200
    sent = response.headers["X-Pagination"]
    assert isinstance(sent, str)
    # 3 visits, 2 a page: page 2 of 2.
    assert json.loads(sent) == {"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2,
                                "page": 2, "previous_page": 1}
    # The documented example has the same shape as what is sent.
    assert set(json.loads(documented["schema"]["example"])) >= set(json.loads(sent))
    listing = spec["paths"]["/api/v1/encounters"]["get"]["responses"]["200"]
    assert listing["headers"]["X-Pagination"] == {"$ref": "#/components/headers/PAGINATION"}


def test_api_reference_page_is_self_contained(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert "/static/js/api-docs.js" in sources
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "style=" not in html and "<style" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "something from another origin"
    for path in sources + ["/static/vendor/swagger-ui/swagger-ui.css",
                           "/static/vendor/swagger-ui/LICENSE"]:
        static = client.get(path)
        assert static.status_code == 200, path
        static.close()
