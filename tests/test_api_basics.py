"""Cross-cutting API behaviour: the OpenAPI document, list shapes and filters, Server-Timing."""
from tests.api_helpers import assert_problem, encounter_body, receipt_body, receipt_line

CONTRACT_PATHS = {
    "/api/v1/sites", "/api/v1/items", "/api/v1/stock", "/api/v1/encounters",
    "/api/v1/encounters/{encounter_id}/void", "/api/v1/receipts", "/api/v1/adjustments",
}


def test_openapi_document_lists_the_contract(client, db):
    spec = client.get("/api/v1/openapi.json").json
    assert CONTRACT_PATHS <= set(spec["paths"])
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    post = spec["paths"]["/api/v1/encounters"]["post"]
    assert {"201", "200", "422"} <= set(post["responses"])


def _response(spec, operation, status):
    """The response an operation documents for ``status``, its $ref followed."""
    response = operation["responses"][status]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_openapi_document_describes_errors_as_problem_json(client, db):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    create = paths["/api/v1/encounters"]["post"]
    assert {"400", "401", "403", "409", "413", "415", "422", "503"} <= set(create["responses"])
    assert "404" in paths["/api/v1/encounters/{encounter_id}"]["get"]["responses"]
    assert {"401", "403"} <= set(paths["/api/v1/stock"]["get"]["responses"])
    assert "409" not in paths["/api/v1/stock"]["get"]["responses"]
    for status in ("401", "409", "422", "default"):
        content = _response(spec, create, status)["content"]
        assert list(content) == ["application/problem+json"], (status, content)
        ref = content["application/problem+json"]["schema"]["$ref"].rsplit("/", 1)[1]
        properties = spec["components"]["schemas"][ref]["properties"]
        assert {"type", "title", "status", "detail", "errors"} <= set(properties)
    assert "application/json" in _response(spec, create, "201")["content"]


def test_wrong_role_is_403_problem_saying_why(client, api_headers, make_site):
    make_site("A")
    response = client.get("/api/v1/encounters", headers=api_headers("reporter"))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "reporter role" in response.get_json()["detail"]


def test_sites_and_items_shapes(client, api_headers, make_site):
    make_site("A", kind="mobile", name="Van A")
    headers = api_headers("coordinator")

    sites = client.get("/api/v1/sites", headers=headers).json
    items = client.get("/api/v1/items", headers=headers).json

    assert [{k: s[k] for k in ("code", "name", "kind")} for s in sites] == [
        {"code": "A", "name": "Van A", "kind": "mobile"}]
    assert {"id", "code", "name", "category", "unit", "pack_size", "doses_per_unit"} <= set(items[0])
    assert [i["code"] for i in items][:2] == ["SYR-1ML-28G", "SYR-1ML-27G"]


def test_staff_see_only_their_sites(client, api_headers, make_site):
    make_site("A")
    make_site("B")
    sites = client.get("/api/v1/sites", headers=api_headers("staff", sites=["B"])).json
    assert [s["code"] for s in sites] == ["B"]


def test_responses_carry_server_timing(client, api_headers):
    response = client.get("/api/v1/items", headers=api_headers("reporter"))
    name, _, duration = response.headers["Server-Timing"].partition(";dur=")
    assert name == "app" and float(duration) > 0


def test_site_and_item_filters_take_several_values(client, api_headers, make_site):
    """?site=A&site=B means both sites, never silently the first one only."""
    for code in ("A", "B", "C"):
        make_site(code)
    headers = api_headers("coordinator")
    for code in ("A", "B", "C"):
        response = client.post("/api/v1/receipts", headers=headers, json=receipt_body(
            code, [receipt_line("SYR-1ML-28G", 10), receipt_line("COOKER", 5, lot=None,
                                                                  expires_on=None)]))
        assert response.status_code == 201, response.get_json()
        created = client.post("/api/v1/encounters", headers=headers,
                              json=encounter_body(code, [("COOKER", 1)]))
        assert created.status_code == 201, created.get_json()

    rows = client.get("/api/v1/stock?site=A&site=C", headers=headers).get_json()
    assert {(r["site"], r["item"]) for r in rows} == {
        ("A", "SYR-1ML-28G"), ("A", "COOKER"), ("C", "SYR-1ML-28G"), ("C", "COOKER")}
    rows = client.get("/api/v1/stock?site=B&item=COOKER&item=SYR-1ML-28G",
                      headers=headers).get_json()
    assert {(r["item"], r["on_hand"]) for r in rows} == {("SYR-1ML-28G", 10), ("COOKER", 4)}
    assert len(client.get("/api/v1/stock?site=B", headers=headers).get_json()) == 2

    listed = client.get("/api/v1/encounters?site=A&site=B", headers=headers).get_json()
    assert sorted(e["site"] for e in listed) == ["A", "B"]
    assert_problem(client.get("/api/v1/stock?site=A&site=NOPE", headers=headers), 422, "site")
