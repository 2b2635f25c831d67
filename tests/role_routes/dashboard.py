"""Role matrix: the stock dashboard and the stock card (staff: their sites only)."""
from tests.role_table import EVERYONE, ITEM, WRITERS, Route, _api

ROUTES = {
    ("/api/v1/stock/card", "GET"): _api(f"/api/v1/stock/card?site={{site}}&item={ITEM}", WRITERS,
                                        sited=True),
    ("/stock", "GET"): Route("/stock", EVERYONE),
    ("/sites/<code>/items/<item_code>/card", "GET"): Route(
        f"/sites/{{site}}/items/{ITEM}/card", WRITERS, sited=True),
    ("/sites/<code>/items/<item_code>/card.csv", "GET"): Route(
        f"/sites/{{site}}/items/{ITEM}/card.csv", WRITERS, sited=True),
}
