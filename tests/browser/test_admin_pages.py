"""An admin creates a site and a user through the forms; the new user can sign in."""
import re

import pytest
from sqlalchemy import select

from inventory.auth.models import User
from inventory.catalog.models import Site
from inventory.extensions import db
from tests.browser.conftest import (PASSWORD, assert_no_horizontal_overflow, follow, open_menu,
                                   sign_in)

pytestmark = pytest.mark.browser


def _navigate(page, link: str) -> None:
    open_menu(page)
    follow(page, page.get_by_role("navigation").get_by_role("link", name=link, exact=True))


def test_admin_creates_site_and_staff_user(page, live_url, make_login_user):
    admin = make_login_user("admin")
    sign_in(page, live_url, admin)

    _navigate(page, "Sites")
    assert_no_horizontal_overflow(page)
    follow(page, page.get_by_role("link", name="New site"))
    assert_no_horizontal_overflow(page)
    page.get_by_label("Code").fill("VAN9")
    page.get_by_label("Name").fill("Night van")
    page.get_by_label("Kind").select_option("mobile")
    follow(page, page.get_by_role("button", name="Create site"))
    assert page.url == f"{live_url}/admin/sites"
    assert page.get_by_text("Site VAN9 created.").is_visible()
    row = page.get_by_role("row").filter(has_text="VAN9")
    assert "Night van" in row.inner_text() and "mobile" in row.inner_text()
    assert_no_horizontal_overflow(page)

    _navigate(page, "Users")
    follow(page, page.get_by_role("link", name="New user"))
    assert_no_horizontal_overflow(page)
    page.get_by_label("Email").fill("outreach.worker@example.org")
    page.get_by_label("Role").select_option("staff")
    page.get_by_label(re.compile(r"^VAN9")).check()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Create user"))
    assert page.url == f"{live_url}/admin/users"
    assert page.get_by_text("User outreach.worker@example.org created.").is_visible()
    row = page.get_by_role("row").filter(has_text="outreach.worker@example.org")
    assert "staff" in row.inner_text() and "VAN9" in row.inner_text()
    assert_no_horizontal_overflow(page)

    site = db.session.scalar(select(Site).where(Site.code == "VAN9"))
    user = db.session.scalar(select(User).where(User.email == "outreach.worker@example.org"))
    assert site is not None and site.kind == "mobile" and site.active
    assert user is not None and user.role == "staff" and [s.code for s in user.sites] == ["VAN9"]
    db.session.rollback()

    # The new staff member signs in with the password the admin set, and sees no admin pages.
    open_menu(page)
    follow(page, page.get_by_role("button", name=re.compile("Sign out")))
    assert "/login" in page.url
    sign_in(page, live_url, "outreach.worker@example.org")
    assert page.url == f"{live_url}/"
    assert page.get_by_role("navigation").get_by_role("link", name="Users").count() == 0
    assert_no_horizontal_overflow(page)


def test_site_form_shows_errors_and_writes_nothing(page, live_url, make_login_user):
    sign_in(page, live_url, make_login_user("admin"))
    page.goto(f"{live_url}/admin/sites/new")
    page.get_by_label("Name").fill("No code given")
    follow(page, page.get_by_role("button", name="Create site"))
    assert page.locator(".field.has-error").filter(has=page.get_by_label("Code")).count() == 1
    assert_no_horizontal_overflow(page)
    assert db.session.scalar(select(Site).where(Site.name == "No code given")) is None
    db.session.rollback()
