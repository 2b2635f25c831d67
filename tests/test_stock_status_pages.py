"""The stock dashboard, one site's stock page, the stock card and the reorder pages."""
import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from inventory.reorder.models import ReorderRequest
from tests import factories
from tests.api_helpers import bearer, on_hand_total
from tests.test_reorder_formula import hand_out, receive

SYRINGE, CONDOM, NARCAN = "SYR-1ML-28G", "CONDOM-EXT", "NARCAN-4MG"


@pytest.fixture
def stocked(client, db):
    """PA: syringes below minimum, condoms out, naloxone with an expired, an expiring and an
    emptied lot. PB: syringes plenty."""
    factories.make_site("PA", name="Pier Avenue")
    factories.make_site("PB", name="Park Bend")
    db.session.commit()
    coord = bearer("coordinator")
    today = datetime.now(UTC).date()
    receive(client, coord, "PA", SYRINGE, 200, days_ago=80)
    hand_out(client, coord, "PA", SYRINGE, 180, days_ago=60)
    receive(client, coord, "PA", CONDOM, 5, days_ago=20)
    hand_out(client, coord, "PA", CONDOM, 5, days_ago=10)
    receive(client, coord, "PA", NARCAN, 4, days_ago=30, lot="OLD",
            expires=str(today - timedelta(days=2)))
    receive(client, coord, "PA", NARCAN, 6, days_ago=30, lot="SOON",
            expires=str(today + timedelta(days=12)))
    receive(client, coord, "PA", NARCAN, 3, days_ago=30, lot="GONE", expires="2032-01-01")
    receive(client, coord, "PB", SYRINGE, 900, days_ago=50)
    return coord, today


def test_coordinator_home_is_the_dashboard(client, login_as, stocked):
    login_as("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "Stock by site and item" in html
    assert re.search(r'<span class="big-number">1</span> Out of stock', html)
    assert re.search(r'<span class="big-number">1</span> Below minimum', html)
    assert 'href="/sites/PA/stock"' in html and 'href="/reports/"' in html
    assert "<svg" in html and "handed out per week" in html
    assert "Handed out: 180</title>" in html  # the week of the 180 syringes handed out
    only_out = client.get("/stock?status=stock_out").get_data(as_text=True)
    assert "External condom" in only_out and '1 mL 28G' not in only_out.split("<tbody>")[1]
    only_pb = client.get("/stock?site=PB").get_data(as_text=True).split("<tbody>")[1]
    assert ">PB<" in only_pb and ">PA<" not in only_pb
    naloxone = client.get("/stock?category=naloxone").get_data(as_text=True).split("<tbody>")[1]
    assert "Naloxone" in naloxone and "External condom" not in naloxone
    assert client.get("/stock?status=nonsense").status_code == 422


def test_staff_see_stock_at_their_sites_only(client, login_as, stocked):
    login_as("staff", sites=["PB"])
    html = client.get("/stock").get_data(as_text=True).split("<tbody>")[1]
    assert ">PB<" in html and ">PA<" not in html
    assert client.get("/stock?site=PA").status_code == 403
    assert client.get("/sites/PA/items/SYR-1ML-28G/card").status_code == 403


def test_site_page_folds_lots_under_items_and_marks_expiry(client, login_as, stocked):
    coord, today = stocked
    # Empty the GONE lot: its balance row stays, at zero.
    response = client.post("/api/v1/disposals", headers=coord, json={
        "client_id": "00000000-0000-4000-8000-00000000a001", "site": "PA",
        "occurred_at": datetime.now(UTC).isoformat(), "reason": "damaged",
        "lines": [{"item": NARCAN, "lot": "GONE", "quantity": 3}]})
    assert response.status_code == 201, response.get_json()
    login_as("coordinator")
    html = client.get("/sites/PA/stock").get_data(as_text=True)
    assert html.index("1 mL 28G") < html.index("Naloxone")  # display order
    naloxone = html.split("Naloxone nasal spray")[1].split("</details>")[0]
    assert "10 kit" in naloxone  # 4 + 6, the emptied lot adds nothing
    assert "Lot OLD" in naloxone and "Lot SOON" in naloxone and "Lot GONE" not in naloxone
    assert "<strong>Expired</strong> " + str(today - timedelta(days=2)) in naloxone
    assert "4 expired" in naloxone
    assert "Expires in 12 days" in naloxone and "6 expiring soon" in naloxone
    assert 'href="/sites/PA/receive"' in html  # the stock actions


def test_stock_card_running_balance_and_csv(client, login_as, stocked):
    login_as("coordinator")
    html = client.get(f"/sites/PA/items/{SYRINGE}/card").get_data(as_text=True)
    rows = re.findall(r'<td class="num">([^<]+)</td>\s*<td class="num">([^<]+)</td>', html)
    assert rows == [("-180", "20"), ("+200", "200")]  # newest first
    text = client.get(f"/sites/PA/items/{SYRINGE}/card.csv").get_data(as_text=True)
    lines = list(csv.DictReader(io.StringIO(text)))
    assert [(l["quantity"], l["balance"]) for l in lines] == [("200", "200"), ("-180", "20")]
    assert lines[0]["what"].startswith("Received") and lines[1]["what"] == "Handed out"
    assert all(l["recorded_by"].endswith("@example.org") for l in lines)
    assert int(lines[-1]["balance"]) == on_hand_total("PA", SYRINGE)
    api = client.get(f"/api/v1/stock/card?site=PA&item={SYRINGE}", headers=bearer("staff", ["PA"]))
    assert [(l["kind"], l["quantity"], l["balance"]) for l in api.get_json()] == [
        ("receipt", 200, 200), ("distribution", -180, 20)]
    assert api.get_json()[1]["what"] == "Handed out" and api.get_json()[1]["recorded_by"]
    denied = client.get(f"/api/v1/stock/card?site=PA&item={SYRINGE}", headers=bearer("reporter"))
    assert denied.status_code == 403


def test_reorder_pages_from_suggestion_to_receipt(client, login_as, stocked, db):
    login_as("coordinator")
    page = client.get("/reorder/").get_data(as_text=True)
    # AMC 180 × 30.44 / 90 = 60.88; ceil(3 × 60.88 − 20) = 163 → 2 packs of 100
    assert 'name="packs-SYR-1ML-28G" value="2"' in page
    created = client.post("/reorder/requests", data={"site": "PA", "packs-SYR-1ML-28G": "3"})
    assert created.status_code == 302
    request = db.session.scalar(select(ReorderRequest))
    assert [(l.packs, l.units) for l in request.lines] == [(3, 300)]
    detail = f"/reorder/requests/{request.id}"
    assert client.post(f"{detail}/submit").status_code == 302
    assert client.post(f"{detail}/order").status_code == 302
    got = client.post(f"{detail}/receive", data={"quantity-SYR-1ML-28G": "300",
                                                "document_ref": "INV-7"})
    assert got.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReorderRequest, request.id).status == "received"
    assert on_hand_total("PA", SYRINGE) == 320
    assert "Received" in client.get(detail).get_data(as_text=True)


def test_policy_page_saves_and_refuses(client, login_as, db):
    login_as("coordinator")
    bad = client.post("/reorder/policies", data={"item": SYRINGE, "site": "",
                                                 "min_months": "3", "max_months": "2"})
    assert bad.status_code == 422 and "must not be below" in bad.get_data(as_text=True)
    ok = client.post("/reorder/policies", data={"item": SYRINGE, "site": "",
                                                "min_months": "1.5", "max_months": "4"})
    assert ok.status_code == 302
    assert "1.50" in client.get("/reorder/policies").get_data(as_text=True)
