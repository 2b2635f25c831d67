"""Physical counts: start (snapshot of the site's balances), enter what is on the shelf lot by
lot, submit (one ``count`` ledger event, a line per variance). The caller commits.

The variance is always counted − the live balance under lock. Where stock moved after the
snapshot (a ledger line at the site for that item and lot recorded since ``started_at``) the
line says ``moved_since_start`` and its expected figure is what the snapshot showed.
"""
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from inventory.auth.permissions import ensure_site_access
from inventory.catalog.lookup import existing_lot, item_by_code, site_and_items, site_by_code
from inventory.catalog.models import Item
from inventory.counts.models import Count, CountLine
from inventory.database import begin_write, utcnow
from inventory.encounters.models import Encounter
from inventory.errors import Conflict, InvalidInput, NotFound
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.stock.ledger import Line, post_event
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from inventory.stock.services import check_occurred_at


def get_count(user, count_id: int, for_update: bool = False) -> Count:
    """The count, if ``user`` may work at its site. Raises NotFound, Forbidden."""
    stmt = select(Count).where(Count.id == count_id).options(
        joinedload(Count.site),
        selectinload(Count.lines).options(joinedload(CountLine.item), joinedload(CountLine.lot)))
    if for_update:
        stmt = stmt.with_for_update(of=Count).execution_options(populate_existing=True)
    count = db.session.scalar(stmt)
    if count is None:
        raise NotFound(f"No count {count_id}.", field="id")
    ensure_site_access(user, count.site, field="id")
    return count


def start_count(user, site_code: str) -> Count:
    """Open a count at the site with a snapshot of its balances: every lot holding stock,
    and the no-lot line of every active item (expected 0 where nothing is recorded).

    Raises InvalidInput (unknown or inactive site), Forbidden.
    """
    site = site_by_code(site_code)
    ensure_site_access(user, site)
    begin_write(db.session)
    now = utcnow()
    balances = db.session.execute(
        select(StockBalance.item_id, StockBalance.lot_id, StockBalance.on_hand)
        .join(Item, Item.id == StockBalance.item_id)
        .where(StockBalance.site_id == site.id, Item.active.is_(True))).all()
    lines = {(item_id, lot_id): on_hand for item_id, lot_id, on_hand in balances
             if on_hand != 0 or lot_id is None}
    for item_id in db.session.scalars(select(Item.id).where(Item.active.is_(True))):
        lines.setdefault((item_id, None), 0)
    count = Count(client_id=uuid.uuid4(), site_id=site.id, status="open", started_at=now,
                  user_id=user.id,
                  lines=[CountLine(item_id=item_id, lot_id=lot_id, expected=expected)
                         for (item_id, lot_id), expected in sorted(
                             lines.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))])
    db.session.add(count)
    db.session.flush()
    return count


def save_counted(user, count_id: int, counted: dict[int, int | None]) -> Count:
    """Keep the quantities entered so far on an open count (line id → units, None: not yet).

    Raises NotFound, Forbidden, Conflict (already submitted), InvalidInput (a negative figure).
    """
    begin_write(db.session)
    count = get_count(user, count_id, for_update=True)
    if count.status != "open":
        raise Conflict("This count was already submitted.", field="id")
    for index, line in enumerate(count.lines):
        if line.id in counted:
            if counted[line.id] is not None and counted[line.id] < 0:
                raise InvalidInput("A count cannot be below zero.",
                                   field=f"lines.{index}.counted")
            line.counted = counted[line.id]
    db.session.flush()
    return count


def _moves_since(site_id: int, started_at, keys, exclude_event: int) -> dict:
    """Per (item_id, lot_id): (number of ledger lines, their sum) at the site recorded after
    ``started_at``, other than the count's own event."""
    item_ids = sorted({item_id for item_id, _ in keys})
    rows = db.session.execute(
        select(StockEventLine.item_id, StockEventLine.lot_id, func.count(),
               func.sum(StockEventLine.quantity))
        .join(StockEvent, StockEvent.id == StockEventLine.event_id)
        .where(StockEvent.site_id == site_id, StockEvent.recorded_at > started_at,
               StockEvent.id != exclude_event, StockEventLine.item_id.in_(item_ids))
        .group_by(StockEventLine.item_id, StockEventLine.lot_id))
    return {(item_id, lot_id): (n, int(total)) for item_id, lot_id, n, total in rows}


def _post_count(user, count: Count, occurred_at, wanted: list[tuple[int, int | None, int]],
                fields: list[str]) -> None:
    """Write the count event (lines: the variances against the live balances, under lock) and
    fill ``count.lines`` for ``wanted`` (item_id, lot_id, counted)."""
    posted = post_event(kind="count", site_id=count.site_id, occurred_at=occurred_at,
                        client_id=count.client_id, user_id=user.id, counted=True,
                        fingerprint=count.fingerprint, reason_code="count_variance",
                        lines=[Line(item_id=i, lot_id=lot, quantity=n, field=f)
                               for (i, lot, n), f in zip(wanted, fields)])
    variances = {(i, lot): q for i, lot, q in posted.lines}
    moves = _moves_since(count.site_id, count.started_at, [(i, lot) for i, lot, _ in wanted],
                         posted.id)
    existing = {(line.item_id, line.lot_id): line for line in count.lines}
    for item_id, lot_id, counted in wanted:
        variance = variances.get((item_id, lot_id), 0)
        live = counted - variance
        moved, net = moves.get((item_id, lot_id), (0, 0))
        line = existing.get((item_id, lot_id))
        if line is None:
            line = CountLine(item_id=item_id, lot_id=lot_id, expected=live - net)
            count.lines.append(line)
        line.counted, line.live, line.variance = counted, live, variance
        line.moved_since_start = moved > 0
    count.status, count.occurred_at, count.event_id = "submitted", occurred_at, posted.id


def record_count(user, data: dict) -> tuple[Count, bool]:
    """Record a count in one go (the API): ``started_at`` (default: now) is the snapshot time;
    each line's ``counted`` units of an item's lot (no lot: stock not tied to a lot).

    Returns ``(count, created)``. Raises InvalidInput (unknown site, item or lot, a line
    counted twice, bad dates), Forbidden, Conflict (client_id reused).
    """
    site, items = site_and_items(data["site"], [line["item"] for line in data["lines"]])
    ensure_site_access(user, site)
    print_ = fingerprint({**data, "kind": "count"})

    def check():
        site_by_code(data["site"])
        backdated = data.get("backdated", False)
        check_occurred_at(data["occurred_at"], user=user, backdated=backdated)
        if data.get("started_at") is not None:
            check_occurred_at(data["started_at"], "started_at", user=user, backdated=backdated)
            if data["started_at"] > data["occurred_at"]:
                raise InvalidInput("The count started after it ended.", field="started_at")
        wanted, fields, seen = [], [], set()
        for index, raw in enumerate(data["lines"]):
            field = f"lines.{index}"
            item = item_by_code(raw["item"], f"{field}.item", items)
            lot = existing_lot(item, raw.get("lot"), field)
            key = (item.id, lot.id if lot else None)
            if key in seen:
                raise InvalidInput("This item and lot are counted twice.", field=f"{field}.lot")
            seen.add(key)
            wanted.append((*key, raw["counted"]))
            fields.append(f"{field}.counted")
        return wanted, fields

    def create(checked):
        count = Count(client_id=data["client_id"], fingerprint=print_, site_id=site.id,
                      started_at=data.get("started_at") or utcnow(), user_id=user.id)
        db.session.add(count)
        db.session.flush()
        _post_count(user, count, data["occurred_at"], *checked)
        db.session.flush()
        return get_count(user, count.id)

    return create_once(Count, data["client_id"], print_, create, check, (Encounter,))


def submit_count(user, count_id: int) -> Count:
    """Submit an open count from the page: every line must have been counted (0 included).
    Submitting a submitted count again changes nothing.

    Raises NotFound, Forbidden, InvalidInput (a line not counted, naming
    ``lines.<index in count.lines>.counted``).
    """
    count = get_count(user, count_id)
    missing = [index for index, line in enumerate(count.lines) if line.counted is None]
    if count.status == "open" and missing:
        raise InvalidInput("Enter a figure for every line (0 when none is there).",
                           field=f"lines.{missing[0]}.counted")
    begin_write(db.session)
    count = get_count(user, count_id, for_update=True)
    if count.status != "open":
        return count
    wanted = [(line.item_id, line.lot_id, line.counted) for line in count.lines]
    _post_count(user, count, utcnow(), wanted,
                [f"lines.{index}.counted" for index in range(len(count.lines))])
    db.session.flush()
    return count
