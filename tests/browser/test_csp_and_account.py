"""Under the Content-Security-Policy (no inline script or style) every main page loads without
a single violation; the account pages (password, API tokens) work, pass axe and fit."""
from datetime import UTC, datetime

import pytest

from inventory.extensions import db
from tests import report_factories as f
from tests.browser.conftest import (PASSWORD, artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, follow, open_menu,
                                    sign_in)

pytestmark = pytest.mark.browser

MAIN_PAGES = [
    "/", "/admin/", "/admin/users", "/admin/users/new", "/admin/sites", "/admin/sites/new",
    "/admin/items", "/admin/items/new", "/admin/settings", "/admin/audit", "/admin/tokens",
    "/account/tokens", "/account/password", "/sites/A/stock",
    "/reports/", "/reports/?period=range&from=2026-07-01&to=2026-09-30&template=funder",
]


def _record_csp_violations(page) -> list[str]:
    """Chromium reports each blocked inline script or style on the console."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return violations


@pytest.fixture
def report_data(live_url):
    f.settings("UTC")
    for day in range(1, 6):
        f.handout("A", datetime(2026, 7, day, 16, tzinfo=UTC), {"SYR-1ML-28G": 10, "FTS": 2})
    db.session.commit()


def test_no_page_breaks_the_content_security_policy(page, live_url, make_login_user,
                                                    report_data, viewport):
    violations = _record_csp_violations(page)
    sign_in(page, live_url, make_login_user("admin"))
    for path in MAIN_PAGES:
        response = page.goto(f"{live_url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The chart's legend (once an inline style="background") still shows its colours.
    swatch = page.locator(".legend .swatch").first
    colour = swatch.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("", "rgba(0, 0, 0, 0)", "transparent")
    box = page.locator(".legend .swatch").first.bounding_box()
    assert box["width"] > 8 and box["height"] > 8
    page.screenshot(path=artifact_path("screenshots", f"report-csp-{viewport['width']}.png"),
                    full_page=True)
    assert not violations, "\n".join(violations)


def test_the_listener_sees_a_blocked_inline_style(page, live_url, make_login_user, viewport):
    violations = _record_csp_violations(page)
    make_login_user("admin")
    page.goto(f"{live_url}/login")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert violations and "style-src" in violations[0]


def test_api_token_page_creates_shows_once_and_revokes(page, live_url, make_login_user,
                                                       viewport):
    make_login_user("admin")  # setup is done
    email = make_login_user("coordinator")
    sign_in(page, live_url, email)
    open_menu(page)
    follow(page, page.get_by_role("navigation").get_by_role("link", name="Account"))
    assert page.url == f"{live_url}/account/tokens"
    page.get_by_label("Name (what the token is for)").fill("van tablet sync")
    page.get_by_label("Expires").select_option("90")
    follow(page, page.get_by_role("button", name="Create token"))
    token = page.locator(".token-value").inner_text()
    assert len(token) >= 40
    row = page.get_by_role("row").filter(has_text="van tablet sync")
    assert token[:8] in row.inner_text() and "active" in row.inner_text()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=artifact_path("screenshots", f"account-tokens-{viewport['width']}.png"),
                    full_page=True)
    follow(page, row.get_by_role("button", name=f"Revoke token {token[:8]}"))
    assert page.get_by_text(f"Token {token[:8]}… revoked.").is_visible()
    assert "revoked" in page.get_by_role("row").filter(has_text="van tablet sync").inner_text()
    assert page.locator(".token-value").count() == 0  # shown once only


def test_forced_password_change_page(page, live_url, make_login_user, viewport):
    from sqlalchemy import select

    from inventory.auth.models import User

    make_login_user("admin")  # setup is done
    email = make_login_user("staff")
    user = db.session.scalar(select(User).where(User.email == email))
    user.must_change_password = True
    db.session.commit()
    sign_in(page, live_url, email)
    assert page.url == f"{live_url}/account/password"
    assert page.get_by_text("An admin asked you to choose a new password").is_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=artifact_path("screenshots", f"account-password-{viewport['width']}.png"),
                    full_page=True)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("password1234")
    page.get_by_label("New password again").fill("password1234")
    follow(page, page.get_by_role("button", name="Change password"))
    assert page.get_by_text("common passwords").is_visible()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("river stones and lanterns")
    page.get_by_label("New password again").fill("river stones and lanterns")
    follow(page, page.get_by_role("button", name="Change password"))
    assert page.url == f"{live_url}/"
    assert page.get_by_text("Password changed.").is_visible()


def test_admin_token_list_passes_axe(page, live_url, make_login_user, viewport):
    from tests import factories

    factories.make_token(factories.make_user(email="sync@example.org"))
    db.session.commit()
    sign_in(page, live_url, make_login_user("admin"))
    page.goto(f"{live_url}/admin/tokens")
    assert "sync@example.org" in page.get_by_role("table").inner_text()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=artifact_path("screenshots", f"admin-tokens-{viewport['width']}.png"),
                    full_page=True)
