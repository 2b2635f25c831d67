"""API v1: transfers between sites."""
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select

from inventory.api import created_or_replayed
from inventory.auth.permissions import ALL_ROLES, WRITERS, require_roles
from inventory.extensions import db
from inventory.transfers import services
from inventory.transfers.schemas import (TransferArgs, TransferCancelArgs, TransferFilterArgs,
                                         TransferReceiveArgs, TransferSchema)

blp = Blueprint("transfers", __name__, url_prefix="/api/v1",
                description="Transfers between sites")


@blp.route("/transfers", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(TransferArgs())
@blp.response(201, TransferSchema)
@blp.alt_response(200, schema=TransferSchema, description="Replay of a known client_id")
def create_transfer(data):
    """Ship stock: it leaves the source at once (first-expired-first-out unless lots are
    named); 422 "Insufficient stock" when the source holds too little. Idempotent on
    client_id."""
    return created_or_replayed(services.create_transfer(current_user, data))


@blp.route("/transfers")
@require_roles(*ALL_ROLES)
@blp.arguments(TransferFilterArgs(), location="query")
@blp.response(200, TransferSchema(many=True))
@blp.paginate()
def list_transfers(args, pagination_parameters):
    """Transfers newest first, by ``status`` and by ``site`` at either end, paginated."""
    stmt = services.transfers_query(current_user, args.get("status"), args.get("site"))
    pagination_parameters.item_count = db.session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = stmt.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
    return db.session.scalars(page).unique().all()


@blp.route("/transfers/<int:transfer_id>")
@require_roles(*ALL_ROLES)
@blp.response(200, TransferSchema)
def get_transfer(transfer_id):
    """One transfer (staff: one of its ends is their site)."""
    return services.get_transfer(current_user, transfer_id)


@blp.route("/transfers/<int:transfer_id>/receive", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(TransferReceiveArgs())
@blp.response(201, TransferSchema)
@blp.alt_response(200, schema=TransferSchema, description="Replay of a known client_id")
def receive_transfer(data, transfer_id):
    """Record what arrived (staff: at their site); ``close`` with ``shortfall_reason`` writes
    off the rest. Status becomes ``received`` or ``closed``. Idempotent on client_id."""
    return created_or_replayed(services.receive_transfer(current_user, transfer_id, data))


@blp.route("/transfers/<int:transfer_id>/cancel", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(TransferCancelArgs())
@blp.response(200, TransferSchema)
def cancel_transfer(data, transfer_id):
    """Cancel while nothing was received: the stock returns to the source; 409 after."""
    transfer = services.cancel_transfer(current_user, transfer_id)
    db.session.commit()
    return transfer
