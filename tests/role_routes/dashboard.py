"""Role matrix: the stock dashboard and the stock card (staff: their sites only)."""
from tests.role_table import EVERYONE, ITEM, WRITERS, Route

ROUTES = {
    ("/stock", "GET"): Route("/stock", EVERYONE),
    ("/sites/<code>/items/<item_code>/card", "GET"): Route(
        f"/sites/{{site}}/items/{ITEM}/card", WRITERS, sited=True),
    ("/sites/<code>/items/<item_code>/card.csv", "GET"): Route(
        f"/sites/{{site}}/items/{ITEM}/card.csv", WRITERS, sited=True),
}
