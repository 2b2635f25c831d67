"""axe-core finds no critical or serious violation on the pages a signed-out person sees."""
from tests.browser.conftest import artifact_path, assert_accessible


def test_login_page_passes_axe(page, live_url, make_login_user, viewport):
    make_login_user("admin")  # an admin exists, so the login page is shown, not the setup page
    page.goto(f"{live_url}/login")
    assert_accessible(page)
    page.screenshot(path=artifact_path("screenshots", f"login-{viewport['width']}.png"))
