"""Receiving, adjusting and disposing of stock. Each call is one ledger event, idempotent on
its ``client_id``; the caller commits."""
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from inventory.auth.permissions import ADMIN, COORDINATOR, ensure_site_access
from inventory.catalog.lookup import (existing_lot, item_by_code, lot_for, require_active,
                                      site_and_items)
from inventory.database import utcnow
from inventory.encounters.models import Encounter
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.input_rules import DATE_MESSAGE, date_in_range
from inventory.limits import CLOCK_SKEW_SECONDS, MAX_QUANTITY
from inventory.settings.services import local_today
from inventory.stock.ledger import Line, post_event
from inventory.stock.models import StockEvent, StockEventLine, StockReason

DISPOSAL_REASONS = ("expired", "damaged", "other")
# The disposal written with a receipt "for disposal" takes its client_id from the receipt's.
_RECEIVED_FOR_DISPOSAL = uuid.UUID("a3c4e0f2-5b1d-4c8e-9f7a-2d6b8e1c3f50")
# Reasons that move stock one way only: a "damaged" line cannot add to the shelf, nor a "found"
# one take from it. Count variance, other and transfer shortfall go either way.
REASON_DIRECTIONS = {"expired": -1, "damaged": -1, "lost": -1, "found": 1}
BACKDATERS = (COORDINATOR, ADMIN)
DEFAULT_MAX_AGE_DAYS = 365


def check_occurred_at(occurred_at, field: str = "occurred_at", *, user=None,
                      backdated: bool = False) -> None:
    """Raise InvalidInput when ``occurred_at`` is further ahead than the allowed clock skew,
    outside the calendar bounds (:mod:`inventory.input_rules`), or older than the
    ``OCCURRED_AT_MAX_AGE_DAYS`` setting (a tablet with a wrong clock would write into closed
    quarters) unless ``backdated`` by a coordinator or admin (``user``). ``backdated`` from
    anyone else is refused (field ``backdated``)."""
    if backdated and getattr(user, "role", None) not in BACKDATERS:
        raise InvalidInput("Only coordinators and admins may back-date.", field="backdated")
    if not date_in_range(occurred_at):
        raise InvalidInput(DATE_MESSAGE, field=field)
    now = utcnow()
    if occurred_at > now + timedelta(seconds=CLOCK_SKEW_SECONDS):
        raise InvalidInput("occurred_at is in the future.", field=field)
    max_age = current_app.config.get("OCCURRED_AT_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS)
    if not backdated and occurred_at < now - timedelta(days=max_age):
        raise InvalidInput(
            f"occurred_at is more than {max_age} days ago; a coordinator or admin may record "
            "it on purpose with backdated: true.", field=field)


def _reason(code: str, note: str | None) -> StockReason:
    reason = db.session.get(StockReason, code)
    if reason is None or not reason.active:
        raise InvalidInput(f"Unknown reason {code!r}.", field="reason")
    if reason.requires_note and not (note or "").strip():
        raise InvalidInput(f"Reason {code!r} needs a note.", field="note")
    return reason


def _check_directions(reason_code: str, lines: list[Line]) -> None:
    """Raise InvalidInput (the line's quantity) for a line that moves stock against its
    reason's direction (:data:`REASON_DIRECTIONS`)."""
    sign = REASON_DIRECTIONS.get(reason_code)
    for line in lines if sign else ():
        if line.quantity * sign < 0:
            way = ("adds stock: give a positive quantity" if sign > 0
                   else "takes stock away: give a negative quantity")
            raise InvalidInput(f"A {reason_code!r} adjustment {way}.", field=line.field)


def _site_and_items(user, data: dict):
    """The site of a stock event, if ``user`` may write there, and the rows of the items its
    lines name (unknown codes absent). Raises InvalidInput, Forbidden."""
    site, items = site_and_items(data["site"], [line["item"] for line in data["lines"]])
    ensure_site_access(user, site)
    return site, items


def _check_header(user, site, data: dict) -> None:
    require_active(site, "Site", "site")
    check_occurred_at(data["occurred_at"], user=user, backdated=data.get("backdated", False))


def _load_event(event_id: int) -> StockEvent:
    """The event with everything its API answer shows, read inside the write transaction."""
    return db.session.get(StockEvent, event_id, options=[
        joinedload(StockEvent.site),
        selectinload(StockEvent.lines).options(joinedload(StockEventLine.item),
                                               joinedload(StockEventLine.lot))])


def _receipt_line(raw: dict, field: str, items: dict, day, for_disposal: bool):
    """Check one receipt line; return (item, lot code, expiry, units, field, expired).

    Raises InvalidInput naming the line's field (see :func:`receive_stock`)."""
    item = item_by_code(raw["item"], f"{field}.item", items)
    quantity, cases = raw.get("quantity"), raw.get("cases")
    if quantity is None and cases is None:
        raise InvalidInput("Give quantity (units), cases, or both.", field=f"{field}.quantity")
    units = (quantity or 0) + (cases or 0) * item.pack_size
    if units > MAX_QUANTITY:
        raise InvalidInput(f"At most {MAX_QUANTITY} units per line.",
                           field=f"{field}.cases" if cases else f"{field}.quantity")
    lot, expires_on = raw.get("lot"), raw.get("expires_on")
    if item.tracks_expiry and not lot:
        raise InvalidInput(f"{item.code} tracks expiry: give the lot code.", field=f"{field}.lot")
    if item.tracks_expiry and not expires_on:
        raise InvalidInput(f"{item.code} tracks expiry: give expires_on.",
                           field=f"{field}.expires_on")
    if expires_on and not lot:
        # An expiry belongs to a lot; the unknown lot has none, so it would be lost.
        raise InvalidInput("An expiry date needs the lot code it is printed with.",
                           field=f"{field}.lot")
    expired = bool(expires_on and expires_on < day)
    if expired and not for_disposal:
        raise InvalidInput(f"Lot {lot} expired on {expires_on}: it can only be received for "
                           "disposal (for_disposal).", field=f"{field}.expires_on")
    return item, lot, expires_on, units, field, expired


def receive_stock(user, data: dict, link=None) -> tuple[StockEvent, bool]:
    """Record a receipt: each line in units (``quantity``), whole cases (``cases`` × the
    item's pack size) or both (added), with lot and expiry (required for items that track
    expiry). A lot already expired on the day received is refused unless ``for_disposal``
    (coordinators and admins): then it is received and disposed of at once (reason
    ``expired``). ``link(event_id)``, if given, runs after the receipt is posted, in the same
    transaction (a reorder request records its receipts so). Returns ``(event, created)``; a
    replay gets its stored event.

    Raises InvalidInput (unknown site/item, neither quantity nor cases, too large, missing
    lot or expiry, an expiry without a lot, an expired lot), Forbidden (site not assigned),
    Conflict (client_id reused with another body).
    """
    site, items = _site_and_items(user, data)
    print_ = fingerprint({**data, "kind": "receipt"})
    for_disposal = bool(data.get("for_disposal"))

    def check():
        _check_header(user, site, data)
        if for_disposal and getattr(user, "role", None) not in BACKDATERS:
            raise InvalidInput("Only coordinators and admins receive stock for disposal.",
                               field="for_disposal")
        day = local_today(data["occurred_at"])
        return [_receipt_line(raw, f"lines.{index}", items, day, for_disposal)
                for index, raw in enumerate(data["lines"])]

    def create(lines):
        posted, expired = [], []
        for item, lot_code, expires_on, units, field, is_expired in lines:
            line = Line(item_id=item.id, quantity=units, field=f"{field}.quantity",
                        lot_id=getattr(lot_for(item, lot_code, expires_on, field), "id", None))
            posted.append(line)
            if is_expired:
                expired.append(Line(item_id=line.item_id, lot_id=line.lot_id, quantity=-units,
                                    field=line.field))
        event = post_event(kind="receipt", site_id=site.id, occurred_at=data["occurred_at"],
                           client_id=data["client_id"], lines=posted, user_id=user.id,
                           fingerprint=print_, document_ref=data.get("document_ref"))
        if expired:
            post_event(kind="disposal", site_id=site.id, occurred_at=data["occurred_at"],
                       client_id=uuid.uuid5(_RECEIVED_FOR_DISPOSAL, str(data["client_id"])),
                       lines=expired, user_id=user.id, reason_code="expired",
                       note="received for disposal", document_ref=data.get("document_ref"))
        if link is not None:
            link(event.id)
        return _load_event(event.id)

    return create_once(StockEvent, data["client_id"], print_, create, check, (Encounter,))


def _signed_lines(data: dict, items: dict, sign: int, expired_only: bool = False) -> list[Line]:
    """The lines as signed ledger lines. ``expired_only``: every line must name a lot past its
    expiry on the day of the event. Raises InvalidInput (unknown item or lot, a lot not
    expired)."""
    lines = []
    day = local_today(data["occurred_at"])
    for index, raw in enumerate(data["lines"]):
        field = f"lines.{index}"
        item = item_by_code(raw["item"], f"{field}.item", items)
        lot = existing_lot(item, raw.get("lot"), field)
        if expired_only and (lot is None or lot.expires_on is None or lot.expires_on >= day):
            when = f"expires on {lot.expires_on}" if lot and lot.expires_on else "has no expiry"
            raise InvalidInput(f"Reason 'expired' is only for lots past their expiry; this "
                               f"stock {when}.", field=f"{field}.lot")
        lines.append(Line(item_id=item.id, lot_id=lot.id if lot else None,
                          quantity=sign * raw["quantity"], field=f"{field}.quantity"))
    return lines


def adjust_stock(user, data: dict, kind: str = "adjustment") -> tuple[StockEvent, bool]:
    """Record a signed adjustment (lost, found, count variance, other…). Returns ``(event, created)``;
    a replay gets its stored event.

    Raises InvalidInput (unknown reason/site/item/lot, missing note, a quantity against its
    reason's direction), InsufficientStock (a balance would go below zero), Forbidden, Conflict.
    """
    site, items = _site_and_items(user, data)
    print_ = fingerprint({**data, "kind": kind})

    def check():
        _check_header(user, site, data)
        reason = _reason(data["reason"], data.get("note"))
        if kind == "disposal" and reason.code not in DISPOSAL_REASONS:
            raise InvalidInput(f"Disposal reasons are {', '.join(DISPOSAL_REASONS)}.",
                               field="reason")
        lines = _signed_lines(data, items, -1 if kind == "disposal" else 1,
                              expired_only=reason.code == "expired")
        _check_directions(reason.code, lines)
        return reason.code, lines

    def create(checked):
        reason_code, lines = checked
        event = post_event(kind=kind, site_id=site.id, occurred_at=data["occurred_at"],
                           client_id=data["client_id"], lines=lines, user_id=user.id,
                           fingerprint=print_, reason_code=reason_code, note=data.get("note"))
        return _load_event(event.id)

    return create_once(StockEvent, data["client_id"], print_, create, check, (Encounter,))


def dispose_stock(user, data: dict) -> tuple[StockEvent, bool]:
    """Throw stock out (expired, damaged, other): positive quantities leave the shelf.

    Raises as :func:`adjust_stock`.
    """
    return adjust_stock(user, data, kind="disposal")
