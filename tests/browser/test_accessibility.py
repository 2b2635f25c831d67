"""axe-core finds no critical or serious violation on any page, for each role, at the tablet and
the phone viewport; keyboard focus is visible on every control a Tab reaches."""
import re

import pytest
from sqlalchemy import select

from inventory.auth.models import User
from inventory.catalog.models import Item, Site
from inventory.extensions import db
from tests import factories
from tests.browser.conftest import (artifact_path, assert_accessible, follow, open_menu,
                                    sign_in)

pytestmark = pytest.mark.browser

SITE = "AXA"


def _check(page, url: str, name: str, viewport) -> None:
    """Open ``url``, run axe-core, keep a screenshot named ``name``."""
    response = page.goto(url)
    assert response is not None and response.status < 500, (url, response and response.status)
    assert_accessible(page)
    page.screenshot(path=artifact_path("screenshots", f"a11y-{name}-{viewport['width']}.png"),
                    full_page=True)


def test_login_page_passes_axe(page, live_url, make_login_user, viewport):
    make_login_user("admin")  # an admin exists, so the login page is shown, not the setup page
    page.goto(f"{live_url}/login")
    assert_accessible(page)
    page.screenshot(path=artifact_path("screenshots", f"login-{viewport['width']}.png"))
    # A failed sign-in shows the form again with its message
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password", exact=True).fill("wrong password")
    follow(page, page.get_by_role("button", name="Sign in"))
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)


def test_setup_page_and_its_errors_pass_axe(page, live_url, viewport):
    _check(page, f"{live_url}/", "setup", viewport)
    assert page.url == f"{live_url}/setup"
    follow(page, page.get_by_role("button", name=re.compile("(Set up|Create|Save|Start)")))
    assert page.locator(".error").first.is_visible()
    assert_accessible(page)


def _site_and_users(make_login_user) -> dict[str, str]:
    site = factories.make_site(SITE, name="Axe test site")
    db.session.commit()
    return {role: make_login_user(role, sites=[site] if role == "staff" else ())
            for role in ("staff", "coordinator", "reporter", "admin")}


@pytest.mark.parametrize("role", ["staff", "coordinator", "reporter"])
def test_pages_of_each_role_pass_axe(page, live_url, make_login_user, viewport, role):
    emails = _site_and_users(make_login_user)
    sign_in(page, live_url, emails[role])
    _check(page, f"{live_url}/", f"home-{role}", viewport)
    if role in ("staff", "coordinator"):
        _check(page, f"{live_url}/sites/{SITE}/stock", f"site-stock-{role}", viewport)
    if role in ("coordinator", "reporter"):
        _check(page, f"{live_url}/reports/", f"reports-{role}", viewport)
        follow(page, page.get_by_role("button", name="Preview"))
        assert_accessible(page)  # with the report preview and its chart
        page.screenshot(path=artifact_path(
            "screenshots", f"a11y-report-preview-{role}-{viewport['width']}.png"), full_page=True)
        _check(page, f"{live_url}/reports/?period=month&month=0000-01", f"reports-error-{role}",
               viewport)
        assert page.locator(".error").first.is_visible()
    # An error page (a site this user may not see, or one that does not exist)
    _check(page, f"{live_url}/sites/NOPE/stock", f"error-{role}", viewport)


ADMIN_PAGES = ["/", "/admin/", "/admin/users", "/admin/users/new", "/admin/users/{user}/edit",
               "/admin/users/{user}/password", "/admin/sites", "/admin/sites/new",
               "/admin/sites/{site}/edit", "/admin/items", "/admin/items/new",
               "/admin/items/{item}/edit", "/admin/settings", "/admin/audit",
               "/admin/users/2147483647/edit"]


def test_admin_pages_and_forms_pass_axe(page, live_url, make_login_user, viewport):
    emails = _site_and_users(make_login_user)
    ids = {"user": db.session.scalar(select(User.id).where(User.email == emails["staff"])),
           "site": db.session.scalar(select(Site.id).where(Site.code == SITE)),
           "item": db.session.scalar(select(Item.id).order_by(Item.id))}
    db.session.rollback()
    sign_in(page, live_url, emails["admin"])
    for path in ADMIN_PAGES:
        url = live_url + path.format(**ids)
        name = "admin-" + (re.sub(r"[^a-z]+", "-", path).strip("-") or "home")
        _check(page, url, name, viewport)
    # Forms sent empty come back with their messages: those pages pass too.
    for path, button in (("/admin/sites/new", "Create site"), ("/admin/users/new", "Create user"),
                         ("/admin/items/new", "Create item")):
        page.goto(live_url + path)
        for field in page.locator("input[type=text], input[type=email], input[type=number]").all():
            field.fill("")
        follow(page, page.get_by_role("button", name=button))
        assert page.locator(".error").first.is_visible(), path
        assert_accessible(page)
    page.screenshot(path=artifact_path("screenshots", f"a11y-admin-form-errors-"
                                                      f"{viewport['width']}.png"), full_page=True)


def _focus_ring(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {tag: el.tagName, text: (el.innerText || el.name || el.id || '').slice(0, 40),
                outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
                shadow: style.boxShadow};
    }""")


def _assert_focus_visible_on_tab_stops(page, stops: int) -> list[str]:
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        ring = _focus_ring(page)
        if ring["tag"] == "BODY":
            break
        visible = (ring["outline"] != "none" and ring["width"] > 0) or ring["shadow"] != "none"
        assert visible, f"focus not visible on {ring} at {page.url}"
        seen.append(f"{ring['tag']}:{ring['text']}")
    return seen


def test_keyboard_focus_is_visible(page, live_url, make_login_user, viewport):
    emails = _site_and_users(make_login_user)
    page.goto(f"{live_url}/login")
    seen = _assert_focus_visible_on_tab_stops(page, 6)
    # The brand link, both fields and the button were reached.
    assert any(s.startswith("INPUT") for s in seen) and any(s.startswith("BUTTON") for s in seen)
    sign_in(page, live_url, emails["admin"])
    open_menu(page)
    page.goto(f"{live_url}/admin/sites/new")
    # The admin's menu comes first (about 20 links and the language switch), then the form.
    seen = _assert_focus_visible_on_tab_stops(page, 40)
    assert any(s.startswith("A:") for s in seen) and any(s.startswith("SELECT") for s in seen)
