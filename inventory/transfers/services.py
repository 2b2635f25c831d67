"""Transfers: ship (stock leaves the source at once), receive in one or several receipts, close
with a shortfall, cancel. Each call is idempotent on its ``client_id``; the caller commits.

Ledger: shipping writes ``transfer_out`` at the source (FEFO over unexpired lots unless lots
are named). A receipt writes ``transfer_in`` at the destination. Closing with a shortfall brings
what never arrived in with that receipt and writes it off at once with a ``transfer_shortfall``
adjustment, so transfers out and in always match across the program and the loss shows as an
adjustment. Cancelling reverses the shipment (stock returns to the source).
"""
import uuid
from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from inventory.auth.permissions import ensure_site_access, site_scope
from inventory.catalog.lookup import existing_lot, item_by_code, items_by_code, site_by_code
from inventory.database import begin_write, utcnow
from inventory.encounters.models import Encounter
from inventory.errors import Conflict, InvalidInput, NotFound
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.settings.services import local_today
from inventory.stock.ledger import Line, post_event, reverse_event
from inventory.stock.models import StockEvent
from inventory.stock.services import check_occurred_at
from inventory.transfers.models import Transfer, TransferLine, TransferReceipt

# Ledger client_ids derived from the transfer's or receipt's own, so a retry cannot write twice.
_SHORTFALL = uuid.UUID("6f1d2c55-0a4e-4f43-9b39-5b7f1c2a0e11")
_CANCEL = uuid.UUID("0c7b6a3e-93f1-4b8e-a4d5-2f6e8e1d9c42")


def get_transfer(user, transfer_id: int, for_update: bool = False) -> Transfer:
    """The transfer, if ``user`` may see one of its ends; ``for_update`` locks its row.

    Raises NotFound, Forbidden (staff at neither end).
    """
    stmt = select(Transfer).where(Transfer.id == transfer_id).options(
        joinedload(Transfer.from_site), joinedload(Transfer.to_site),
        selectinload(Transfer.lines).options(joinedload(TransferLine.item),
                                             joinedload(TransferLine.lot)))
    if for_update:
        stmt = stmt.with_for_update(of=Transfer).execution_options(populate_existing=True)
    transfer = db.session.scalar(stmt)
    if transfer is None:
        raise NotFound(f"No transfer {transfer_id}.", field="id")
    scope = site_scope(user)
    if scope is not None and not scope & {transfer.from_site_id, transfer.to_site_id}:
        ensure_site_access(user, transfer.to_site, field="id")
    return transfer


def transfers_query(user, status: str | None = None, site_codes: list[str] | None = None):
    """Transfers ``user`` may see, newest first, by status and by site at either end.

    Raises InvalidInput (unknown site), Forbidden (a site not assigned).
    """
    stmt = select(Transfer).order_by(Transfer.shipped_at.desc(), Transfer.id.desc())
    if status:
        stmt = stmt.where(Transfer.status == status)
    ids = None
    if site_codes:
        ids = set()
        for code in site_codes:
            site = site_by_code(code, active_only=False)
            ensure_site_access(user, site)
            ids.add(site.id)
    elif (scope := site_scope(user)) is not None:
        ids = scope or {-1}
    if ids is not None:
        stmt = stmt.where(or_(Transfer.from_site_id.in_(ids), Transfer.to_site_id.in_(ids)))
    return stmt.options(joinedload(Transfer.from_site), joinedload(Transfer.to_site),
                        selectinload(Transfer.lines).options(joinedload(TransferLine.item),
                                                             joinedload(TransferLine.lot)))


def _ship_lines(data: dict) -> list[Line]:
    """The requested lines as ledger lines: positive ``quantity`` taken FEFO where no lot is
    named, a negative line from a named lot. Raises InvalidInput (unknown item or lot, an
    expired named lot)."""
    items = items_by_code([line["item"] for line in data["lines"]])
    today = local_today()
    lines = []
    for index, raw in enumerate(data["lines"]):
        field = f"lines.{index}"
        item = item_by_code(raw["item"], f"{field}.item", items)
        lot = existing_lot(item, raw.get("lot"), field)
        if lot is not None and lot.expires_on is not None and lot.expires_on < today:
            raise InvalidInput(f"Lot {lot.lot_code} expired on {lot.expires_on}: dispose of it "
                               "rather than ship it.", field=f"{field}.lot")
        quantity = raw["quantity"] if lot is None else -raw["quantity"]
        lines.append(Line(item_id=item.id, lot_id=lot.id if lot else None, quantity=quantity,
                          field=f"{field}.quantity"))
    return lines


def create_transfer(user, data: dict) -> tuple[Transfer, bool]:
    """Ship stock from ``from_site`` to ``to_site``: the source's stock leaves at once.

    Returns ``(transfer, created)``; a replay gets the stored transfer. Raises InvalidInput
    (unknown or inactive site, same site at both ends, bad date, unknown item or lot),
    Forbidden (staff shipping from a site not theirs), InsufficientStock (the source holds too
    little, naming the line), Conflict (client_id reused).
    """
    source = site_by_code(data["from_site"], "from_site", active_only=False)
    ensure_site_access(user, source, field="from_site")
    print_ = fingerprint({**data, "kind": "transfer"})

    def check():
        site_by_code(data["from_site"], "from_site")
        destination = site_by_code(data["to_site"], "to_site")
        if destination.id == source.id:
            raise InvalidInput("A transfer goes to another site.", field="to_site")
        check_occurred_at(data["occurred_at"], user=user, backdated=data.get("backdated", False))
        return destination, _ship_lines(data)

    def create(checked):
        destination, lines = checked
        posted = post_event(kind="transfer_out", site_id=source.id, occurred_at=data["occurred_at"],
                            client_id=data["client_id"], lines=lines, user_id=user.id,
                            allocate=True, usable_from=local_today(), fingerprint=print_,
                            counterpart_site_id=destination.id,
                            document_ref=data.get("document_ref"))
        shipped: dict[tuple[int, int | None], int] = defaultdict(int)
        for item_id, lot_id, quantity in posted.lines:
            shipped[(item_id, lot_id)] -= quantity
        transfer = Transfer(client_id=data["client_id"], fingerprint=print_,
                            from_site_id=source.id, to_site_id=destination.id,
                            shipped_at=data["occurred_at"], user_id=user.id,
                            document_ref=data.get("document_ref"), ship_event_id=posted.id,
                            lines=[TransferLine(item_id=item_id, lot_id=lot_id, quantity=quantity)
                                   for (item_id, lot_id), quantity in shipped.items()])
        db.session.add(transfer)
        db.session.flush()
        return get_transfer(user, transfer.id)

    return create_once(Transfer, data["client_id"], print_, create, check, (Encounter,))


def _expiry_order(line: TransferLine):
    expires = line.lot.expires_on if line.lot else None
    return (expires is None, expires or 0, line.id)


def _match_receipt(transfer: Transfer, data: dict) -> dict[int, int]:
    """How much of each transfer line (by id) the receipt's lines bring. A line naming a lot
    takes from that lot's line; one without takes from the item's lines, earliest expiry
    first. Raises InvalidInput (item or lot not on the transfer, more than is in transit)."""
    taken: dict[int, int] = defaultdict(int)
    for index, raw in enumerate(data["lines"]):
        field = f"lines.{index}"
        candidates = [line for line in transfer.lines if line.item.code == raw["item"]]
        if not candidates:
            raise InvalidInput(f"Item {raw['item']!r} is not on this transfer.",
                               field=f"{field}.item")
        if raw.get("lot"):
            candidates = [line for line in candidates
                          if line.lot is not None and line.lot.lot_code == raw["lot"]]
            if not candidates:
                raise InvalidInput(f"Lot {raw['lot']!r} of {raw['item']} is not on this "
                                   "transfer.", field=f"{field}.lot")
        available = sum(line.in_transit - taken[line.id] for line in candidates)
        if raw["quantity"] > available:
            raise InvalidInput(f"Only {available} of {raw['item']} still in transit; cannot "
                               f"receive {raw['quantity']}.", field=f"{field}.quantity")
        remaining = raw["quantity"]
        for line in sorted(candidates, key=_expiry_order):
            take = min(remaining, line.in_transit - taken[line.id])
            taken[line.id] += take
            remaining -= take
    return {line_id: quantity for line_id, quantity in taken.items() if quantity}


def receive_transfer(user, transfer_id: int, data: dict) -> tuple[Transfer, bool]:
    """Record what arrived at the destination; ``close`` ends the transfer, writing off what
    is still in transit as a shortfall (``shortfall_reason`` required then).

    Returns ``(transfer, created)``; status becomes ``received`` when everything arrived,
    ``closed`` when a shortfall was written off. Raises NotFound, Forbidden (staff not at the
    destination), InvalidInput (bad date, lines not on the transfer or over what is in transit,
    no lines without close, missing reason), Conflict (transfer no longer in transit,
    client_id reused).
    """
    transfer = get_transfer(user, transfer_id)
    ensure_site_access(user, transfer.to_site, field="id")
    print_ = fingerprint({**data, "kind": "transfer_receipt", "transfer": transfer_id})
    reason = (data.get("shortfall_reason") or "").strip()

    def check():
        check_occurred_at(data["occurred_at"], user=user, backdated=data.get("backdated", False))
        if data["occurred_at"] < transfer.shipped_at:
            raise InvalidInput("The transfer was shipped after this time.", field="occurred_at")
        if not data["lines"] and not data.get("close"):
            raise InvalidInput("Give the lines that arrived, or close the transfer.",
                               field="lines")
        if reason and not data.get("close"):
            raise InvalidInput("A shortfall reason goes with close: true.",
                               field="shortfall_reason")

    def create(_):
        locked = get_transfer(user, transfer_id, for_update=True)
        if locked.status != "in_transit":
            raise Conflict(f"This transfer is {locked.status}; nothing more can be received.",
                           field="id")
        taken = _match_receipt(locked, data)
        shortfall = {line.id: line.in_transit - taken.get(line.id, 0) for line in locked.lines}
        shortfall = {k: v for k, v in shortfall.items() if v > 0} if data.get("close") else {}
        if shortfall and not reason:
            raise InvalidInput("Say why the rest never arrived.", field="shortfall_reason")
        by_id = {line.id: line for line in locked.lines}
        brought = dict(taken)  # a shortfall comes in with the receipt, then is written off
        for line_id, quantity in shortfall.items():
            brought[line_id] = brought.get(line_id, 0) + quantity
        arrived = [Line(item_id=by_id[i].item_id, lot_id=by_id[i].lot_id, quantity=q)
                   for i, q in sorted(brought.items())]
        receipt = TransferReceipt(transfer_id=locked.id, client_id=data["client_id"],
                                  fingerprint=print_, occurred_at=data["occurred_at"],
                                  user_id=user.id, closed=bool(data.get("close")))
        header = dict(counterpart_site_id=locked.from_site_id, document_ref=f"TR-{locked.id}")
        if arrived:
            receipt.event_id = post_event(
                kind="transfer_in", site_id=locked.to_site_id, occurred_at=data["occurred_at"],
                client_id=data["client_id"], lines=arrived, user_id=user.id,
                fingerprint=print_, **header).id
        if shortfall:
            receipt.shortfall_event_id = post_event(
                kind="adjustment", site_id=locked.to_site_id, occurred_at=data["occurred_at"],
                client_id=uuid.uuid5(_SHORTFALL, str(data["client_id"])), user_id=user.id,
                lines=[Line(item_id=by_id[i].item_id, lot_id=by_id[i].lot_id, quantity=-q)
                       for i, q in sorted(shortfall.items())],
                reason_code="transfer_shortfall", note=reason[:500], **header).id
        for line_id, quantity in taken.items():
            by_id[line_id].received += quantity
        for line_id, quantity in shortfall.items():
            by_id[line_id].written_off += quantity
        if all(line.received == line.quantity for line in locked.lines):
            locked.status = "received"
        elif data.get("close"):
            locked.status, locked.ended_at = "closed", utcnow()
            locked.shortfall_reason = reason[:200]
        db.session.add(receipt)
        db.session.flush()
        return receipt

    receipt, created = create_once(TransferReceipt, data["client_id"], print_, create, check,
                                   (Encounter,))
    return get_transfer(user, receipt.transfer_id), created


def cancel_transfer(user, transfer_id: int) -> Transfer:
    """Cancel a transfer nothing of which was received: the shipment is reversed, its stock
    back at the source. Cancelling a cancelled transfer again changes nothing.

    Raises NotFound, Forbidden (staff not at the source), Conflict (something was received,
    or the transfer was closed).
    """
    transfer = get_transfer(user, transfer_id)
    ensure_site_access(user, transfer.from_site, field="id")
    begin_write(db.session)
    transfer = get_transfer(user, transfer_id, for_update=True)
    if transfer.status == "cancelled":
        return transfer
    if transfer.status != "in_transit" or any(line.received for line in transfer.lines):
        raise Conflict("Part of this transfer was received: it can no longer be cancelled; "
                       "close it with a shortfall instead.", field="id")
    reverse_event(db.session.get(StockEvent, transfer.ship_event_id), user_id=user.id,
                  client_id=uuid.uuid5(_CANCEL, str(transfer.client_id)),
                  note=f"transfer TR-{transfer.id} cancelled")
    transfer.status, transfer.ended_at = "cancelled", utcnow()
    db.session.flush()
    return transfer
