"""API v1: the point-in-time survey (anonymous responses; the open window of a site)."""
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from inventory.api import created_or_replayed
from inventory.auth.permissions import WRITERS, ensure_site_access, require_roles
from inventory.catalog.lookup import site_by_code
from inventory.errors import NotFound
from inventory.settings.services import local_today
from inventory.survey import services
from inventory.survey.schemas import (SurveyResponseArgs, SurveyResponseSchema,
                                      SurveyWindowSchema)

blp = Blueprint("survey", __name__, url_prefix="/api/v1",
                description="Point-in-time survey (anonymous)")


class SiteArgs(Schema):
    site = fields.String(required=True, validate=validate.Length(min=1, max=32))


@blp.route("/survey-responses", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(SurveyResponseArgs())
@blp.response(201, SurveyResponseSchema)
@blp.alt_response(200, schema=SurveyResponseSchema, description="Replay of a known client_id")
def create_response(data):
    """Store one anonymous survey response (no link to a handout, a code, a user or a time of
    day). Idempotent on client_id (409 if the body differs)."""
    return created_or_replayed(services.record_response(current_user, data))


@blp.route("/survey-window")
@require_roles(*WRITERS)
@blp.arguments(SiteArgs(), location="query")
@blp.response(200, SurveyWindowSchema)
def get_window(args):
    """The survey window open today at ``site`` (404 when none)."""
    site = site_by_code(args["site"], active_only=False)
    ensure_site_access(current_user, site)
    window = services.window_for(site.id, local_today())
    if window is None:
        raise NotFound("No survey window is open at this site today.", field="site")
    return window
