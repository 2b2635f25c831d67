"""The handout screen offline: the outbox in IndexedDB, the service worker's shell, sync from
the page (lost answers, 401, conflicts), and shared tablets after an idle sign-out."""
import json
import time
from types import SimpleNamespace

import pytest
from flask import request, request_started

from inventory.auth import sessions
from inventory.extensions import db
from tests.browser.conftest import CHROMIUM, TABLET, sign_in
from tests.browser.handout_helpers import (OTHER_SITE, SITE, badge, encounter_count, encounters,
                                           open_screen, outbox_dump, staff_signed_in,
                                           stock_site, wait_for_encounters, wait_for_worker)

pytestmark = pytest.mark.browser
CODE = "QX0790B"


def _context_page(browser, **options):
    context = browser.new_context(viewport=TABLET, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


@pytest.fixture
def tablet(browser):
    """A tablet-sized page whose service worker may run."""
    context, page, errors = _context_page(browser)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def routed_tablet(browser):
    """A tablet-sized page with service workers blocked, so that page.route sees every request
    (Playwright does not route what a service worker fetches)."""
    context, page, errors = _context_page(browser, service_workers="block")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _save_naloxone_kit(page, code: str | None = None) -> None:
    page.get_by_role("button", name="Naloxone kit").click()
    if code:
        page.get_by_text("Participant code (optional)").click()
        page.get_by_label("Participant code", exact=True).fill(code)
    page.get_by_role("button", name="Save handout", exact=True).click()
    page.get_by_role("status").filter(has_text="Queued").wait_for()


def _wait_badge(page, text: str) -> None:
    page.get_by_role("status").filter(has_text=text).wait_for()


def test_offline_handouts_survive_a_reload_and_sync_once_online(tablet, live_url, app,
                                                                 make_login_user):
    live_app = app
    page = tablet
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    wait_for_worker(page)
    page.context.set_offline(True)
    _wait_badge(page, "Offline")
    _save_naloxone_kit(page, code=CODE)
    _save_naloxone_kit(page)
    _save_naloxone_kit(page)
    _wait_badge(page, "3 unsynced")
    assert CODE in json.dumps(outbox_dump(page))  # kept on the device until confirmed

    with page.expect_download() as download:
        page.get_by_role("button", name="Export pending").click()
    exported = json.loads(download.value.path().read_text())
    assert len(exported["records"]) == 3
    assert CODE not in json.dumps(exported)  # a file leaves the app: no participant code
    assert {r["body"]["site"] for r in exported["records"]} == {SITE}

    served: list[str] = []
    record = lambda sender, **extra: served.append(request.path)
    request_started.connect(record, live_app)
    try:
        page.reload()  # no network: the service worker's shell opens the screen
        page.wait_for_selector("body[data-handout-ready=true]")
    finally:
        request_started.disconnect(record, live_app)
    assert served == []  # the page, the catalogue and the kits all came from the worker's cache
    page.goto(f"{live_url}/handout")  # the installed app's start page opens the last site
    page.wait_for_url(f"{live_url}/sites/{SITE}/handout")
    page.wait_for_selector("body[data-handout-ready=true]")
    _wait_badge(page, "3 unsynced")
    assert page.get_by_role("button", name="Naloxone kit").is_visible()
    assert encounter_count() == 0

    page.context.set_offline(False)  # the "online" event starts the sync
    _wait_badge(page, "All synced")
    saved = encounters(SITE)
    assert len(saved) == 3
    assert sum(e.participant_id is not None for e in saved) == 1
    db.session.rollback()
    stored = page.evaluate("JSON.stringify({...localStorage})") + json.dumps(outbox_dump(page))
    assert outbox_dump(page) == [] and CODE not in stored


def test_worker_never_answers_other_api_calls_or_posts(tablet, live_url, make_login_user):
    page = tablet
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    wait_for_worker(page)
    _save_naloxone_kit(page)
    wait_for_encounters(1)
    _wait_badge(page, "All synced")
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls.map((url) => new URL(url).pathname);
    }""")
    assert "/api/v1/items" in kept and "/api/v1/kits" in kept
    assert f"/sites/{SITE}/handout" in kept
    assert not [p for p in kept if p.startswith("/api/") and p not in ("/api/v1/items",
                                                                       "/api/v1/kits")]
    # The answer to the page's own API calls came from the network, not from the worker.
    from_worker = page.evaluate("""() => performance.getEntriesByType("resource")
        .filter((e) => e.name.includes("/api/v1/encounters"))
        .map((e) => e.workerStart > 0 && e.transferSize === 0)""")
    assert from_worker and not any(from_worker)


def test_lost_answer_is_retried_without_a_second_encounter(routed_tablet, live_url,
                                                          make_login_user):
    page = routed_tablet
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    answers: list[int] = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        if not answers:
            answers.append(route.fetch().status)  # the server commits the handout...
            return route.abort()                  # ...and the tablet never hears back
        response = route.fetch()
        answers.append(response.status)
        return route.fulfill(response=response)

    page.route("**/api/v1/encounters", lose_the_first_answer)
    _save_naloxone_kit(page)
    page.wait_for_function("() => document.querySelector('#sync-badge').textContent.includes('1 unsynced')")
    deadline = time.monotonic() + 10  # retried after a backoff of 1 to 2 seconds
    while len(answers) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    _wait_badge(page, "All synced")
    assert answers == [201, 200]    # the retry is a replay of the same client_id
    assert len(encounters(SITE)) == 1
    db.session.rollback()


def test_401_mid_queue_stops_the_run_keeps_the_queue_and_completes_after_sign_in(
        routed_tablet, live_url, make_login_user):
    page = routed_tablet
    stock_site(SITE)
    email = staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    page.context.set_offline(True)
    for _ in range(3):
        _save_naloxone_kit(page)
    _wait_badge(page, "3 unsynced")
    posts: list[int] = []

    def session_ends_after_the_first(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(1)
        if len(posts) == 2:  # the session is gone from here on (as after a sign-out)
            page.context.clear_cookies()
            headers = {k: v for k, v in route.request.headers.items() if k.lower() != "cookie"}
            return route.continue_(headers=headers)
        return route.continue_()

    page.route("**/api/v1/encounters", session_ends_after_the_first)
    page.context.set_offline(False)
    _wait_badge(page, "2 unsynced")
    prompt = page.get_by_role("link", name="Sign in again")
    prompt.wait_for()
    time.sleep(0.5)
    assert len(posts) == 2  # the run stopped at the 401: the third was not tried
    assert encounter_count() == 1
    assert len(outbox_dump(page)) == 2

    page.unroute("**/api/v1/encounters")
    prompt.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_url}/sites/{SITE}/handout")
    wait_for_encounters(3)
    _wait_badge(page, "All synced")


def test_idle_sign_out_keeps_the_outbox_and_the_next_person_syncs_it(
        routed_tablet, live_url, make_login_user, monkeypatch):
    page = routed_tablet
    stock_site(SITE)
    stock_site(OTHER_SITE)
    staff_signed_in(page, live_url, make_login_user, sites=(SITE, OTHER_SITE))
    no_network = lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    page.route("**/api/v1/encounters", no_network)
    open_screen(page, live_url, OTHER_SITE)
    _save_naloxone_kit(page)
    open_screen(page, live_url, SITE)
    _save_naloxone_kit(page)
    _save_naloxone_kit(page)
    _wait_badge(page, "3 unsynced")

    # An hour later: the server's idle sign-out has ended the session.
    real_time = time.time
    monkeypatch.setattr(sessions, "time", SimpleNamespace(time=lambda: real_time() + 3600))
    page.unroute("**/api/v1/encounters")
    page.get_by_role("button", name="Sync now").click()  # the API answers 401: signed out
    page.get_by_role("link", name="Sign in again").wait_for()
    _wait_badge(page, "3 unsynced")
    page.reload()
    assert page.url.startswith(f"{live_url}/login")
    assert len(outbox_dump(page)) == 3  # the outbox outlives the session
    monkeypatch.undo()

    # The next person, assigned to the first site only, signs in on the same tablet.
    colleague = make_login_user("staff", sites=[])
    from tests import factories
    from inventory.auth.models import User
    from sqlalchemy import select
    user = db.session.scalar(select(User).where(User.email == colleague))
    user.sites = [factories.make_site(SITE)]
    db.session.commit()
    sign_in(page, live_url, colleague)
    open_screen(page, live_url, SITE)
    _wait_badge(page, "1 unsynced")
    conflict = page.locator("#conflict-list li")
    conflict.wait_for()
    assert OTHER_SITE in conflict.inner_text() and "not assigned" in conflict.inner_text()
    saved = encounters(SITE)
    assert len(saved) == 2 and {e.user_id for e in saved} == {user.id}
    assert encounters(OTHER_SITE) == []
    db.session.rollback()


def test_refused_handouts_become_conflicts_and_the_rest_go_on(routed_tablet, live_url,
                                                              make_login_user):
    page = routed_tablet
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    page.context.set_offline(True)
    for _ in range(4):
        _save_naloxone_kit(page)
    _wait_badge(page, "4 unsynced")
    # Spoil two of them as a buggy or tampered device might: a quantity over the API's limit
    # (422), and the client_id of another handout with a different body (409).
    page.evaluate("""async () => {
        const outbox = await import("/static/js/handout/outbox.js");
        const [first, second, third] = await outbox.all();
        second.body.items[0].quantity = 100001;
        await outbox.put(second);
        third.body.client_id = first.client_id;
        await outbox.put(third);
    }""")
    page.context.set_offline(False)
    wait_for_encounters(2)
    _wait_badge(page, "2 unsynced")
    rows = page.locator("#conflict-list li")
    page.wait_for_function("() => document.querySelectorAll('#conflict-list li').length === 2")
    texts = sorted(rows.all_inner_texts(), key=lambda text: "items.0.quantity" in text)
    assert "already used for a different record" in texts[0]           # the 409
    assert "items.0.quantity" in texts[1] and "100000" in texts[1]     # the 422, with its field
    rows.first.get_by_role("button", name="Discard").click()
    _wait_badge(page, "1 unsynced")
    assert len(outbox_dump(page)) == 1 and encounter_count() == 2


def test_a_handout_saved_offline_yesterday_counts_yesterday(tablet, live_url, make_login_user):
    from datetime import UTC, datetime, timedelta

    page = tablet
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    page.clock.set_system_time(yesterday)  # the tablet's clock on the evening of the shift
    open_screen(page, live_url)
    page.context.set_offline(True)
    _save_naloxone_kit(page)
    _wait_badge(page, "1 unsynced")
    page.clock.set_system_time(datetime.now(UTC))  # the next morning, back in signal
    page.context.set_offline(False)
    wait_for_encounters(1)
    [saved] = encounters(SITE)
    assert abs(saved.occurred_at.replace(tzinfo=UTC) - yesterday) < timedelta(minutes=1)
