"""API v1: physical counts."""
from flask_login import current_user
from flask_smorest import Blueprint

from inventory.api import created_or_replayed
from inventory.auth.permissions import WRITERS, require_roles
from inventory.counts import services
from inventory.counts.schemas import CountArgs, CountSchema

blp = Blueprint("counts", __name__, url_prefix="/api/v1", description="Physical counts")


@blp.route("/counts", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(CountArgs())
@blp.response(201, CountSchema)
@blp.alt_response(200, schema=CountSchema, description="Replay of a known client_id")
def create_count(data):
    """Record a count (staff: at their sites): one adjustment line per variance against the
    live balance; lines say ``moved_since_start`` where stock moved after ``started_at``.
    Idempotent on client_id."""
    return created_or_replayed(services.record_count(current_user, data))
