"""The handout screen in Chromium: kits in two taps, the steppers, Today at this site with Void,
every control big enough, and screenshots at tablet and phone sizes."""
import pytest
from sqlalchemy import select

from inventory.extensions import db
from inventory.kits.models import Kit
from tests import factories
from tests.browser.conftest import (artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, checked_page, follow)
from tests.browser.handout_helpers import (SITE, badge, encounters, open_screen, staff_signed_in,
                                           stock_site, wait_for_encounters)

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
    wait_for_encounters(1)
    page.get_by_role("status").filter(has_text="All synced").wait_for()
    [encounter] = encounters(SITE)
    assert encounter.items == kit
    # The ledger takes the kit's items out of the site's stock.
    assert encounter.ledger == {code: -quantity for code, quantity in kit.items()}
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
    with checked_page(browser, viewport, locale="es-ES") as page:
        yield page


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
    wait_for_encounters(1)
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


def test_today_totals_and_void_with_a_reason_and_the_code_builder(page, live_url,
                                                                  make_login_user, viewport):
    csp_violations: list[str] = []
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    # First handout: a kit plus one more cooker, with a code built from the recipe's prompts.
    page.get_by_role("button", name="Injection kit").click()
    page.get_by_role("button", name="Add one Cooker").click()
    page.get_by_text("Participant code (optional)").click()
    for prompt, answer in (("mother's first name", "ma"), ("Birth month", "06"),
                           ("birth year", "79"), ("own last name", "b")):
        page.get_by_label(prompt).fill(answer)
    assert page.get_by_label("Participant code", exact=True).input_value() == "MA0679B"
    page.get_by_role("button", name="Save handout", exact=True).click()
    wait_for_encounters(1)
    assert page.get_by_label("Participant code", exact=True).input_value() == ""  # next person
    page.get_by_role("button", name="Naloxone kit").click()
    page.get_by_role("button", name="Save handout", exact=True).click()
    summary = page.locator("#today-summary")
    page.wait_for_function("() => document.querySelector('#today-summary').textContent.endsWith(': 2')")
    totals = dict(row.locator("td").all_inner_texts()
                  for row in page.locator("#today-totals tbody tr").all())
    # Injection kit 10/10/10/1, one cooker more, and one naloxone spray.
    assert totals["Cooker"] == "11" and totals["Tourniquet"] == "1"
    assert totals["Naloxone nasal spray 4 mg twin pack"] == "1"
    assert len(encounters(SITE)) == 2 and encounters(SITE)[0].participant_id is not None
    db.session.rollback()

    # The last handout is undone right there: Void, and a reason is required.
    newest = page.locator("#today-recent li").first
    assert "Naloxone" in newest.inner_text()
    newest.get_by_role("button", name="Void handout of").click()
    newest.get_by_role("button", name="Void handout", exact=True).click()
    assert newest.get_by_role("alert").inner_text() == "Reason is required."
    assert not any(e.voided_at for e in encounters(SITE))
    newest.get_by_label("Reason").fill("entered twice")
    newest.get_by_role("button", name="Void handout", exact=True).click()
    page.wait_for_function("() => document.querySelector('#today-summary').textContent.endsWith(': 1')")
    assert "entered twice" in page.locator("#today-recent li").first.inner_text()
    voided = [e for e in encounters(SITE) if e.voided_at]
    assert len(voided) == 1 and voided[0].void_reason == "entered twice"
    db.session.rollback()
    assert "Naloxone nasal spray 4 mg twin pack" not in page.locator("#today-totals").inner_text()
    assert summary.is_visible()
    assert not csp_violations, csp_violations


def test_handout_opens_the_devices_last_site(page, live_url, make_login_user, viewport):
    stock_site(SITE)
    stock_site("VAN3")
    staff_signed_in(page, live_url, make_login_user, sites=(SITE, "VAN3"))
    page.goto(f"{live_url}/handout")  # first time on this device: the site picker
    assert page.get_by_role("link", name="VAN3").is_visible()
    assert not _small_targets(page), _small_targets(page)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="VAN3").click()
    page.wait_for_selector("body[data-handout-ready=true]")
    page.goto(f"{live_url}/")
    follow(page, page.get_by_role("link", name="Log handouts").first)
    assert page.url == f"{live_url}/sites/{SITE}/handout"  # the staff home links to the screen
    page.goto(f"{live_url}/handout")
    page.wait_for_url(f"{live_url}/sites/{SITE}/handout")  # the last one used
