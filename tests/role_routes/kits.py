"""Kits, the handout screen's configuration and languages (issue 11, points 1, 2 and 5)."""
from sqlalchemy import select

from inventory.extensions import db
from inventory.kits.models import Kit
from tests.role_table import ADMINS, EVERYONE, FORM_POST_OK, Route, _api


def _kit(world, site):
    return {"kit_id": db.session.scalar(select(Kit.id).order_by(Kit.display_order).limit(1))}


ROUTES = {
    ("/api/v1/kits", "GET"): _api("/api/v1/kits", EVERYONE),
    ("/api/v1/handout-config", "GET"): _api("/api/v1/handout-config", EVERYONE),
    ("/language/<code>", "GET"): Route("/language/es?next=/", EVERYONE, ok=(302,),
                                       anon="public", anon_ok=(302,)),
    ("/i18n/<code>.json", "GET"): Route("/i18n/es.json", EVERYONE, anon="public"),
    ("/admin/kits", "GET"): Route("/admin/kits", ADMINS),
    ("/admin/kits/new", "GET"): Route("/admin/kits/new", ADMINS),
    ("/admin/kits/new", "POST"): Route("/admin/kits/new", ADMINS, ok=FORM_POST_OK,
                                       form={"code": "MATRIX", "name": "Matrix kit",
                                             "display_order": "5"}),
    ("/admin/kits/<int:kit_id>/edit", "GET"): Route("/admin/kits/{kit_id}/edit", ADMINS,
                                                    prepare=_kit),
    ("/admin/kits/<int:kit_id>/edit", "POST"): Route(
        "/admin/kits/{kit_id}/edit", ADMINS, ok=FORM_POST_OK, prepare=_kit,
        form={"code": "INJECTION", "name": "Injection kit", "display_order": "10"}),
    ("/admin/kits/<int:kit_id>/move", "POST"): Route(
        "/admin/kits/{kit_id}/move", ADMINS, ok=(302,), prepare=_kit, form={"direction": "down"}),
    ("/admin/kits/<int:kit_id>/active", "POST"): Route(
        "/admin/kits/{kit_id}/active", ADMINS, ok=(302,), prepare=_kit, form={"active": "1"}),
}
