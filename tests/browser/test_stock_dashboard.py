"""The stock dashboard, one site's stock, the stock card and the reorder pages at 768×1024 and
390×844: accessible (axe-core), 48 px targets, no sideways scrolling; dashboard screenshots in
artifacts/dashboard/."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from inventory.extensions import db
from tests import factories
from tests.api_helpers import bearer
from tests.browser.conftest import (artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, follow, sign_in)
from tests.browser.test_transfer_pages import assert_touch_targets
from tests.test_reorder_formula import hand_out, receive

pytestmark = pytest.mark.browser


@pytest.fixture
def program(live_url, client, make_login_user):
    """Two sites; syringes below minimum at DT, condoms out, a naloxone lot expiring soon."""
    factories.make_site("DT", name="Downtown Drop-in")
    factories.make_site("VAN", kind="mobile", name="Harbor Van")
    db.session.commit()
    coord = bearer("coordinator")
    soon = datetime.now(UTC).date() + timedelta(days=20)
    receive(client, coord, "DT", "SYR-1ML-28G", 400, days_ago=85)
    for days_ago in (70, 50, 30, 10):
        hand_out(client, coord, "DT", "SYR-1ML-28G", 90, days_ago)
    receive(client, coord, "DT", "CONDOM-EXT", 20, days_ago=40)
    hand_out(client, coord, "DT", "CONDOM-EXT", 22, days_ago=3)
    receive(client, coord, "DT", "NARCAN-4MG", 12, days_ago=15, lot="NX-77", expires=str(soon))
    receive(client, coord, "VAN", "SYR-1ML-28G", 2000, days_ago=60)
    hand_out(client, coord, "VAN", "SYR-1ML-28G", 150, days_ago=20)
    db.session.commit()
    make_login_user("admin")
    return make_login_user("coordinator")


def _check(page, viewport, name=None):
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    assert_touch_targets(page)
    if name:
        size = f"{viewport['width']}x{viewport['height']}"
        page.screenshot(path=str(artifact_path("dashboard", f"{name}-{size}.png")),
                        full_page=True)


def test_dashboard_and_stock_pages(page, live_url, program, viewport):
    sign_in(page, live_url, program)
    assert page.get_by_role("region", name="Stock by site and item").is_visible()
    out = page.get_by_role("row").filter(has_text="External condom")
    assert re.search(r"DT\s+External condom\s+-2\s", out.inner_text())
    assert "Out of stock" in out.inner_text()
    assert "Handed out more than recorded" in out.inner_text()
    low = page.get_by_role("row").filter(has_text="DT").filter(has_text="28G")
    assert "Below minimum" in low.inner_text()
    phone = viewport["width"] <= 600
    chart = page.locator("svg.chart-narrow" if phone else "svg.chart-wide").first
    assert chart.is_visible()
    _check(page, viewport, "dashboard")

    page.get_by_label("Status").select_option("stock_out")
    follow(page, page.get_by_role("button", name="Show"))
    assert page.locator("table.stock-table tbody tr").count() == 1
    _check(page, viewport, "dashboard-stock-out")

    page.goto(f"{live_url}/sites/DT/stock")
    naloxone = page.locator("details.item-stock").filter(has_text="Naloxone")
    assert "12 expiring soon" in naloxone.locator("summary").inner_text()
    naloxone.locator("summary").click()
    assert "Expires in 20 days" in naloxone.locator("li.lot").inner_text()
    _check(page, viewport, "site-stock")

    follow(page, naloxone.get_by_role("link", name="Stock card"))
    assert page.get_by_role("link", name=re.compile("Download CSV")).is_visible()
    _check(page, viewport, "stock-card")


def test_reorder_pages(page, live_url, program, viewport):
    sign_in(page, live_url, program)
    page.goto(f"{live_url}/reorder/")
    _check(page, viewport, "reorder-suggestions")
    follow(page, page.get_by_role("button", name="Create reorder request for DT"))
    assert page.get_by_text("created as a draft").is_visible()
    _check(page, viewport, "reorder-request")
    follow(page, page.get_by_role("button", name="Submit request"))
    follow(page, page.get_by_role("button", name="Mark as ordered from the supplier"))
    _check(page, viewport, "reorder-receive")
    page.goto(f"{live_url}/reorder/policies")
    _check(page, viewport, "reorder-policies")
