"""Every page fits a tablet (768×1024) and a phone (390×844): no sideways scrolling, no JS errors.

Runs on a small demo program (sites, one user per role, a few hundred encounters with stock), so
the tables and the report preview have real rows in them.
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from inventory.catalog.models import Item, Site
from inventory.demo import seed_demo
from inventory.extensions import db
from tests.browser.conftest import PASSWORD, assert_no_horizontal_overflow, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_url):
    """Seed the demo program; returns {role: login email} and some ids for page paths."""
    result = seed_demo(300, seed=7, password=PASSWORD, echo=lambda _message: None)
    db.session.commit()
    logins = {login.role: login for login in result.logins}
    site = db.session.scalar(select(Site).where(Site.kind != "warehouse").order_by(Site.id))
    item = db.session.scalar(select(Item).order_by(Item.id))
    staff_site = logins["staff"].sites[0]
    ids = {"site_id": site.id, "site_code": site.code, "item_id": item.id,
           "staff_site": staff_site}
    db.session.rollback()
    return {role: login.email for role, login in logins.items()}, ids


def _visit(page, base_url: str, path: str) -> None:
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert_no_horizontal_overflow(page)


def test_admin_pages_fit(page, live_url, demo):
    emails, ids = demo
    sign_in(page, live_url, emails["admin"])
    today = date.today()
    for path in (
        "/", f"/sites/{ids['site_code']}/stock",
        "/admin/", "/admin/users", "/admin/users/new", "/admin/sites", "/admin/sites/new",
        f"/admin/sites/{ids['site_id']}/edit", "/admin/items", "/admin/items/new",
        f"/admin/items/{ids['item_id']}/edit", "/admin/settings", "/admin/audit",
        "/reports/",
        f"/reports/?period=range&from={today - timedelta(days=365)}&to={today}&template=funder",
    ):
        _visit(page, live_url, path)


@pytest.mark.parametrize("role", ["staff", "coordinator", "reporter"])
def test_home_pages_fit(page, live_url, demo, role):
    emails, ids = demo
    sign_in(page, live_url, emails[role])
    _visit(page, live_url, "/")
    if role == "staff":
        _visit(page, live_url, f"/sites/{ids['staff_site']}/stock")
    if role == "coordinator":
        _visit(page, live_url, f"/sites/{ids['site_code']}/stock")


def test_login_and_setup_pages_fit(page, live_url):
    _visit(page, live_url, "/setup")
    _visit(page, live_url, "/login")
