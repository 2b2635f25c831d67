"""API v1: anonymous handout visits."""
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from inventory.api import created_or_replayed
from inventory.auth.permissions import ENCOUNTER_READERS, WRITERS, require_roles
from inventory.encounters import services
from inventory.encounters.models import Encounter
from inventory.encounters.records import EncounterRecord
from inventory.encounters.schemas import (
    EncounterArgs, EncounterFilterArgs, EncounterSchema, VoidArgs,
)
from inventory.extensions import db

blp = Blueprint("encounters", __name__, url_prefix="/api/v1", description="Handout visits")


@blp.route("/encounters", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(EncounterArgs())
@blp.response(201, EncounterSchema)
@blp.alt_response(200, schema=EncounterSchema, description="Replay of a known client_id")
def create_encounter(data):
    """Record a handout; never blocked by stock. Idempotent on client_id (409 if the body differs)."""
    return created_or_replayed(services.record_encounter(current_user, data))


@blp.route("/encounters")
@require_roles(*ENCOUNTER_READERS)
@blp.arguments(EncounterFilterArgs(), location="query")
@blp.response(200, EncounterSchema(many=True))
@blp.paginate()
def list_encounters(args, pagination_parameters):
    """Encounters newest first, by site and local date range (``from``, ``to``), paginated."""
    stmt = services.encounters_query(current_user, args.get("site"), args.get("date_from"),
                                     args.get("date_to"))
    pagination_parameters.item_count = db.session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    )
    page = stmt.options(selectinload(Encounter.items), selectinload(Encounter.referrals),
                        selectinload(Encounter.services),
                        selectinload(Encounter.stock_event), selectinload(Encounter.site))
    page = page.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
    return [EncounterRecord.of(e) for e in db.session.scalars(page)]


@blp.route("/encounters/<int:encounter_id>")
@require_roles(*ENCOUNTER_READERS)
@blp.response(200, EncounterSchema)
def get_encounter(encounter_id):
    """One encounter (staff: at their sites)."""
    return EncounterRecord.of(services.get_encounter(current_user, encounter_id))


@blp.route("/encounters/<int:encounter_id>/void", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(VoidArgs())
@blp.response(200, EncounterSchema)
def void_encounter(data, encounter_id):
    """Void a handout: a reversing stock event is written; the encounter is kept, marked void."""
    encounter = services.void_encounter(current_user, encounter_id, data["reason"])
    db.session.commit()
    return EncounterRecord.of(encounter)
