"""API v1: the on-site services list, and used-sharps disposal."""
from flask_login import current_user
from flask_smorest import Blueprint

from inventory.api import created_or_replayed
from inventory.auth.permissions import ALL_ROLES, WRITERS, require_roles
from inventory.onsite import services
from inventory.onsite.schemas import ServiceSchema, SharpsDisposalArgs, SharpsDisposalSchema

blp = Blueprint("onsite", __name__, url_prefix="/api/v1",
                description="On-site services and sharps disposal")


@blp.route("/services")
@require_roles(*ALL_ROLES)
@blp.response(200, ServiceSchema(many=True))
def get_services():
    """Active on-site services in display order (the codes an encounter's `services` takes)."""
    return services.list_services(active_only=True)


@blp.route("/sharps-disposals", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(SharpsDisposalArgs())
@blp.response(201, SharpsDisposalSchema)
@blp.alt_response(200, schema=SharpsDisposalSchema, description="Replay of a known client_id")
def create_disposal(data):
    """Record used sharps sent for destruction from a site (containers, weight in lb, or both).
    Idempotent on client_id (409 if the body differs)."""
    return created_or_replayed(services.record_disposal(current_user, data))


@blp.route("/sharps-disposals")
@require_roles(*WRITERS)
@blp.response(200, SharpsDisposalSchema(many=True))
def list_disposals():
    """The latest 100 disposals at the sites the caller may see, newest first."""
    return services.list_disposals(current_user)
