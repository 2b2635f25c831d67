"""The receive, transfer, count and disposal pages: each posts to the one service, re-shows a
refused form (422) with the message on its field, and writes nothing then."""
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from inventory.counts.models import Count
from inventory.transfers.models import Transfer
from tests.api_helpers import (bearer, encounter_body, now_iso, on_hand_total, receipt_body,
                               row_counts)

NAL, SYR = "NARCAN-4MG", "SYR-1ML-28G"


def _line(index, **values):
    return {f"lines-{index}-{key}": value for key, value in values.items()}


def test_receive_page_by_case_and_expired_lot_for_disposal(client, login_as, make_site, db):
    make_site("P1")
    login_as("coordinator")
    page = client.get("/sites/P1/receive")
    assert page.status_code == 200 and "Received for disposal" in page.get_data(as_text=True)
    client_id = re.search(r'name="client_id"[^>]*value="([^"]+)"',
                          page.get_data(as_text=True)).group(1)
    past = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    form = {"client_id": client_id, **_line(0, item=SYR, cases="2", quantity="5"),
            **_line(2, item=NAL, quantity="10", lot="OLD", expires_on=past)}
    before = row_counts()

    refused = client.post("/sites/P1/receive", data=form)
    assert refused.status_code == 422
    assert "can only be received for disposal" in refused.get_data(as_text=True)
    # The form re-shows the rows sent (renumbered): the error is on the naloxone row's expiry.
    assert 'id="lines-1-expires_on-error"' in refused.get_data(as_text=True)
    assert 'name="lines-1-expires_on" type="date" value="' + past in refused.get_data(as_text=True)
    assert row_counts() == before

    accepted = client.post("/sites/P1/receive", data={**form, "for_disposal": "y"})
    assert accepted.status_code == 302
    assert on_hand_total("P1", SYR) == 2 * 100 + 5
    assert on_hand_total("P1", NAL) == 10 - 10
    replay = client.post("/sites/P1/receive", data={**form, "for_disposal": "y"})
    assert replay.status_code == 302 and on_hand_total("P1", SYR) == 205  # same client_id


def test_receive_page_refuses_bad_text_in_a_line(client, login_as, make_site, db):
    make_site("P1")
    login_as("staff", sites=["P1"])
    assert "Received for disposal" not in client.get("/sites/P1/receive").get_data(as_text=True)
    before = row_counts()
    response = client.post("/sites/P1/receive", data=_line(0, item=SYR, quantity="1",
                                                           lot="A\x00B"))
    assert response.status_code == 422
    assert row_counts() == before
    # Staff receive at their site; the box they do not see cannot be ticked for them.
    done = client.post("/sites/P1/receive", data={**_line(0, item=SYR, quantity="7"),
                                                  "for_disposal": "y"})
    assert done.status_code == 302 and on_hand_total("P1", SYR) == 7


def _stock(client, site, lines):
    response = client.post("/api/v1/receipts", headers=bearer("admin"),
                           json=receipt_body(site, lines))
    assert response.status_code == 201, response.get_json()


def test_transfer_pages_ship_receive_part_and_close(app, client, login_as, make_site, db):
    make_site("P1")
    make_site("P2")
    _stock(client, "P1", [{"item": NAL, "quantity": 10, "lot": "N1", "expires_on": "2031-01-31"}])
    login_as("staff", sites=["P1"])

    short = client.post("/transfers/new", data={"from_site": "P1", "to_site": "P2",
                                                **_line(0, item=NAL, quantity="11")})
    assert short.status_code == 422 and "Only 10 on hand" in short.get_data(as_text=True)
    shipped = client.post("/transfers/new", data={"from_site": "P1", "to_site": "P2",
                                                  **_line(0, item=NAL, quantity="10")})
    assert shipped.status_code == 302
    transfer = db.session.scalar(select(Transfer))
    assert on_hand_total("P1", NAL) == 0
    # Staff of the source may not receive at the destination.
    assert client.get(f"/transfers/{transfer.id}/receive").status_code == 403

    other = app.test_client()
    from tests import factories
    receiver = factories.make_user(role="staff", sites=["P2"])
    db.session.commit()
    factories.sign_in(other, receiver)
    detail = other.get(f"/transfers/{transfer.id}").get_data(as_text=True)
    assert "Receive transfer" in detail and "Cancel transfer" not in detail
    line_id = transfer.lines[0].id
    part = other.post(f"/transfers/{transfer.id}/receive",
                      data={"lines-0-line_id": str(line_id), "lines-0-quantity": "6"})
    assert part.status_code == 302
    assert on_hand_total("P2", NAL) == 6
    no_reason = other.post(f"/transfers/{transfer.id}/receive",
                           data={"lines-0-line_id": str(line_id), "lines-0-quantity": "",
                                 "close": "y"})
    assert no_reason.status_code == 422 and "Say why" in no_reason.get_data(as_text=True)
    closed = other.post(f"/transfers/{transfer.id}/receive", data={
        "lines-0-line_id": str(line_id), "lines-0-quantity": "", "close": "y",
        "shortfall_reason": "4 kits broken in transit"})
    assert closed.status_code == 302
    db.session.rollback()
    transfer = db.session.get(Transfer, transfer.id)
    assert (transfer.status, transfer.lines[0].received, transfer.lines[0].written_off) == (
        "closed", 6, 10 - 6)
    listing = other.get("/transfers?status=closed&site=P2").get_data(as_text=True)
    assert f"TR-{transfer.id}" in listing


def test_count_pages_say_when_stock_moved(client, login_as, make_site, db):
    make_site("P1")
    _stock(client, "P1", [{"item": SYR, "quantity": 30}])
    login_as("staff", sites=["P1"])
    started = client.post("/sites/P1/count", data={})
    assert started.status_code == 302
    count = db.session.scalar(select(Count))
    page = client.get(f"/counts/{count.id}")
    assert page.status_code == 200
    # A handout of 4 after the snapshot: live 26; the shelf holds 25 → variance -1.
    assert client.post("/api/v1/encounters", headers=bearer("admin"),
                       json=encounter_body("P1", [(SYR, 4)])).status_code == 201
    lines = sorted(count.lines, key=lambda line: line.id)
    data = {f"lines-{i}-line_id": str(line.id) for i, line in enumerate(lines)}
    data.update({f"lines-{i}-counted": "25" if line.item.code == SYR else "0"
                 for i, line in enumerate(lines)})
    incomplete = client.post(f"/counts/{count.id}", data={**data, "lines-0-counted": "",
                                                          "action": "submit"})
    assert incomplete.status_code == 422
    assert "Enter a figure for every line" in incomplete.get_data(as_text=True)
    submitted = client.post(f"/counts/{count.id}", data={**data, "action": "submit"})
    assert submitted.status_code == 302
    result = client.get(f"/counts/{count.id}").get_data(as_text=True)
    assert "Stock moved at this site after the snapshot" in result
    assert on_hand_total("P1", SYR) == 25


def test_dispose_page_proposes_expired_lots_first(client, login_as, make_site, db):
    make_site("P1")
    past = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    _stock(client, "P1", [{"item": SYR, "quantity": 8}])
    response = client.post("/api/v1/receipts", headers=bearer("admin"), json=receipt_body(
        "P1", [{"item": NAL, "quantity": 3, "lot": "OLD", "expires_on": past}],
        occurred_at=now_iso(timedelta(days=-5))))
    assert response.status_code == 201
    login_as("coordinator")
    page = client.get("/sites/P1/dispose").get_data(as_text=True)
    assert page.index("OLD") < page.index(SYR)  # the expired lot leads
    assert '<option selected value="expired">' in page
    # The expired row comes filled in with what it holds; submit as proposed.
    key = re.search(r'name="lines-0-key"[^>]*value="(\d+)"', page).group(1)
    done = client.post("/sites/P1/dispose", data={"reason": "expired", "lines-0-key": key,
                                                  "lines-0-quantity": "3"})
    assert done.status_code == 302
    assert on_hand_total("P1", NAL) == 0


def test_transfer_list_filters_refuse_bad_values_on_the_page(client, login_as, make_site, db):
    make_site("P1")
    login_as("staff", sites=["P1"])
    for query in ("site=%00", "status=lost", "site=NOWHERE", "status=%ED%A0%80"):
        response = client.get(f"/transfers?{query}")
        assert response.status_code == 200, query
        assert 'class="error"' in response.get_data(as_text=True), query
    assert client.get("/transfers/99999999999999").status_code == 404
    assert client.get("/counts/2147483648").status_code == 404
