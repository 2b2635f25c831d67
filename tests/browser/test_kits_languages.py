"""Kit admin pages and the language switch in a real browser (issue 11, points 1 and 5): an
admin creates, reorders and hides kits; a Spanish browser gets Spanish pages, the switch
changes and remembers the language; every page passes axe-core at tablet and phone sizes and
its controls are at least 48×48 CSS px."""
import pytest
from sqlalchemy import select

from inventory.extensions import db
from inventory.kits.models import Kit
from tests.browser.conftest import (assert_accessible, assert_no_horizontal_overflow,
                                    artifact_path, follow, open_menu, sign_in)
from tests.factories import make_site

pytestmark = pytest.mark.browser


def _size_name(page) -> str:
    return "tablet" if page.viewport_size["width"] >= 700 else "phone"


def assert_targets_at_least_48(page, selector: str) -> None:
    """Every visible match is at least 48×48 CSS px (a checkbox: the label wrapped round it,
    which is what a finger taps)."""
    small = page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter((el) => el.offsetParent !== null)
        .map((el) => [el.outerHTML.slice(0, 80),
                      (el.type === "checkbox" && el.closest("label") || el).getBoundingClientRect()])
        .filter(([, r]) => r.width < 48 || r.height < 48)
        .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
                          selector)
    assert not small, f"targets under 48x48 on {page.url}: {small}"


def _check_page(page, name: str) -> None:
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    assert_targets_at_least_48(page, "main .button, main button, main input:not([type=hidden]),"
                                     " main select, .languages a")
    page.screenshot(path=str(artifact_path("kits", f"{name}-{_size_name(page)}.png")),
                    full_page=True)


def test_admin_creates_reorders_and_hides_kits(page, live_url, make_login_user):
    sign_in(page, live_url, make_login_user("admin"))
    open_menu(page)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Kits",
                                                                          exact=True))
    assert page.url == f"{live_url}/admin/kits"
    rows = page.get_by_role("row")
    assert "Injection kit" in rows.nth(1).inner_text()
    assert "10 × Cooker" in rows.nth(1).inner_text()
    _check_page(page, "kits-list")

    follow(page, page.get_by_role("link", name="New kit"))
    page.get_by_label("Code").fill("WOUND")
    follow(page, page.get_by_role("button", name="Create kit"))
    # No name: the form comes back with the message on that field.
    assert page.locator(".field.has-error").filter(has=page.get_by_label("Name")).count() == 1
    _check_page(page, "kit-form-errors")
    page.get_by_label("Name").fill("Wound care pack")
    page.get_by_label("Wound care kit").fill("1")
    page.get_by_label("Alcohol pad").fill("4")
    follow(page, page.get_by_role("button", name="Create kit"))
    assert page.url == f"{live_url}/admin/kits"
    assert page.get_by_text("Kit WOUND created.").is_visible()
    assert "Wound care pack" in page.get_by_role("row").last.inner_text()

    follow(page, page.get_by_role("button", name="Move Wound care pack up"))
    assert "Wound care pack" in page.get_by_role("row").nth(4).inner_text()
    follow(page, page.get_by_role("button", name="Hide Injection kit"))
    assert page.get_by_text("Kit INJECTION is hidden from the handout screen.").is_visible()
    assert page.get_by_role("button", name="Show Injection kit").is_visible()
    _check_page(page, "kits-list-changed")

    kits = {k.code: k for k in db.session.scalars(select(Kit))}
    assert kits["INJECTION"].active is False
    assert [(line.item.code, line.quantity) for line in kits["WOUND"].items] == [
        ("ALCOHOL-PAD", 4), ("WOUND-KIT", 1)]
    order = [k.code for k in sorted(kits.values(), key=lambda k: k.display_order)]
    assert order.index("WOUND") == 3
    db.session.rollback()


def test_spanish_browser_gets_spanish_pages_and_the_switch_is_remembered(
        browser, viewport, live_url, make_login_user):
    site = make_site("DT", name="Downtown")
    db.session.commit()
    email = make_login_user("staff", sites=[site])
    make_login_user("admin")  # setup is done: no first-run redirect
    context = browser.new_context(viewport=viewport, locale="es-ES")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{live_url}/login")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_role("heading", name="Iniciar sesión").is_visible()
        _check_page(page, "login-es")

        # Switch to English: remembered on the device, whatever the browser says.
        follow(page, page.get_by_role("navigation", name="Idioma").get_by_role(
            "link", name="English"))
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(f"{live_url}/login")
        assert page.get_by_role("heading", name="Sign in").is_visible()
        sign_in(page, live_url, email)
        assert page.get_by_role("heading", name="Your sites").is_visible()

        follow(page, page.get_by_role("navigation", name="Language").get_by_role(
            "link", name="Español"))
        assert page.url == f"{live_url}/"
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_role("heading", name="Sus sitios").is_visible()
        current = page.locator('.languages a[aria-current="true"]')
        assert current.inner_text() == "Español"
        _check_page(page, "home-es")

        follow(page, page.get_by_role("link", name="Existencias"))
        assert page.get_by_role("heading", name="Existencias: Downtown").is_visible()
        _check_page(page, "stock-es")
        page.goto(f"{live_url}/account/tokens")
        assert page.get_by_role("heading", name="Sus tokens de la API").is_visible()
        _check_page(page, "tokens-es")
    finally:
        context.close()
