"""Cross-cutting API behaviour: the OpenAPI document, list shapes, Server-Timing."""

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
