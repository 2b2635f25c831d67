"""API v1: stock on hand, receipts, adjustments and disposals."""
from flask_login import current_user
from flask_smorest import Blueprint

from inventory.api import created_or_replayed
from inventory.auth.permissions import ALL_ROLES, WRITERS, require_roles
from inventory.stock import services
from inventory.stock.queries import stock_rows
from inventory.stock.schemas import (
    AdjustmentArgs, DisposalArgs, ReceiptArgs, StockEventSchema, StockFilterArgs, StockRowSchema,
)

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Stock and its movements")


@blp.route("/stock")
@require_roles(*ALL_ROLES)
@blp.arguments(StockFilterArgs(), location="query")
@blp.response(200, StockRowSchema(many=True))
def list_stock(args):
    """On hand per site, item and lot (``lot`` null: stock not tied to a known lot)."""
    return stock_rows(current_user, args.get("site"), args.get("item"), args["include_zero"])


@blp.route("/receipts", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(ReceiptArgs())
@blp.response(201, StockEventSchema)
@blp.alt_response(200, schema=StockEventSchema, description="Replay of a known client_id")
def create_receipt(data):
    """Receive stock, in units or cases, with lots and expiry. Idempotent on client_id."""
    return created_or_replayed(services.receive_stock(current_user, data))


@blp.route("/adjustments", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(AdjustmentArgs())
@blp.response(201, StockEventSchema)
@blp.alt_response(200, schema=StockEventSchema, description="Replay of a known client_id")
def create_adjustment(data):
    """Signed corrections with a reason; never below zero. Idempotent on client_id."""
    return created_or_replayed(services.adjust_stock(current_user, data))


@blp.route("/disposals", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(DisposalArgs())
@blp.response(201, StockEventSchema)
@blp.alt_response(200, schema=StockEventSchema, description="Replay of a known client_id")
def create_disposal(data):
    """Throw out expired or damaged stock (positive quantities). Idempotent on client_id."""
    return created_or_replayed(services.dispose_stock(current_user, data))
