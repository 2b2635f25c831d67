"""First-run setup, sign in and sign out, in a real browser at tablet and phone widths."""
import re

import pytest
from sqlalchemy import select

from inventory.auth.models import User
from inventory.extensions import db
from tests.browser.conftest import (PASSWORD, assert_no_horizontal_overflow, follow, open_menu,
                                   sign_in)

pytestmark = pytest.mark.browser


def test_first_run_setup_creates_admin_and_lands_home(page, live_url):
    # No admin yet: any page leads to the setup page.
    page.goto(f"{live_url}/")
    assert page.url == f"{live_url}/setup"
    assert page.get_by_role("heading", name="Set up your program").is_visible()
    assert_no_horizontal_overflow(page)

    page.get_by_label("Program name").fill("Riverside Harm Reduction")
    page.get_by_label("Timezone").fill("America/Chicago")
    page.get_by_label("Fiscal year starts in").select_option(label="October")
    page.get_by_label("Admin email").fill("first.admin@example.org")
    page.get_by_label("Admin password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Create program and admin"))
    assert page.url == f"{live_url}/"
    assert page.get_by_role("heading", name="Riverside Harm Reduction").is_visible()
    assert page.get_by_text("Setup complete").is_visible()
    assert_no_horizontal_overflow(page)

    admin = db.session.scalar(select(User).where(User.email == "first.admin@example.org"))
    db.session.rollback()
    assert admin is not None and admin.role == "admin"
    # Setup is done once: signed out, the setup page now sends people to sign in.
    page.context.clear_cookies()
    page.goto(f"{live_url}/setup")
    assert page.url.startswith(f"{live_url}/login")


def test_setup_rejects_mismatched_passwords(page, live_url):
    page.goto(f"{live_url}/setup")
    page.get_by_label("Program name").fill("Riverside")
    page.get_by_label("Admin email").fill("first.admin@example.org")
    page.get_by_label("Admin password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD + "x")
    follow(page, page.get_by_role("button", name="Create program and admin"))
    assert page.get_by_text("Passwords differ.").is_visible()
    assert db.session.scalar(select(User)) is None
    db.session.rollback()


def test_sign_in_and_out(page, live_url, make_login_user):
    email = make_login_user("admin")
    page.goto(f"{live_url}/")
    assert page.url.startswith(f"{live_url}/login")
    assert_no_horizontal_overflow(page)

    # A wrong password keeps you out and says so.
    sign_in(page, live_url, email, "not the password")
    assert page.url.startswith(f"{live_url}/login")
    assert page.get_by_text("Wrong email or password").is_visible()

    sign_in(page, live_url, email)
    assert page.url == f"{live_url}/"
    assert_no_horizontal_overflow(page)
    open_menu(page)
    sign_out = page.get_by_role("button", name=re.compile("Sign out"))
    assert email in sign_out.inner_text()
    follow(page, sign_out)
    assert "/login" in page.url
    assert page.get_by_text("You are signed out.").is_visible()

    # Signed out for real: home leads back to the login page.
    page.goto(f"{live_url}/")
    assert page.url.startswith(f"{live_url}/login")
