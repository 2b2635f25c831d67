"""API v1: stock status, reorder suggestions, policies and reorder requests."""
from flask_login import current_user
from flask_smorest import Blueprint

from inventory.api import created_or_replayed
from inventory.auth.permissions import ADMIN, ALL_ROLES, COORDINATOR, WRITERS, require_roles
from inventory.extensions import db
from inventory.reorder import policies, requests, status
from inventory.reorder.schemas import (
    PolicyArgs, PolicySchema, ReceiveRequestArgs, RequestArgs, RequestFilterArgs, RequestSchema,
    StockCardArgs, StockCardLineSchema, StockStatusArgs, StockStatusSchema, SuggestionArgs,
    SuggestionSchema,
)
from inventory.stock.card import all_card_lines, site_and_item

blp = Blueprint("reorder", __name__, url_prefix="/api/v1",
                description="Stock status and reorder")
PLANNERS = (COORDINATOR, ADMIN)


@blp.route("/stock/status")
@require_roles(*ALL_ROLES)
@blp.arguments(StockStatusArgs(), location="query")
@blp.response(200, StockStatusSchema(many=True))
def stock_status(args):
    """Per site × item: on hand, in transit, AMC, months of stock, status, flags."""
    figures = status.status_figures(current_user, args.get("site"), args.get("status"),
                                    args.get("category"))
    return [f.as_row() for f in figures]


@blp.route("/stock/card")
@require_roles(*WRITERS)
@blp.arguments(StockCardArgs(), location="query")
@blp.response(200, StockCardLineSchema(many=True))
def stock_card(args):
    """Every ledger line of one site × item, oldest first, with the running balance, who
    recorded it and why (the stock card; staff: their sites)."""
    site, item = site_and_item(current_user, args["site"], args["item"])
    return all_card_lines(site, item)


@blp.route("/reorder/suggestions")
@require_roles(*ALL_ROLES)
@blp.arguments(SuggestionArgs(), location="query")
@blp.response(200, SuggestionSchema(many=True))
def reorder_suggestions(args):
    """What to reorder per site × item (only where months of stock is below the minimum)."""
    return [f.as_row() | {"suggested_units": f.suggestion.units,
                          "suggested_packs": f.suggestion.packs}
            for f in status.suggestions(current_user, args.get("site"))]


@blp.route("/reorder/policies", methods=["PUT"])
@require_roles(*PLANNERS)
@blp.arguments(PolicyArgs())
@blp.response(200, PolicySchema)
def put_policy(data):
    """Set an item's min and max months of stock, or a site's override (``site``)."""
    policy = policies.set_policy(current_user, data["item"], data.get("site"),
                                 data["min_months"], data["max_months"])
    db.session.commit()
    return policy


@blp.route("/reorder/requests", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(RequestArgs())
@blp.response(201, RequestSchema)
@blp.alt_response(200, schema=RequestSchema, description="Replay of a known client_id")
def create_request(data):
    """A draft reorder request (lines in packs, or units rounded up to packs)."""
    return created_or_replayed(requests.create_request(current_user, data))


@blp.route("/reorder/requests")
@require_roles(*WRITERS)
@blp.arguments(RequestFilterArgs(), location="query")
@blp.response(200, RequestSchema(many=True))
def list_requests(args):
    """Reorder requests, newest first (staff: their sites)."""
    stmt = requests.requests_query(current_user, args.get("site"), args.get("status"))
    return list(db.session.scalars(stmt.limit(500)))


@blp.route("/reorder/requests/<int:request_id>")
@require_roles(*WRITERS)
@blp.response(200, RequestSchema)
def get_request(request_id):
    """One reorder request with its lines (staff: at their sites)."""
    return requests.get_request(current_user, request_id)


def _advance(request_id: int, action: str):
    request = requests.advance(current_user, request_id, action)
    db.session.commit()
    return request


@blp.route("/reorder/requests/<int:request_id>/submit", methods=["POST"])
@require_roles(*WRITERS)
@blp.response(200, RequestSchema)
def submit_request(request_id):
    """draft → submitted; 409 from any other state."""
    return _advance(request_id, "submit")


@blp.route("/reorder/requests/<int:request_id>/order", methods=["POST"])
@require_roles(*PLANNERS)
@blp.response(200, RequestSchema)
def order_request(request_id):
    """submitted → ordered (placed with the supplier); 409 from any other state."""
    return _advance(request_id, "order")


@blp.route("/reorder/requests/<int:request_id>/receive", methods=["POST"])
@require_roles(*WRITERS)
@blp.arguments(ReceiveRequestArgs())
@blp.response(201, RequestSchema)
@blp.alt_response(200, schema=RequestSchema, description="Replay of a known client_id")
def receive_request(data, request_id):
    """ordered → received: writes one receipt at the request's site (lines default to the
    ordered units; items that track expiry need lot and expiry)."""
    return created_or_replayed(requests.receive_request(current_user, request_id, data))
