"""Reorder requests: created from suggestions (or edited lines), then draft → submitted →
ordered → received. Receiving writes a receipt through the stock receive service. Services
flush; the caller commits."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from inventory.auth.permissions import ensure_site_access, site_scope
from inventory.catalog.lookup import item_by_code, items_by_code, require_active, site_by_code
from inventory.database import begin_write, utcnow
from inventory.errors import Conflict, InvalidInput, NotFound
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.limits import MAX_QUANTITY
from inventory.reorder.models import ReorderRequest, ReorderRequestLine
from inventory.stock.models import StockEvent
from inventory.stock.services import receive_stock

# state → (the state it moves to, the timestamp column it sets)
NEXT_STATE = {"draft": ("submitted", "submitted_at"), "submitted": ("ordered", "ordered_at")}
ACTIONS = {"submit": "draft", "order": "submitted"}


def _lines(data: dict) -> list[tuple]:
    """(item row, packs) per line: ``packs``, or ``units`` rounded up to whole packs.

    Raises InvalidInput naming the line's field."""
    items = items_by_code([line["item"] for line in data["lines"]])
    seen, lines = set(), []
    for index, raw in enumerate(data["lines"]):
        field = f"lines.{index}"
        item = item_by_code(raw["item"], f"{field}.item", items)
        if item.id in seen:
            raise InvalidInput(f"{item.code} is listed twice.", field=f"{field}.item")
        seen.add(item.id)
        packs, units = raw.get("packs"), raw.get("units")
        if (packs is None) == (units is None):
            raise InvalidInput("Give either packs or units.", field=f"{field}.packs")
        pack = max(item.pack_size, 1)
        packs = packs if packs is not None else -(-units // pack)
        if packs * pack > MAX_QUANTITY:
            raise InvalidInput(f"At most {MAX_QUANTITY} units per line.", field=f"{field}.packs")
        lines.append((item, packs, packs * pack))
    return lines


def create_request(user, data: dict) -> tuple[ReorderRequest, bool]:
    """A draft request for ``data["site"]`` with its lines. Idempotent on ``client_id``.

    Raises InvalidInput (unknown/inactive site or item, a line twice, neither or both of packs
    and units), Forbidden (site not assigned), Conflict (client_id reused with another body)."""
    site = site_by_code(data["site"], active_only=False)
    ensure_site_access(user, site)
    print_ = fingerprint({**data, "kind": "reorder_request"})

    def check():
        require_active(site, "Site", "site")
        return _lines(data)

    def create(lines):
        request = ReorderRequest(client_id=data["client_id"], fingerprint=print_,
                                 site_id=site.id, status="draft", note=data.get("note"),
                                 created_by_id=user.id)
        request.lines = [ReorderRequestLine(item_id=item.id, packs=packs, units=units)
                         for item, packs, units in lines]
        db.session.add(request)
        db.session.flush()
        return request

    return create_once(ReorderRequest, data["client_id"], print_, create, check)


def requests_query(user, site_codes: list[str] | None = None, status: str | None = None):
    stmt = (select(ReorderRequest).options(selectinload(ReorderRequest.lines))
            .order_by(ReorderRequest.id.desc()))
    if site_codes:
        ids = []
        for code in site_codes:
            site = site_by_code(code, active_only=False)
            ensure_site_access(user, site)
            ids.append(site.id)
        stmt = stmt.where(ReorderRequest.site_id.in_(ids))
    elif (scope := site_scope(user)) is not None:
        stmt = stmt.where(ReorderRequest.site_id.in_(scope or {-1}))
    if status:
        stmt = stmt.where(ReorderRequest.status == status)
    return stmt


def get_request(user, request_id: int, for_update: bool = False) -> ReorderRequest:
    """The request, if ``user`` may see its site. Raises NotFound, Forbidden."""
    stmt = select(ReorderRequest).where(ReorderRequest.id == request_id)
    if for_update:
        begin_write(db.session)
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    request = db.session.scalar(stmt)
    if request is None:
        raise NotFound(f"No reorder request {request_id}.", field="id")
    ensure_site_access(user, request.site)
    return request


def advance(user, request_id: int, action: str) -> ReorderRequest:
    """``submit`` (draft → submitted) or ``order`` (submitted → ordered).

    Raises NotFound, Forbidden, Conflict (the request is not in the state the action needs)."""
    request = get_request(user, request_id, for_update=True)
    if request.status != ACTIONS[action]:
        raise Conflict(f"Only a {ACTIONS[action]} request can be {action}ed; this one is "
                       f"{request.status}.", field="status")
    new_state, stamp = NEXT_STATE[request.status]
    request.status = new_state
    setattr(request, stamp, utcnow())
    db.session.flush()
    return request


def receive_request(user, request_id: int, data: dict) -> tuple[ReorderRequest, bool]:
    """Receive an ordered request: one receipt at its site, through the stock receive service.

    ``data["lines"]`` (as a receipt's: item, quantity or cases, lot, expires_on) default to the
    ordered units without lots. Returns ``(request, created)``; repeating the same
    ``client_id`` returns the received request. Raises NotFound, Forbidden, Conflict (not
    ordered yet, or already received by another receipt), and whatever the receipt raises."""
    request = get_request(user, request_id)
    if request.status == "received":
        event = db.session.get(StockEvent, request.receipt_event_id)
        if event is not None and event.client_id == data["client_id"]:
            return request, False
        raise Conflict("This request was already received.", field="status")
    if request.status != "ordered":
        raise Conflict(f"Only an ordered request can be received; this one is "
                       f"{request.status}.", field="status")
    lines = data.get("lines") or [{"item": line.item.code, "quantity": line.units}
                                  for line in request.lines]
    receipt = {"client_id": data["client_id"], "site": request.site.code,
               "occurred_at": data["occurred_at"], "lines": lines,
               "document_ref": data.get("document_ref") or f"Reorder request {request.id}"}
    if "backdated" in data:
        receipt["backdated"] = data["backdated"]
    event, _ = receive_stock(user, receipt)
    request = get_request(user, request_id, for_update=True)
    if request.status != "ordered":  # another receipt won the race
        raise Conflict("This request was already received.", field="status")
    request.status, request.received_at = "received", utcnow()
    request.receipt_event_id = event.id
    db.session.flush()
    return request, True
