"""Pages of the handout screen, and the two files a Progressive Web App needs at the root: the
service worker (``/sw.js``, so its scope is the whole app) and the web app manifest."""
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from inventory.auth.permissions import ADMIN, COORDINATOR, STAFF, require_roles
from inventory.handout import services
from inventory.handout.linkage import linkage_context

bp = Blueprint("handout", __name__)
HANDOUT_ROLES = (STAFF, COORDINATOR, ADMIN)


def _static_folder() -> Path:
    return Path(current_app.static_folder)


def _root_file(path: Path, mimetype: str) -> Response:
    """A small file of static/ served at the root, revalidated on every use (a new worker
    version must reach the tablets at their next visit)."""
    response = Response(path.read_bytes(), mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/handout")
@require_roles(*HANDOUT_ROLES)
def picker():
    """A site picker; the page's script opens the device's last site when it is in the list."""
    return render_template("handout/picker.html", sites=services.handout_sites(current_user))


@bp.route("/sites/<code>/handout")
@require_roles(*HANDOUT_ROLES)
def screen(code: str):
    """The handout screen of one site (404 no such site, 403 staff not assigned to it)."""
    site = services.handout_site(current_user, code)
    return render_template("handout/screen.html", site=site,
                           config=services.screen_config(site),
                           choices=services.screen_choices(),
                           recipe=services.code_recipe(), limits=services.LIMITS,
                           **linkage_context(site))


@bp.route("/sw.js")
def service_worker():
    """The service worker, served from the root so that it may control every page."""
    return _root_file(_static_folder() / "js" / "sw.js", "text/javascript")


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: install the handout screen to the home screen."""
    return _root_file(_static_folder() / "manifest.webmanifest", "application/manifest+json")

