"""The handout screen in Chromium: kits in two taps, the steppers, Today at this site with Void,
every control big enough, and screenshots at tablet and phone sizes."""
import pytest
from sqlalchemy import select

from inventory.extensions import db
from inventory.kits.models import Kit
from inventory.stock.models import StockEvent
from tests import factories
from tests.browser.conftest import (artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, follow)
from tests.browser.handout_helpers import (SITE, badge, encounters, open_screen, staff_signed_in,
                                           stock_site)

pytestmark = pytest.mark.browser


def _kit_lines(code: str) -> dict[str, int]:
    kit = db.session.scalar(select(Kit).where(Kit.code == code))
    lines = {line.item.code: line.quantity for line in kit.items}
    db.session.rollback()
    return lines


def test_kit_and_save_handout_in_two_taps(page, live_url, make_login_user, viewport):
    stock_site(SITE)
    kit = _kit_lines("INJECTION")
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    page.get_by_role("button", name="Injection kit").click()           # tap 1
    page.get_by_role("button", name="Save handout", exact=True).click()  # tap 2
    page.get_by_role("status").filter(has_text="All synced").wait_for()
    [encounter] = encounters(SITE)
    assert {line.item.code: line.quantity for line in encounter.items} == kit
    event = db.session.get(StockEvent, encounter.stock_event_id)
    # The ledger takes the kit's items out of the site's stock: one negative line per item.
    taken = {}
    for line in event.lines:
        taken[line.item.code] = taken.get(line.item.code, 0) - line.quantity
    assert taken == kit
    db.session.rollback()
    assert "1 unsynced" not in badge(page)


# Everything a finger can hit: links, buttons, fields, the collapsed sections' summaries.
INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]"


def _small_targets(page) -> list[str]:
    """Visible interactive elements smaller than 48×48 CSS px (the menu's hidden checkbox aside:
    its label is the target)."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter((el) => el.id !== "nav-toggle")
        .filter((el) => { const r = el.getBoundingClientRect();
                          return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; })
        .filter((el) => { const r = el.getBoundingClientRect(); return r.width < 48 || r.height < 48; })
        .map((el) => { const r = el.getBoundingClientRect();
                       return `${el.tagName} ${el.id || el.className} "${(el.getAttribute("aria-label") || el.textContent).trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`; })""",
        INTERACTIVE)


def test_every_control_is_big_enough_and_the_screen_passes_axe(page, live_url, make_login_user,
                                                                viewport):
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    page.get_by_role("button", name="Naloxone kit").click()
    page.get_by_role("button", name="Save handout", exact=True).click()
    page.get_by_role("button", name="Void handout of").first.wait_for()
    page.get_by_role("button", name="Void handout of").first.click()  # shows the reason field
    for summary in page.locator("summary").all():
        summary.click()  # open the participant code and demographics sections
    assert page.locator("input[inputmode=numeric]").count() >= 4
    small = _small_targets(page)
    assert not small, "\n".join(small)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.screenshot(path=artifact_path("handout", f"handout-en-{viewport['width']}.png"),
                    full_page=True)


@pytest.fixture
def spanish_page(browser, viewport):
    """A page whose browser asks for Spanish first (Accept-Language: es-ES)."""
    context = browser.new_context(viewport=viewport, locale="es-ES")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_the_screen_in_spanish(spanish_page, live_url, make_login_user, viewport):
    page = spanish_page
    stock_site(SITE)
    make_login_user("admin")
    email = make_login_user("staff", sites=[factories.make_site(SITE)])
    page.goto(f"{live_url}/login")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill("correct horse battery")
    follow(page, page.get_by_role("button", name="Iniciar sesión"))
    open_screen(page, live_url)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.get_by_role("heading", name="Hoy en este sitio").is_visible()
    # The script's own words come from the same catalogue: the steppers and the badge.
    assert page.get_by_role("button", name="Añadir un Cooker").count() == 1
    page.get_by_role("button", name="Injection kit").click()
    page.get_by_role("button", name="Guardar entrega", exact=True).click()
    page.get_by_role("status").filter(has_text="Todo sincronizado").wait_for()
    page.get_by_role("button", name="Anular la entrega de las").first.wait_for()
    assert len(encounters(SITE)) == 1
    db.session.rollback()
    for summary in page.locator("summary").all():
        summary.click()
    small = _small_targets(page)
    assert not small, "\n".join(small)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.screenshot(path=artifact_path("handout", f"handout-es-{viewport['width']}.png"),
                    full_page=True)
