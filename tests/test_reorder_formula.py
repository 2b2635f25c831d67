"""Worked examples of the reorder formula (issue 12), every number computed by hand here.

Window: the 90 days before today (UTC: no settings row, so the program timezone is UTC). Each
event is dated at noon of its day, so a day's end-of-day balance includes it.
"""
import math
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from tests import factories
from tests.api_helpers import bearer, encounter_body, now_iso, receipt_body

SYRINGE, CONDOM, NARCAN = "SYR-1ML-28G", "CONDOM-EXT", "NARCAN-4MG"


def noon(days_ago: int) -> str:
    today = datetime.now(UTC).date()
    return datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=UTC).isoformat()


@pytest.fixture
def coord(client, db):
    for code in ("WA", "WB", "WC"):
        factories.make_site(code)
    db.session.commit()
    return bearer("coordinator")


def receive(client, headers, site, item, quantity, days_ago, lot="L1", expires="2031-12-31"):
    body = receipt_body(site, [{"item": item, "quantity": quantity, "lot": lot,
                                "expires_on": expires}], occurred_at=noon(days_ago))
    response = client.post("/api/v1/receipts", headers=headers, json=body)
    assert response.status_code == 201, response.get_json()


def hand_out(client, headers, site, item, quantity, days_ago=None):
    when = now_iso(timedelta(seconds=-5)) if days_ago is None else noon(days_ago)
    response = client.post("/api/v1/encounters", headers=headers,
                           json=encounter_body(site, [(item, quantity)], occurred_at=when))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def status_row(client, headers, site, item):
    response = client.get(f"/api/v1/stock/status?site={site}", headers=headers)
    assert response.status_code == 200, response.get_json()
    rows = [r for r in response.get_json() if r["item"] == item]
    assert len(rows) == 1, response.get_json()
    return rows[0]


def test_amc_without_stockout_days_nets_voids_and_ignores_today(client, coord):
    receive(client, coord, "WA", SYRINGE, 1000, days_ago=100)
    for quantity, days_ago in ((60, 80), (90, 40), (120, 10)):
        hand_out(client, coord, "WA", SYRINGE, quantity, days_ago)
    voided = hand_out(client, coord, "WA", SYRINGE, 30, days_ago=20)
    response = client.post(f"/api/v1/encounters/{voided}/void", headers=coord,
                           json={"reason": "entered twice"})
    assert response.status_code == 200, response.get_json()
    hand_out(client, coord, "WA", SYRINGE, 10)  # today: after the window

    consumed = 60 + 90 + 120  # the voided 30 nets out; today's 10 is not in the window
    amc = consumed * 30.44 / 90  # never out of stock: 1000 on hand since before the window
    on_hand = 1000 - consumed - 10
    row = status_row(client, coord, "WA", SYRINGE)
    assert row["stockout_days"] == 0
    assert row["amc"] == round(amc, 2) == 91.32
    assert row["on_hand"] == on_hand == 720
    assert row["months_of_stock"] == round(on_hand / amc, 2) == 7.88
    assert row["status"] == "over_max"  # more than the default 3 months
    assert (row["min_months"], row["max_months"]) == (1, 3)


def test_amc_with_stockout_days_and_a_suggestion_rounded_up_to_packs(client, coord):
    receive(client, coord, "WB", CONDOM, 200, days_ago=60)
    hand_out(client, coord, "WB", CONDOM, 50, days_ago=50)
    hand_out(client, coord, "WB", CONDOM, 50, days_ago=20)

    stockout = 30  # days 90..61 ago ended at 0 on hand; from day 60 ago there was stock
    amc = Decimal(100) * Decimal("30.44") / (90 - stockout)  # 3044 / 60 = 50.7333…
    row = status_row(client, coord, "WB", CONDOM)
    assert row["stockout_days"] == stockout
    assert row["amc"] == round(float(amc), 2) == 50.73
    assert row["months_of_stock"] == round(float(100 / amc), 2) == 1.97
    assert row["status"] == "ok"
    none = client.get("/api/v1/reorder/suggestions?site=WB", headers=coord).get_json()
    assert none == []

    response = client.put("/api/v1/reorder/policies", headers=coord, json={
        "item": CONDOM, "site": "WB", "min_months": 2.5, "max_months": 4})
    assert response.status_code == 200, response.get_json()
    row = status_row(client, coord, "WB", CONDOM)
    assert row["status"] == "below_min"
    assert (row["min_months"], row["max_months"]) == (2.5, 4)
    units = math.ceil(4 * amc - 100 - 0)  # 202.93 - 100 → 103 units
    packs = math.ceil(units / 144)  # a case of condoms is 144: one case
    assert (units, packs) == (103, 1)
    rows = client.get("/api/v1/reorder/suggestions?site=WB", headers=coord).get_json()
    assert rows == [{"site": "WB", "item": CONDOM, "on_hand": 100, "in_transit": 0,
                     "amc": 50.73, "months_of_stock": 1.97, "suggested_units": packs * 144,
                     "suggested_packs": packs}]
    audit = factories.db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "reorder_policy")).all()
    assert [a.action for a in audit] == ["create"]
    assert audit[0].details["site"] == "WB"


def test_amc_is_null_under_seven_stocked_days(client, coord):
    receive(client, coord, "WC", NARCAN, 48, days_ago=6)  # stocked 6 days: 84 stock-out days
    hand_out(client, coord, "WC", NARCAN, 4, days_ago=3)
    receive(client, coord, "WC", SYRINGE, 300, days_ago=7)  # 7 stocked days: AMC known
    hand_out(client, coord, "WC", SYRINGE, 35, days_ago=2)

    narcan = status_row(client, coord, "WC", NARCAN)
    assert (narcan["stockout_days"], narcan["amc"], narcan["months_of_stock"]) == (84, None, None)
    assert narcan["status"] == "ok"  # 44 on hand, no AMC to compare with
    syringe = status_row(client, coord, "WC", SYRINGE)
    assert syringe["stockout_days"] == 83
    amc = 35 * 30.44 / 7  # 152.2 a month
    assert syringe["amc"] == round(amc, 2) == 152.2
    assert syringe["months_of_stock"] == round(265 / amc, 2) == 1.74


def test_stock_out_status_and_discrepancy(client, coord):
    receive(client, coord, "WA", CONDOM, 10, days_ago=30)
    hand_out(client, coord, "WA", CONDOM, 14, days_ago=1)  # 4 more than the shelf had
    row = status_row(client, coord, "WA", CONDOM)
    assert row["on_hand"] == -4
    assert row["status"] == "stock_out"
    assert row["discrepancy"] is True
    assert row["stockout_days"] == 60 + 1  # before the receipt, and yesterday's end of day
    filtered = client.get("/api/v1/stock/status?status=stock_out", headers=coord).get_json()
    assert [(r["site"], r["item"]) for r in filtered] == [("WA", CONDOM)]


def test_expired_and_expiring_units(client, coord):
    today = datetime.now(UTC).date()
    receive(client, coord, "WA", NARCAN, 5, 10, lot="OLD", expires=str(today - timedelta(days=1)))
    receive(client, coord, "WA", NARCAN, 7, 10, lot="SOON", expires=str(today + timedelta(days=30)))
    receive(client, coord, "WA", NARCAN, 11, 10, lot="LATER", expires=str(today + timedelta(days=75)))
    row = status_row(client, coord, "WA", NARCAN)
    assert (row["expired"], row["expiring_30"], row["expiring_60"], row["expiring_90"]) == \
        (5, 7, 7, 18)


def test_the_nightly_cache_gives_the_ledger_figures(client, coord, app):
    """The cache holds what was recorded before the refresh; late entries (a void of an old
    handout, a back-dated receipt) and today's handouts are read from the ledger."""
    from inventory.reorder.cache import refresh_stock_days
    from inventory.reorder.figures import ledger_series
    from inventory.reorder.formula import window_days
    from inventory.reorder.models import StockWindow
    from inventory.settings.services import local_today

    receive(client, coord, "WA", SYRINGE, 400, days_ago=70)
    hand_out(client, coord, "WA", SYRINGE, 100, days_ago=50)
    late = hand_out(client, coord, "WA", SYRINGE, 40, days_ago=30)
    refresh_stock_days(settle=timedelta(0))
    factories.db.session.commit()
    assert factories.db.session.scalar(select(StockWindow.site_id)) is not None

    assert client.post(f"/api/v1/encounters/{late}/void", headers=coord,
                       json={"reason": "duplicate"}).status_code == 200
    receive(client, coord, "WA", SYRINGE, 100, days_ago=80, lot="L2")
    hand_out(client, coord, "WA", SYRINGE, 7)  # today
    row = status_row(client, coord, "WA", SYRINGE)
    stockout = 10  # days 90..81 ago: nothing yet (the back-dated receipt came 80 days ago)
    assert row["stockout_days"] == stockout
    assert row["amc"] == round(100 * 30.44 / (90 - stockout), 2) == 38.05
    assert row["on_hand"] == 400 + 100 - 100 - 7
    days = window_days(local_today())
    cached, live = ledger_series(days), ledger_series(days, use_cache=False)
    assert {k: (v.net, v.consumed, v.net_after) for k, v in cached.items()} == \
        {k: (v.net, v.consumed, v.net_after) for k, v in live.items()}


def test_days_are_cut_in_the_program_timezone(client, coord):
    """America/Chicago: a handout at 23:30 local time belongs to that local day, though in
    UTC it is already the next day."""
    from zoneinfo import ZoneInfo

    from inventory.settings.services import save_settings

    save_settings("Harbor", "America/Chicago", 7)
    factories.db.session.commit()
    zone = ZoneInfo("America/Chicago")
    today = datetime.now(zone).date()

    def local(days_ago, hour, minute=0):
        return datetime.combine(today - timedelta(days=days_ago), time(hour, minute),
                                tzinfo=zone).isoformat()

    body = receipt_body("WA", [{"item": CONDOM, "quantity": 10}], occurred_at=local(20, 12))
    assert client.post("/api/v1/receipts", headers=coord, json=body).status_code == 201
    handout = encounter_body("WA", [(CONDOM, 10)], occurred_at=local(2, 23, 30))
    assert client.post("/api/v1/encounters", headers=coord, json=handout).status_code == 201
    row = status_row(client, coord, "WA", CONDOM)
    # Out before the receipt (days 90..21 ago: 70) and from the evening two days ago (2 days);
    # cut in UTC, the handout would fall a day later and give 71.
    assert row["stockout_days"] == 70 + 2
    assert row["amc"] == round(10 * 30.44 / (90 - 72), 2) == 16.91
