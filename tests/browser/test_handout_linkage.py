"""Issue 15 on the handout screen in Chromium: on-site services (chips) and linkage fields on a
handout, and the point-in-time survey during a survey window - online and offline (queued in
the outbox, kept over a reload, sent once back online) - with every control big enough and the
screen passing axe at tablet and phone sizes."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from inventory.catalog.models import Site
from inventory.encounters.models import Encounter
from inventory.extensions import db
from inventory.settings.services import local_today
from inventory.survey.models import SurveyResponse, SurveyWindow
from tests.browser.conftest import (TABLET, artifact_path, assert_accessible,
                                    assert_no_horizontal_overflow, checked_page)
from tests.browser.handout_helpers import (SITE, open_screen, outbox_dump, staff_signed_in,
                                           stock_site, wait_for_encounters, wait_for_worker)
from tests.browser.test_handout_screen import _small_targets

pytestmark = pytest.mark.browser


def _open_window(site_code: str = SITE) -> None:
    today = local_today()
    site = db.session.scalar(select(Site).where(Site.code == site_code))
    db.session.add(SurveyWindow(first_day=today - timedelta(days=1),
                                last_day=today + timedelta(days=2), sites=[site]))
    db.session.commit()


def _stored():
    """The server's encounters (services, linkage) and survey responses, read fresh."""
    db.session.rollback()
    found = SimpleNamespace(
        encounters=[SimpleNamespace(
            services=[s.service_code for s in e.services],
            secondary=e.secondary_syringes, treatment=e.entered_treatment_reported,
            weight=None if e.returns_weight_lb is None else float(e.returns_weight_lb),
            program=e.reversals_with_program_naloxone, reversals=e.reversals_reported)
            for e in db.session.scalars(select(Encounter).order_by(Encounter.id))],
        responses=[SimpleNamespace(own=r.own_overdoses_3m, witnessed=r.reversals_witnessed,
                                   age=r.age_range, gender=r.gender, race=r.race_ethnicity,
                                   date=r.response_date)
                   for r in db.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id))])
    db.session.rollback()
    return found


def _wait_responses(count: int, page) -> None:
    for _ in range(200):
        db.session.rollback()
        if db.session.scalar(select(func.count()).select_from(SurveyResponse)) == count:
            db.session.rollback()
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"not {count} survey responses")


def _fill_handout(page) -> None:
    page.get_by_role("button", name="Injection kit").click()  # 10 syringes
    page.get_by_role("button", name="HIV test").click()
    page.get_by_role("button", name="Vaccination").click()
    page.get_by_role("button", name="Add one Entered treatment since last visit").click()
    page.get_by_role("textbox", name="Syringes meant for others (secondary exchange)").fill("4")
    page.get_by_role("button", name="Add one Overdose reversals reported").click()
    page.get_by_role("button", name="Add one Reversals with our naloxone").click()
    page.get_by_label("Returns weighed (lb, optional)").fill("1.5")
    assert page.get_by_role("button", name="HIV test").get_attribute("aria-pressed") == "true"


def _fill_survey(page) -> None:
    page.get_by_label("Own overdoses in the last 3 months").fill("2")
    survey = page.locator("#survey")
    survey.get_by_label("Age range").select_option("25_29")
    survey.get_by_label("Gender").select_option("nonbinary")
    page.get_by_role("button", name="Save survey answers").click()
    page.get_by_role("status").filter(has_text="Survey answers queued").wait_for()


def _expected(stored) -> None:
    [encounter] = stored.encounters
    assert encounter.services == ["hiv_test", "vaccination"]
    assert (encounter.secondary, encounter.treatment, encounter.weight, encounter.program,
            encounter.reversals) == (4, 1, 1.5, 1, 1)
    [response] = stored.responses
    assert (response.own, response.witnessed, response.age, response.gender, response.race,
            response.date) == (2, None, "25_29", "nonbinary", None, local_today())


def test_services_and_survey_online(page, live_url, make_login_user, viewport):
    stock_site(SITE)
    _open_window()
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    _fill_handout(page)
    page.get_by_role("button", name="Save handout", exact=True).click()
    wait_for_encounters(1)
    _fill_survey(page)
    _wait_responses(1, page)
    page.get_by_role("status").filter(has_text="All synced").wait_for()
    _expected(_stored())
    # The form is ready for the next person: chips off, weight empty.
    assert page.get_by_role("button", name="HIV test").get_attribute("aria-pressed") == "false"
    assert page.get_by_label("Returns weighed (lb, optional)").input_value() == ""
    small = _small_targets(page)
    assert not small, "\n".join(small)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.screenshot(path=artifact_path("handout", f"handout-survey-{viewport['width']}.png"),
                    full_page=True)


def test_the_screen_refuses_more_secondary_syringes_than_handed_out(page, live_url,
                                                                   make_login_user, viewport):
    stock_site(SITE)
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    page.get_by_role("button", name="Naloxone kit").click()  # no syringes
    page.get_by_role("textbox", name="Syringes meant for others (secondary exchange)").fill("3")
    page.get_by_role("button", name="Save handout", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text="Syringes meant for others")
    alert.wait_for()
    assert "(0)" in alert.inner_text()
    assert outbox_dump(page) == []
    assert page.locator("#survey-form").count() == 0  # no survey window: no survey
    assert_accessible(page)


@pytest.fixture
def tablet(browser):
    with checked_page(browser, TABLET) as page:
        yield page


def test_services_and_survey_offline_then_synced_once(tablet, live_url, make_login_user):
    page = tablet
    stock_site(SITE)
    _open_window()
    staff_signed_in(page, live_url, make_login_user)
    open_screen(page, live_url)
    wait_for_worker(page)
    page.context.set_offline(True)
    page.get_by_role("status").filter(has_text="Offline").wait_for()
    _fill_handout(page)
    page.get_by_role("button", name="Save handout", exact=True).click()
    _fill_survey(page)
    page.get_by_role("status").filter(has_text="2 unsynced").wait_for()
    kept = outbox_dump(page)
    survey_body = [r["body"] for r in kept if r.get("endpoint") == "/api/v1/survey-responses"]
    assert len(kept) == 2 and len(survey_body) == 1
    # The survey record holds the date and answers only: no time, no code, no handout.
    assert set(survey_body[0]) == {"client_id", "site", "date", "own_overdoses_3m",
                                   "age_range", "gender"}
    page.reload()
    page.wait_for_selector("body[data-handout-ready=true]")
    page.get_by_role("status").filter(has_text="2 unsynced").wait_for()
    assert page.locator("#survey-form").count() == 1  # the kept page still offers the survey
    assert _stored().encounters == [] and _stored().responses == []
    page.context.set_offline(False)
    page.get_by_role("button", name="Sync now").click()
    page.get_by_role("status").filter(has_text="All synced").wait_for()
    wait_for_encounters(1)
    _wait_responses(1, page)
    _expected(_stored())
    assert outbox_dump(page) == []


def test_services_survey_and_sharps_pages_pass_axe(page, live_url, make_login_user, viewport):
    """The admin pages of services and survey windows and the sharps disposal page, with a
    refused form shown again, pass axe at both sizes."""
    from tests.browser.conftest import follow, sign_in

    stock_site(SITE)
    sign_in(page, live_url, make_login_user("admin"))
    width = viewport["width"]
    page.goto(f"{live_url}/admin/services")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="New service"))
    page.get_by_label("Code").fill("Bad Code!")
    page.get_by_label("Name", exact=True).fill("Hepatitis A vaccine")
    follow(page, page.get_by_role("button", name="Create service"))
    assert page.locator(".error").first.is_visible()
    assert_accessible(page)
    page.goto(f"{live_url}/admin/survey")
    page.get_by_role("checkbox", name=SITE).check()
    follow(page, page.get_by_role("button", name="Open survey window"))
    page.get_by_text("Survey window opened.").wait_for()
    follow(page, page.get_by_role("button", name="Open survey window"))  # no site: refused
    assert page.get_by_text("Choose at least one site.").is_visible()
    assert_accessible(page)
    page.screenshot(path=artifact_path("screenshots", f"survey-admin-{width}.png"), full_page=True)
    page.goto(f"{live_url}/sharps")
    page.get_by_label("Sharps containers").fill("0")
    follow(page, page.get_by_role("button", name="Record disposal"))
    assert page.get_by_text("Give the containers or the weight").is_visible()
    page.get_by_label("Weight (lb)").fill("3.5")
    follow(page, page.get_by_role("button", name="Record disposal"))
    page.get_by_text("Sharps disposal recorded.").wait_for()
    assert_accessible(page)
    small = _small_targets(page)
    assert not small, "\n".join(small)
    page.screenshot(path=artifact_path("screenshots", f"sharps-{width}.png"), full_page=True)
