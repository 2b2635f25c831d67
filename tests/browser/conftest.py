"""Browser-test fixtures: the app served on 127.0.0.1 by werkzeug in a thread, driven by Debian's
Chromium through Playwright's sync API.

The served app is the suite's session ``app``; every test that asks for ``live_url`` also gets the
``db`` fixture, so it starts from emptied tables with the catalogue and reasons seeded. Chromium is
never downloaded (no ``playwright install``): without /usr/bin/chromium the tests are skipped, or
fail when ``CI=true``.
"""
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from inventory.extensions import db as _db
from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def live_server(app):
    """The session ``app`` on a random port of 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def live_url(live_server, app, db, monkeypatch):
    """Base URL of the live server, with the database freshly emptied and seeded.

    The server behaves as in production for the test's duration: the first-run redirect to /setup
    and CSRF checks are on (the suite turns both off for the test client). The test's own app
    context is left without an open transaction, so a SQLite write lock held here never blocks
    the server thread."""
    from inventory.first_run import forget_setup_state

    monkeypatch.setitem(app.config, "SETUP_REDIRECT", True)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    forget_setup_state()  # the tables were just emptied: no admin any more
    db.session.rollback()
    yield live_server
    db.session.rollback()
    forget_setup_state()


@pytest.fixture(scope="module")
def browser():
    """Chromium, per test module: Playwright's sync API keeps an asyncio loop marked as running
    while it lives, which would break ``asyncio.run`` in any later, unrelated test."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=[TABLET, PHONE], ids=["tablet", "phone"])
def viewport(request):
    return request.param


@contextmanager
def checked_page(browser, viewport, **options):
    """A page in a fresh browser context (no cookies) at ``viewport``, context ``options`` added
    (e.g. ``locale``); fails the test on any JavaScript error on the page."""
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, viewport):
    with checked_page(browser, viewport) as page:
        yield page


@pytest.fixture
def make_login_user(live_url):
    """Create and commit a user of ``role`` whose password is :data:`PASSWORD`."""

    def _make(role: str = "admin", sites=(), email: str | None = None):
        user = factories.make_user(role=role, sites=sites, email=email, password=PASSWORD)
        email = user.email
        _db.session.commit()
        return email

    return _make


def follow(page, locator) -> None:
    """Click a link or submit button and wait until the page it leads to has loaded.

    (Waiting for the load state after a bare click races with the navigation: the old page is
    already loaded, and the next check may run while the new document does not exist yet.)"""
    with page.expect_navigation(wait_until="load"):
        locator.click()


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form; ends on the page the form leads to."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


def open_menu(page) -> None:
    """On a narrow screen the navigation sits behind the menu toggle: open it."""
    toggle = page.locator("label.nav-toggle-label")
    if toggle.is_visible() and not page.locator("#nav-toggle").is_checked():
        toggle.click()


def assert_no_horizontal_overflow(page) -> None:
    """The page fits the viewport's width: no sideways scrolling on a tablet or a phone."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, (
        f"{page.url} overflows horizontally: scrollWidth {scroll_width} > innerWidth {inner_width}")


ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots and other files a person looks at after a run; CI prints where they are.
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", ROOT / "artifacts"))


def artifact_path(*parts: str) -> Path:
    """A path under the artifacts folder (``ARTIFACTS_DIR``, default ``artifacts/``), its folder
    created."""
    path = ARTIFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def assert_accessible(page, impacts=("critical", "serious")) -> None:
    """Run axe-core (npm package ``axe-core``, installed by ``npm ci``) on the page as it is now;
    fail on any violation of the given impacts, naming the rule and the elements."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` first (see the README)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Run through the DevTools protocol: an injected <script> tag would be inline script,
        # which the Content-Security-Policy (rightly) blocks.
        page.evaluate(AXE_SCRIPT.read_text() + "\n;undefined")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"] if v["impact"] in impacts
    ]
    assert not bad, f"axe-core violations on {page.url}:\n" + "\n".join(bad)
