"""Posting to the stock ledger: one event, its lines and the balances, in one transaction.

Balances of the touched (site, item) pairs are locked before they are read: ``SELECT ... FOR
UPDATE`` on PostgreSQL, the write lock taken by ``BEGIN IMMEDIATE`` on SQLite (see
:mod:`inventory.database`). Pairs are always locked in item order, so two writers cannot deadlock.
"""
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from datetime import datetime
from uuid import UUID

from sqlalchemy import Integer, bindparam, literal, null, select

from inventory.catalog.models import Lot
from inventory.database import pg_rows, upsert_insert, utcnow
from inventory.errors import InsufficientStock
from inventory.extensions import db
from inventory.prepared import Prepared, PreparedIn
from inventory.stock.models import MAY_GO_NEGATIVE, StockBalance, StockEvent
from inventory.stock.writes import EVENT_COLUMNS, EventRows, write_event
from inventory.types import UTCDateTime


@dataclass(frozen=True)
class Line:
    """One requested movement. ``lot_id`` None is the unknown lot; ``field`` names the input."""

    item_id: int
    quantity: int
    lot_id: int | None = None
    field: str | None = None


@dataclass
class _Balance:
    id: int
    item_id: int
    lot_id: int | None
    on_hand: int
    expires_on: object


_NEW_BALANCE = ("site_id", "item_id", "lot_id", "lot_key", "on_hand", "updated_at")
_BALANCE_KEY = ["site_id", "item_id", "lot_key"]  # the unique key of stock_balance


@cache
def _insert_missing_stmt(dialect_name: str) -> Prepared:
    stmt = upsert_insert(StockBalance.__table__, dialect_name).values(
        {column: bindparam(column) for column in _NEW_BALANCE})
    return Prepared(stmt.on_conflict_do_nothing(index_elements=_BALANCE_KEY))


@cache
def _lock_anchors_stmt() -> Prepared:
    """PostgreSQL: create (at zero) or lock the unknown-lot rows of ``anchor_item_id`` at
    ``site_id``, in item order, in one statement."""
    table = StockBalance.__table__
    items = pg_rows("anchor", item_id=Integer)
    rows = select(bindparam("site_id", type_=Integer), items.c.item_id, null(), literal(0),
                  literal(0), bindparam("now", type_=UTCDateTime)).order_by(items.c.item_id)
    stmt = upsert_insert(table, "postgresql").from_select(list(_NEW_BALANCE), rows)
    # A no-op update: it takes the row lock of an existing row, in the order of the rows.
    return Prepared(stmt.on_conflict_do_update(index_elements=_BALANCE_KEY,
                                               set_={"on_hand": table.c.on_hand}))


def _insert_missing(site_id: int, keys: set[tuple[int, int | None]]) -> None:
    """Create missing balance rows at zero; a concurrent creator of the same row wins quietly."""
    now = utcnow()
    rows = [
        {"site_id": site_id, "item_id": item_id, "lot_id": lot_id, "lot_key": lot_id or 0,
         "on_hand": 0, "updated_at": now}
        for item_id, lot_id in sorted(keys, key=lambda k: (k[0], k[1] or 0))
    ]
    _insert_missing_stmt(db.engine.dialect.name).many(db.session.connection(), rows)


_balance, _lot = StockBalance.__table__.c, Lot.__table__.c
_LOCK = PreparedIn("item", lambda names: (
    select(_balance.id, _balance.item_id, _balance.lot_id, _balance.on_hand, _lot.expires_on)
    .select_from(StockBalance.__table__.outerjoin(Lot.__table__, _lot.id == _balance.lot_id))
    .where(_balance.site_id == bindparam("site_id"),
           _balance.item_id.in_([bindparam(name) for name in names]))
    .order_by(_balance.item_id, _balance.lot_key)
    .with_for_update(of=StockBalance.__table__)
))


def _lock(site_id: int, item_ids: set[int]) -> list[_Balance]:
    rows = _LOCK.rows(db.session.connection(), sorted(item_ids), {"site_id": site_id})
    return [_Balance(*row) for row in rows]


def _locked_balances(site_id: int, keys: set[tuple[int, int | None]]) -> list[_Balance]:
    """Lock every balance of the touched items at the site, creating the rows ``keys`` needs.

    SQLite: the transaction already holds the database's write lock, so rows are created only
    when missing. PostgreSQL: every writer of a (site, item) first locks its unknown-lot row
    (the anchor), creating it if missing, in item order, in one statement; only then does it
    add missing lot rows and read the item's lots, in a new statement whose snapshot includes
    lots that the writer it waited for had just committed.
    """
    item_ids = {item_id for item_id, _ in keys}
    if db.engine.dialect.name == "sqlite":
        balances = _lock(site_id, item_ids)
        missing = keys - {(b.item_id, b.lot_id) for b in balances}
        if missing:
            _insert_missing(site_id, missing)
            balances = _lock(site_id, item_ids)
        return balances
    anchors = {(item_id, None) for item_id in item_ids}
    _lock_anchors_stmt().rows(db.session.connection(), {
        "site_id": site_id, "anchor_item_id": sorted(item_ids), "now": utcnow()})
    if keys - anchors:
        _insert_missing(site_id, keys - anchors)  # lot rows: only an anchor's holder adds them
    return _lock(site_id, item_ids)


def _fefo(quantity: int, balances: list[_Balance]) -> list[tuple[int | None, int]]:
    """Split a handout of ``quantity`` across lots, first-expired-first-out.

    Lots with stock go in expiry order (lots without an expiry last); whatever they do not
    cover is taken from the unknown lot, which may go negative.
    """
    candidates = sorted(
        (b for b in balances if b.on_hand > 0),
        key=lambda b: (b.expires_on is None, b.expires_on or 0, b.lot_id is None, b.lot_id or 0),
    )
    taken: list[tuple[int | None, int]] = []
    remaining = quantity
    for balance in candidates:
        if remaining == 0:
            break
        take = min(balance.on_hand, remaining)
        taken.append((balance.lot_id, take))
        remaining -= take
    if remaining:
        taken.append((None, remaining))
    return taken


def _check_available(line: Line, balances: list[_Balance]) -> None:
    """Raise InsufficientStock when the item's lots together hold less than ``line`` takes
    (an allocated move other than a handout may not reach the unknown lot below zero)."""
    available = sum(b.on_hand for b in balances if b.on_hand > 0)
    if available < line.quantity:
        raise InsufficientStock(f"Only {available} on hand; cannot remove {line.quantity}.",
                                field=line.field or "lines")


@dataclass(frozen=True)
class Posted:
    """What the ledger wrote: the event id, whether a handout outran known stock, and the
    stored lines ``(item_id, lot_id, signed quantity)`` (an allocated move's lots)."""

    id: int
    discrepancy: bool
    lines: tuple[tuple[int, int | None, int], ...] = ()


def post_event(*, kind: str, site_id: int, occurred_at: datetime, client_id: UUID,
               lines: list[Line], user_id: int | None = None, allocate: bool = False,
               usable_from=None, counted: bool = False, **header) -> Posted:
    """Write one ledger event with its lines and update the balances under lock.

    ``allocate`` (distributions, transfers): each line without a lot takes its positive
    ``quantity`` split across lots FEFO, stored as negative lines; only a distribution may take
    more than the lots hold; ``usable_from`` (a date) leaves out lots that expired before it.
    Lines naming a lot, and every line without ``allocate``, are stored as given.
    ``counted`` (counts): each line's ``quantity`` is the level found on the shelf; the line
    stored is its difference from the balance under lock, and none where they agree.
    ``header`` holds the optional event columns (fingerprint, reverses_id, counterpart_site_id,
    document_ref, reason_code, note). On PostgreSQL a handout is written by the
    ``record_handout`` function instead (inventory.encounters.writes), which follows these rules.
    Raises InsufficientStock when a kind other than distribution would take a balance below zero.
    """
    keys = {(line.item_id, line.lot_id) for line in lines}
    balances = _locked_balances(site_id, keys)
    by_item: dict[int, list[_Balance]] = defaultdict(list)
    for balance in balances:
        by_item[balance.item_id].append(balance)
    by_key = {(b.item_id, b.lot_id): b for b in balances}

    stored: list[tuple[int, int | None, int]] = []
    for line in lines:
        if allocate and line.lot_id is None:
            usable = [b for b in by_item[line.item_id] if usable_from is None
                      or b.expires_on is None or b.expires_on >= usable_from]
            if kind not in MAY_GO_NEGATIVE:
                _check_available(line, usable)
            for lot_id, take in _fefo(line.quantity, usable):
                stored.append((line.item_id, lot_id, -take))
                by_key[(line.item_id, lot_id)].on_hand -= take
        elif counted:
            balance = by_key[(line.item_id, line.lot_id)]
            change, balance.on_hand = line.quantity - balance.on_hand, line.quantity
            if change:
                stored.append((line.item_id, line.lot_id, change))
        else:
            balance = by_key[(line.item_id, line.lot_id)]
            balance.on_hand += line.quantity
            if line.quantity < 0 and balance.on_hand < 0 and kind not in MAY_GO_NEGATIVE:
                available = balance.on_hand - line.quantity
                raise InsufficientStock(
                    f"Only {max(available, 0)} on hand; cannot remove {-line.quantity}.",
                    field=line.field or "lines",
                )
            stored.append((line.item_id, line.lot_id, line.quantity))

    # The flag is the point of letting a handout through: the shelf had more than we knew.
    discrepancy = kind in MAY_GO_NEGATIVE and any(
        by_key[(item_id, None)].on_hand < 0 for item_id, lot_id, _ in stored if lot_id is None
    )
    unknown = set(header) - set(EVENT_COLUMNS)
    if unknown:
        raise TypeError(f"unknown event columns {sorted(unknown)}")
    header = {column: header.get(column) for column in EVENT_COLUMNS} | {
        "kind": kind, "site_id": site_id, "occurred_at": occurred_at, "recorded_at": utcnow(),
        "client_id": client_id, "user_id": user_id, "discrepancy": discrepancy}
    touched = sorted({(i, lot) for i, lot, _ in stored}, key=lambda k: (k[0], k[1] or 0))
    rows = EventRows(header, stored, [(by_key[key].id, by_key[key].on_hand) for key in touched])
    return Posted(id=write_event(db.session.connection(), rows), discrepancy=discrepancy,
                  lines=tuple(stored))


def reverse_event(original: StockEvent, *, client_id: UUID, user_id: int | None,
                  note: str | None = None) -> Posted:
    """Write the event that undoes ``original``: same lines, opposite signs, same occurred_at.

    The reversal is dated like the original because it corrects that event: a period's
    figures re-run after a void no longer count it. Raises InsufficientStock if undoing a
    receipt would take a balance below zero.
    """
    lines = [
        Line(item_id=line.item_id, lot_id=line.lot_id, quantity=-line.quantity, field="id")
        for line in original.lines
    ]
    return post_event(kind="reversal", site_id=original.site_id, occurred_at=original.occurred_at,
                      client_id=client_id, lines=lines, user_id=user_id,
                      reverses_id=original.id, counterpart_site_id=original.counterpart_site_id,
                      note=note)
