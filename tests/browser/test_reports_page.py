"""The reports page on a tablet and a phone: accessible, no sideways scrolling, and the chart's
text at least 12 CSS px on screen (the phone gets the narrow layout, the tablet the wide one)."""
import pytest

from inventory.demo import seed_demo
from inventory.extensions import db
from inventory.reporting import services
from tests.browser.conftest import (PASSWORD, artifact_path, assert_accessible,
                                   assert_no_horizontal_overflow, sign_in)

pytestmark = pytest.mark.browser
MIN_TEXT_PX = 12


@pytest.fixture
def reporter(live_url):
    result = seed_demo(300, seed=3, password=PASSWORD, echo=lambda _message: None)
    db.session.commit()
    quarter = services.recent_quarters(services.settings())[1].code
    db.session.rollback()
    return next(login.email for login in result.logins if login.role == "reporter"), quarter


def test_report_preview_chart_is_readable(page, live_url, reporter, viewport):
    email, quarter = reporter
    sign_in(page, live_url, email)
    page.goto(f"{live_url}/reports/?period=quarter&quarter={quarter}&template=funder")
    assert_no_horizontal_overflow(page)
    phone = viewport["width"] <= 720
    shown = page.locator("svg.chart-narrow" if phone else "svg.chart-wide")
    hidden = page.locator("svg.chart-wide" if phone else "svg.chart-narrow")
    assert shown.is_visible() and not hidden.is_visible()
    # The text's size on screen: its font size in viewBox units times the drawing's scale.
    scale, sizes = shown.evaluate(
        "svg => { const s = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
        " return [s, [...svg.querySelectorAll('text')].map("
        "t => parseFloat(t.getAttribute('font-size')) * s)]; }")
    assert sizes and min(sizes) >= MIN_TEXT_PX, (scale, sizes)
    assert page.get_by_text("hidden to protect privacy").is_visible()
    legend = page.locator(".legend li").first
    assert legend.evaluate("li => parseFloat(getComputedStyle(li).fontSize)") >= 14
    assert_accessible(page)
    name = "phone" if phone else "tablet"
    page.screenshot(path=str(artifact_path("screenshots", f"reports-preview-{name}.png")),
                    full_page=True)
    page.locator("figure.chart").screenshot(
        path=str(artifact_path("screenshots", f"reports-chart-{name}.png")))
