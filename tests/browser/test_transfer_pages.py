"""A coordinator receives a shipment and ships a transfer; the other site's staff member receives
it. Then a count and a disposal. Every page passes axe-core and keeps its controls at least
48×48 px, at 768×1024 and 390×844; screenshots go to artifacts/transfers/."""
import re

import pytest
from sqlalchemy import select

from inventory.extensions import db
from inventory.transfers.models import Transfer
from tests import factories
from tests.browser.conftest import (artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, follow, open_menu, sign_in)

pytestmark = pytest.mark.browser



def assert_touch_targets(page) -> None:
    """Every visible control in the page body is at least 48×48 CSS px (a checkbox counts by
    its label, which is what a finger hits)."""
    small = page.evaluate("""() => [...document.querySelectorAll(
        'main a, main button, main select, main textarea, main label.check, ' +
        'main input:not([type=hidden]):not([type=checkbox])')]
      .filter(el => el.offsetParent !== null)
      .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
      .filter(([, r]) => r.height < 47.5 || r.width < 47.5)
      .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert not small, f"targets under 48 px on {page.url}: {small}"


def check_page(page, name: str, viewport) -> None:
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    assert_touch_targets(page)
    size = f"{viewport['width']}x{viewport['height']}"
    page.screenshot(path=str(artifact_path("transfers", f"{name}-{size}.png")), full_page=True)


def _sign_out(page) -> None:
    open_menu(page)
    follow(page, page.get_by_role("button", name=re.compile("Sign out")))


def test_receive_ship_and_receive_at_the_other_site(page, live_url, make_login_user, viewport):
    factories.make_site("WH", kind="warehouse", name="Warehouse")
    factories.make_site("S1", name="Downtown")
    db.session.commit()
    make_login_user("admin")  # setup is over once an admin exists
    coordinator = make_login_user("coordinator")
    staff = make_login_user("staff", sites=["S1"])

    sign_in(page, live_url, coordinator)  # home: the stock dashboard, with the sites
    follow(page, page.get_by_role("link", name=re.compile("^Warehouse WH")))
    follow(page, page.get_by_role("link", name="Receive shipment"))
    check_page(page, "receive", viewport)
    line = page.get_by_role("group", name="Line 1")
    line.get_by_label("Item").select_option("NARCAN-4MG")
    line.get_by_label("Cases").fill("1")
    line.get_by_label("Lot").fill("NX-204")
    line.get_by_label("Expires").fill("2031-05-31")
    follow(page, page.get_by_role("button", name="Record receipt"))
    assert page.get_by_text("Received 1 line at WH.").is_visible()
    naloxone = page.locator("details.item-stock").filter(has_text="Naloxone nasal spray")
    naloxone.locator("summary").click()  # lots are folded under the item's total
    assert "24 kit" in naloxone.locator("summary").inner_text()  # one case of 24
    assert "Lot NX-204" in naloxone.locator("li.lot").inner_text()

    follow(page, page.get_by_role("link", name="Ship transfer"))
    check_page(page, "ship", viewport)
    assert page.get_by_label("From site").input_value() == "WH"
    page.get_by_label("To site").select_option("S1")
    line = page.get_by_role("group", name="Line 1")
    line.get_by_label("Item").select_option("NARCAN-4MG")
    line.get_by_label("Units").fill("10")
    follow(page, page.get_by_role("button", name="Ship"))
    assert page.get_by_text("in transit", exact=False).first.is_visible()
    shipped = page.get_by_role("row").filter(has_text="NX-204").inner_text()
    assert re.search(r"10\s+0\s+0\s+10", shipped), shipped  # shipped, received, off, in transit
    check_page(page, "transfer-in-transit", viewport)
    transfer_id = db.session.scalar(select(Transfer.id))
    db.session.rollback()
    # The dashboard shows the 10 kits in transit to S1 and the 14 left at the warehouse.
    page.goto(f"{live_url}/stock?category=naloxone")
    s1 = page.get_by_role("row").filter(has_text="S1").filter(has_text="Naloxone nasal")
    assert re.search(r"S1\s+Naloxone nasal spray 4 mg twin pack\s+0\s+10\s", s1.inner_text()), \
        s1.inner_text()
    wh = page.get_by_role("row").filter(has_text="WH").filter(has_text="Naloxone nasal")
    assert re.search(r"WH\s+Naloxone nasal spray 4 mg twin pack\s+14\s+—", wh.inner_text())
    _sign_out(page)

    sign_in(page, live_url, staff)
    open_menu(page)
    follow(page, page.get_by_role("navigation").get_by_role("link", name="Transfers"))
    check_page(page, "transfers-list", viewport)
    follow(page, page.get_by_role("link", name=re.compile(f"TR-{transfer_id}")))
    assert page.get_by_role("button", name="Cancel transfer").count() == 0  # not their source
    follow(page, page.get_by_role("link", name="Receive transfer"))
    check_page(page, "transfer-receive", viewport)
    arrived = page.get_by_label(re.compile("^Arrived: Naloxone"))
    assert arrived.input_value() == "10"
    arrived.fill("7")
    follow(page, page.get_by_role("button", name="Record receipt"))
    assert page.get_by_text("The transfer is now in transit.").is_visible()
    follow(page, page.get_by_role("link", name="Receive transfer"))
    page.get_by_label(re.compile("^Arrived: Naloxone")).fill("")
    page.get_by_label(re.compile("Close the transfer")).check()
    page.get_by_label("Why the rest never arrived").fill("3 kits crushed in the van")
    follow(page, page.get_by_role("button", name="Record receipt"))
    assert page.get_by_text("The transfer is now closed.").is_visible()
    closed = page.get_by_role("row").filter(has_text="NX-204").inner_text()
    assert re.search(r"10\s+7\s+3\s+0", closed), closed
    check_page(page, "transfer-closed", viewport)
    transfer = db.session.get(Transfer, transfer_id)
    assert (transfer.status, transfer.lines[0].received, transfer.lines[0].written_off) == (
        "closed", 7, 3)
    db.session.rollback()
    # Staff's dashboard shows their site only: the 7 kits that arrived, nothing in transit.
    page.goto(f"{live_url}/stock")
    rows = page.locator("table.stock-table tbody tr")
    assert rows.count() == 1
    assert re.search(r"S1\s+Naloxone nasal spray 4 mg twin pack\s+7\s+—", rows.inner_text())


def test_count_and_dispose_pages(page, live_url, make_login_user, viewport, client):
    from tests.api_helpers import bearer, receipt_body

    factories.make_site("S1", name="Downtown")
    db.session.commit()
    response = client.post("/api/v1/receipts", headers=bearer("admin"), json=receipt_body(
        "S1", [{"item": "NARCAN-4MG", "quantity": 6, "lot": "NX-1", "expires_on": "2031-01-31"},
               {"item": "SYR-1ML-28G", "quantity": 40}]))
    assert response.status_code == 201
    db.session.commit()
    make_login_user("admin")
    sign_in(page, live_url, make_login_user("staff", sites=["S1"]))
    page.goto(f"{live_url}/sites/S1/stock")
    follow(page, page.get_by_role("link", name="Count stock"))
    check_page(page, "count-start", viewport)
    follow(page, page.get_by_role("button", name="Start count"))
    for field in page.locator("input.qty").all():
        field.fill("0")
    page.get_by_label(re.compile("^Counted: Naloxone nasal spray 4 mg.*lot NX-1")).fill("5")
    page.get_by_label(re.compile(r"^Counted: 1 mL 28G.*no lot")).fill("38")
    # The item total follows what is typed (static/js/count.js).
    assert page.locator("output").filter(has_text="38").count() >= 1
    check_page(page, "count-enter", viewport)
    follow(page, page.get_by_role("button", name="Submit count"))
    assert page.get_by_text("Count submitted").is_visible()
    check_page(page, "count-submitted", viewport)

    page.goto(f"{live_url}/sites/S1/dispose")
    check_page(page, "dispose", viewport)
    page.get_by_label(re.compile("^Dispose of: 1 mL 28G")).fill("2")
    page.get_by_label("Reason").select_option("damaged")
    follow(page, page.get_by_role("button", name="Dispose of stock"))
    assert page.get_by_text("Disposed of 2 units at S1.").is_visible()
