"""Helpers of the handout screen's browser tests: a site with stock and a staff member, the
page opened and ready, and the server's view of what arrived."""
import time
from types import SimpleNamespace

from sqlalchemy import func, select

from inventory.encounters.models import Encounter
from inventory.extensions import db
from tests import factories
from tests.api_helpers import receipt_body, receipt_line
from tests.browser.conftest import sign_in

SITE = "VAN1"
OTHER_SITE = "VAN2"


def stock_site(code: str, items=("SYR-1ML-28G", "COOKER", "COTTON", "TOURNIQUET")) -> None:
    """Site ``code`` with 500 of each of ``items`` received (lot LOT-1), written through the
    receipt service as an admin would."""
    from inventory.stock.schemas import ReceiptArgs
    from inventory.stock.services import receive_stock

    factories.make_site(code)
    coordinator = factories.make_user(role="coordinator")
    db.session.flush()
    body = receipt_body(code, [receipt_line(item, 500) for item in items])
    receive_stock(coordinator, ReceiptArgs().load(body))
    db.session.commit()


def open_screen(page, base_url: str, site: str = SITE) -> None:
    """Go to the handout screen of ``site`` and wait until its script has drawn the kits."""
    page.goto(f"{base_url}/sites/{site}/handout")
    page.wait_for_selector("body[data-handout-ready=true]")


def wait_for_worker(page, timeout: float = 10) -> None:
    """Wait until the service worker controls the page and keeps this page and /handout."""
    page.wait_for_function("() => !!navigator.serviceWorker.controller", polling=100)
    deadline = time.monotonic() + timeout
    kept = "async () => !!(await caches.match(location.pathname)) && !!(await caches.match('/handout'))"
    while not page.evaluate(kept):
        assert time.monotonic() < deadline, "the service worker did not keep the page"
        page.wait_for_timeout(100)


def badge(page) -> str:
    return page.get_by_role("status").filter(has_text="synced").inner_text()


def _summed(pairs) -> dict[str, int]:
    total: dict[str, int] = {}
    for code, quantity in pairs:  # an item taken from two lots has two lines
        total[code] = total.get(code, 0) + quantity
    return total


def encounters(site: str | None = None) -> list[SimpleNamespace]:
    """Encounters on the server, oldest first, as plain records: a fresh read (the server
    commits in another thread), and the transaction is ended at once (under SQLite the test's
    session begins with the write lock, which would block the server)."""
    from inventory.catalog.models import Site

    db.session.rollback()
    stmt = select(Encounter).order_by(Encounter.id)
    if site:
        stmt = stmt.join(Site, Site.id == Encounter.site_id).where(Site.code == site)
    found = [SimpleNamespace(
        id=e.id, items={line.item.code: line.quantity for line in e.items},
        participant_id=e.participant_id, occurred_at=e.occurred_at, voided_at=e.voided_at, void_reason=e.void_reason,
        user_id=e.stock_event.user_id,
        ledger=_summed((line.item.code, line.quantity) for line in e.stock_event.lines),
    ) for e in db.session.scalars(stmt)]
    db.session.rollback()
    return found


def encounter_count() -> int:
    db.session.rollback()
    count = db.session.scalar(select(func.count()).select_from(Encounter))
    db.session.rollback()
    return count


def outbox_dump(page) -> list[dict]:
    """Every record in the page's IndexedDB outbox."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open("outreach-handouts");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const db = open.result;
            const all = db.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => { resolve(all.result); db.close(); };
            all.onerror = () => reject(all.error);
        };
    })""")


def staff_signed_in(page, base_url, make_login_user, sites=(SITE,), email=None) -> str:
    make_login_user("admin")  # setup is over
    email = make_login_user("staff", sites=[factories.make_site(code) for code in sites],
                            email=email)
    sign_in(page, base_url, email)
    return email


def wait_for_encounters(count: int, timeout: float = 10) -> None:
    """Wait until the server holds ``count`` encounters (the page sends in the background)."""
    deadline = time.monotonic() + timeout
    while encounter_count() != count:
        assert time.monotonic() < deadline, f"{encounter_count()} encounters, not {count}"
        time.sleep(0.05)
