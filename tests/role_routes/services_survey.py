"""On-site services, sharps disposal and the point-in-time survey (issue 15, points 1, 2, 6)."""
import uuid
from datetime import timedelta

from sqlalchemy import select

from inventory.catalog.models import Site
from inventory.extensions import db
from inventory.onsite.models import OnsiteService
from inventory.settings.services import local_today
from inventory.survey.models import SurveyWindow
from tests.role_table import ADMINS, EVERYONE, FORM_POST_OK, WRITERS, Route, _api


def _window(world, site):
    """A survey window open today at both sites (made once)."""
    window = db.session.scalar(select(SurveyWindow).limit(1))
    if window is None:
        today = local_today()
        window = SurveyWindow(first_day=today - timedelta(days=1), last_day=today + timedelta(days=1),
                              sites=list(db.session.scalars(select(Site))))
        db.session.add(window)
        db.session.commit()
    return {"window_id": window.id}


def _service(world, site):
    return {"service_id": db.session.scalar(select(OnsiteService.id).order_by(
        OnsiteService.display_order).limit(1))}


def _response(site):
    return {"client_id": str(uuid.uuid4()), "site": site, "date": local_today().isoformat(),
            "own_overdoses_3m": 0, "age_range": "25_29"}


def _disposal(site):
    return {"client_id": str(uuid.uuid4()), "site": site,
            "disposed_on": local_today().isoformat(), "containers": 2}


ROUTES = {
    ("/api/v1/services", "GET"): _api("/api/v1/services", EVERYONE),
    ("/api/v1/sharps-disposals", "GET"): _api("/api/v1/sharps-disposals", WRITERS),
    ("/api/v1/sharps-disposals", "POST"): _api("/api/v1/sharps-disposals", WRITERS, (201,),
                                               sited=True, body=_disposal),
    ("/api/v1/survey-responses", "POST"): _api("/api/v1/survey-responses", WRITERS, (201,),
                                               sited=True, body=_response, prepare=_window),
    ("/api/v1/survey-window", "GET"): _api("/api/v1/survey-window?site={site}", WRITERS,
                                           sited=True, prepare=_window),
    ("/admin/services", "GET"): Route("/admin/services", ADMINS),
    ("/admin/services/new", "GET"): Route("/admin/services/new", ADMINS),
    ("/admin/services/new", "POST"): Route("/admin/services/new", ADMINS, ok=FORM_POST_OK,
                                           form={"code": "matrix", "name": "Matrix",
                                                 "display_order": "5"}),
    ("/admin/services/<int:service_id>/edit", "GET"): Route(
        "/admin/services/{service_id}/edit", ADMINS, prepare=_service),
    ("/admin/services/<int:service_id>/edit", "POST"): Route(
        "/admin/services/{service_id}/edit", ADMINS, ok=FORM_POST_OK, prepare=_service,
        form={"code": "hiv_test", "name": "HIV test", "display_order": "10", "active": "y"}),
    ("/sharps", "GET"): Route("/sharps", WRITERS),
    ("/sharps", "POST"): Route("/sharps", WRITERS, ok=FORM_POST_OK,
                               form={"site": "RMA", "disposed_on": "2026-01-05",
                                     "containers": "1"}),
    ("/admin/survey", "GET"): Route("/admin/survey", ADMINS),
    ("/admin/survey", "POST"): Route("/admin/survey", ADMINS, ok=FORM_POST_OK,
                                     form={"first_day": "2999-01-01", "last_day": "2999-01-02"}),
    ("/admin/survey/<int:window_id>/close", "POST"): Route(
        "/admin/survey/{window_id}/close", ADMINS, ok=(302,), prepare=_window),
}
