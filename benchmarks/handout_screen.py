"""The handout screen in Chromium against gunicorn on SQLite: bytes, paint, Save, sync.

Targets (issue 11): the screen and its assets weigh under 150 kB as sent (fonts aside); it
paints in under 1 s cold and 300 ms warm on localhost; Save handout shows "queued" in under
100 ms, online or offline; 500 queued handouts sync in under 10 s.

    python benchmarks/handout_screen.py            # a fresh SQLite database in benchmarks/out/
    python benchmarks/handout_screen.py -n 20      # more repetitions of the paint and Save timings

Paint is the browser's first-contentful-paint of the page (Paint Timing API), cold = a new
browser profile (no HTTP cache, no service worker), warm = the same profile's next visit (HTTP
cache and the service worker's shell). Save is timed in the page, from the click to the status
reading "Queued" (the handout is then in IndexedDB). Sync is timed from going online with 500
handouts in the outbox to the outbox being empty, every one confirmed by the server.
"""
import argparse
import os
import secrets
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Gunicorn, flask_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EMAIL, SITE = "staff@demo.example.org", "DT"
PASSWORD = secrets.token_urlsafe(12)
TARGETS = {"bytes": 150_000, "cold": 1000, "warm": 300, "save": 100, "sync": 10_000}

FCP = """() => new Promise((resolve) => {
    const found = performance.getEntriesByName("first-contentful-paint");
    if (found.length) return resolve(found[0].startTime);
    new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime))
        .observe({type: "paint", buffered: true});
})"""
# Click Save handout (after a kit) and wait for the status to read "Queued".
SAVE = """() => new Promise((resolve) => {
    const status = document.querySelector("#save-status");
    status.textContent = "";
    document.querySelector("button[data-kit]").click();
    const observer = new MutationObserver(() => {
        if (status.dataset.state === "queued" && status.textContent) {
            observer.disconnect();
            resolve(performance.now() - started);
        }
    });
    observer.observe(status, {childList: true, characterData: true, subtree: true});
    const started = performance.now();
    document.querySelector("#save-handout").click();
})"""
FILL_OUTBOX = """async ([count, site]) => {
    const outbox = await import("/static/js/handout/outbox.js");
    for (let i = 0; i < count; i += 1) {
        await outbox.add({client_id: crypto.randomUUID(), site, occurred_at: new Date().toISOString(),
                          encounter_type: "site", items: [{item: "SYR-1ML-28G", quantity: 10}],
                          syringes_returned: 0, returns_estimated: false, secondary_people: 0,
                          naloxone_used: 0, reversals_reported: 0, referrals: []});
    }
    return (await outbox.all()).length;
}"""
OUTBOX_SIZE = """async () => (await (await import("/static/js/handout/outbox.js")).all()).length"""


def prepare(env: dict) -> None:
    db_file = OUT / "handout_screen.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    env["DATABASE_URL"] = f"sqlite:///{db_file}"
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "seed-demo", "--events", "0", "--password", PASSWORD)


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def screen(page, url: str) -> None:
    page.goto(f"{url}/sites/{SITE}/handout")
    page.wait_for_selector("body[data-handout-ready=true]")


def weigh(browser, url: str, state) -> dict[str, int]:
    """Bytes on the wire for one cold visit of the screen, by resource type (CDP)."""
    context = browser.new_context(storage_state=state, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    kinds, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(
        e["requestId"], (e["type"], e["response"]["url"])))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(
        e["requestId"], e["encodedDataLength"]))
    screen(page, url)
    page.wait_for_load_state("networkidle")
    context.close()
    by_type: dict[str, int] = {}
    for request_id, size in sizes.items():
        kind, address = kinds.get(request_id, ("Other", ""))
        if kind == "Font":
            continue  # fonts aside (the screen uses the system's)
        by_type[kind] = by_type.get(kind, 0) + size
    return by_type


def paints(browser, url: str, state, runs: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        context = browser.new_context(storage_state=state)
        page = context.new_page()
        screen(page, url)
        cold.append(page.evaluate(FCP))
        page.wait_for_function("() => !!navigator.serviceWorker.controller")
        screen(page, url)
        warm.append(page.evaluate(FCP))
        context.close()
    return cold, warm


def saves(browser, url: str, state, runs: int) -> tuple[list[float], list[float]]:
    context = browser.new_context(storage_state=state)
    page = context.new_page()
    screen(page, url)
    online = [page.evaluate(SAVE) for _ in range(runs)]
    context.set_offline(True)
    offline = [page.evaluate(SAVE) for _ in range(runs)]
    context.set_offline(False)
    page.wait_for_function("() => document.querySelector('#sync-badge').textContent.includes('All synced')",
                           timeout=60_000)
    context.close()
    return online, offline


def encounter_rows() -> int:
    with sqlite3.connect(OUT / "handout_screen.db") as conn:
        return conn.execute("SELECT count(*) FROM encounter").fetchone()[0]


def sync_500(browser, url: str, state) -> float:
    before = encounter_rows()
    context = browser.new_context(storage_state=state, service_workers="block")
    page = context.new_page()
    screen(page, url)
    context.set_offline(True)
    assert page.evaluate(FILL_OUTBOX, [500, SITE]) == 500
    started = time.perf_counter()
    context.set_offline(False)  # the "online" event starts the sync
    while page.evaluate(OUTBOX_SIZE):
        page.wait_for_timeout(20)
        if time.perf_counter() - started > 120:
            raise SystemExit("500 handouts not synced after 120 s")
    elapsed = (time.perf_counter() - started) * 1000
    context.close()
    if encounter_rows() - before != 500:
        raise SystemExit(f"{encounter_rows() - before} encounters arrived, not 500")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="repetitions of the paint and Save timings")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "SESSION_COOKIE_SECURE": "0",
           "PARTICIPANT_CODE_SECRET": secrets.token_hex(32)}
    prepare(env)
    from playwright.sync_api import sync_playwright

    with Gunicorn("wsgi:app", env, "gthread", 4, "/login") as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, server.url)
        state = context.storage_state()
        context.close()
        by_type = weigh(browser, server.url, state)
        cold, warm = paints(browser, server.url, state, args.n)
        online, offline = saves(browser, server.url, state, args.n)
        sync_ms = sync_500(browser, server.url, state)
        browser.close()

    total = sum(by_type.values())
    rows = [
        ("Screen + assets as sent (bytes)", f"{total:,}", f"< {TARGETS['bytes']:,}", total < TARGETS["bytes"]),
        *[(f"  {kind}", f"{size:,}", "", None) for kind, size in sorted(by_type.items())],
        ("First paint, cold (ms, median)", f"{statistics.median(cold):.0f}", "< 1000",
         statistics.median(cold) < TARGETS["cold"]),
        ("First paint, warm (ms, median)", f"{statistics.median(warm):.0f}", "< 300",
         statistics.median(warm) < TARGETS["warm"]),
        ("Save handout → queued, online (ms, median / max)",
         f"{statistics.median(online):.1f} / {max(online):.1f}", "< 100", max(online) < TARGETS["save"]),
        ("Save handout → queued, offline (ms, median / max)",
         f"{statistics.median(offline):.1f} / {max(offline):.1f}", "< 100", max(offline) < TARGETS["save"]),
        ("500 queued handouts synced (ms)", f"{sync_ms:.0f}", "< 10000", sync_ms < TARGETS["sync"]),
    ]
    print(f"\nHandout screen, gunicorn gthread 2×4 on SQLite, Chromium headless, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, n={args.n}, load {os.getloadavg()[0]:.2f}")
    width = max(len(r[0]) for r in rows)
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:<{width}}  {value:>16}  {target:>10}  {verdict}")
    return 0 if all(r[3] in (None, True) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
