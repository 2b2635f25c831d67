"""An in-memory stock ledger for the demo: lot balances per site, and the rows to write.

It follows the rules of :mod:`inventory.stock.ledger`: a handout takes lots first-expired-first-out
and puts what no lot covers on the unknown lot (which may go negative: a flagged discrepancy);
every other movement is kept at or above zero by the caller asking only for what is there.
"""
import bisect
import uuid
from collections import defaultdict
from datetime import date

from inventory.demo.bulk import BulkWriter

EVENT_COLUMNS = ("id", "kind", "site_id", "occurred_at", "recorded_at", "user_id", "client_id",
                 "fingerprint", "reverses_id", "counterpart_site_id", "document_ref",
                 "reason_code", "note", "discrepancy")
LINE_COLUMNS = ("id", "event_id", "item_id", "lot_id", "quantity")
LOT_COLUMNS = ("id", "item_id", "lot_code", "expires_on")

Moves = list[tuple[int, int | None, int]]  # (item_id, lot_id, signed quantity)


class DemoLedger:
    """Balances by (site, item) and the pending event, line and lot rows."""

    def __init__(self, writer: BulkWriter):
        self.w = writer
        self.next_event = writer.next_id("stock_event")
        self.next_line = writer.next_id("stock_event_line")
        self.next_lot = writer.next_id("lot")
        # (site, item) -> sorted [[sort_key, lot_id, qty]]; lots at zero are dropped.
        self.lots: dict[tuple[int, int], list[list]] = defaultdict(list)
        self.unknown: dict[tuple[int, int], int] = defaultdict(int)
        self.lot_key: dict[int, tuple] = {}
        self.lot_expiry: dict[int, date | None] = {}
        self.events: list[tuple] = []
        self.lines: list[tuple] = []
        self.new_lots: list[tuple] = []

    # -- balances -------------------------------------------------------------------------------
    def on_hand(self, site: int, item: int) -> int:
        return sum(entry[2] for entry in self.lots[(site, item)]) + self.unknown[(site, item)]

    def lot_stock(self, site: int, item: int) -> int:
        return sum(entry[2] for entry in self.lots[(site, item)])

    def _put(self, site: int, item: int, lot: int | None, qty: int) -> None:
        if lot is None:
            self.unknown[(site, item)] += qty
            return
        shelf = self.lots[(site, item)]
        for entry in shelf:
            if entry[1] == lot:
                entry[2] += qty
                if entry[2] == 0:
                    shelf.remove(entry)
                return
        bisect.insort(shelf, [self.lot_key[lot], lot, qty])

    def _take(self, site: int, item: int, qty: int) -> list[tuple[int, int]]:
        """Take up to ``qty`` from lots FEFO; returns [(lot_id, taken)]."""
        shelf = self.lots[(site, item)]
        taken = []
        while qty and shelf:
            entry = shelf[0]
            take = min(qty, entry[2])
            taken.append((entry[1], take))
            qty -= take
            entry[2] -= take
            if entry[2] == 0:
                shelf.pop(0)
        return taken

    # -- rows -----------------------------------------------------------------------------------
    def new_lot(self, item: int, code: str, expires_on: date | None) -> int:
        lot = self.next_lot
        self.next_lot += 1
        self.lot_key[lot] = (expires_on is None, expires_on or date.min, lot)
        self.lot_expiry[lot] = expires_on
        self.new_lots.append((lot, item, code, expires_on.isoformat() if expires_on else None))
        return lot

    def event(self, kind: str, site: int, at: int, moves: Moves, *, user: int | None = None,
              recorded: int | None = None, counterpart: int | None = None, doc: str | None = None,
              reason: str | None = None, note: str | None = None, reverses: int | None = None,
              discrepancy: bool = False, applied: bool = False) -> int:
        """Record an event with ``moves`` and apply them to the balances (unless ``applied``)."""
        event_id = self.next_event
        self.next_event += 1
        w = self.w
        self.events.append((
            event_id, kind, site, w.ts(at), w.ts(recorded or at), user, w.uuid(uuid.uuid4()),
            None, reverses, counterpart, doc, reason, note,
            discrepancy,
        ))
        line_id = self.next_line
        for item, lot, qty in moves:
            self.lines.append((line_id, event_id, item, lot, qty))
            line_id += 1
            if not applied:
                self._put(site, item, lot, qty)
        self.next_line = line_id
        return event_id

    def distribute(self, site: int, at: int, wants: list[tuple[int, int]], **header) -> tuple[int, Moves]:
        """A handout of ``wants`` [(item, qty)]: FEFO, remainder on the unknown lot."""
        moves: Moves = []
        short = False
        unknown = self.unknown
        for item, qty in wants:
            for lot, take in self._take(site, item, qty):
                moves.append((item, lot, -take))
                qty -= take
            if qty:
                moves.append((item, None, -qty))
                unknown[(site, item)] -= qty
                short = short or unknown[(site, item)] < 0
        event_id = self.event("distribution", site, at, moves, discrepancy=short, applied=True,
                              **header)
        return event_id, moves

    def reverse(self, original: int, site: int, at: int, moves: Moves, **header) -> int:
        back = [(item, lot, -qty) for item, lot, qty in moves]
        return self.event("reversal", site, at, back, reverses=original, **header)

    def transfer(self, source: int, dest: int, at: int, wants: list[tuple[int, int]],
                 doc: str, user: int | None) -> bool:
        """Ship what the source has of ``wants`` (FEFO by lot); received two hours later."""
        moves: Moves = []
        for item, qty in wants:
            moves.extend((item, lot, take) for lot, take in self._take(source, item, qty))
        if not moves:
            return False
        self.event("transfer_out", source, at, [(i, lot, -q) for i, lot, q in moves],
                   counterpart=dest, doc=doc, user=user, applied=True)
        self.event("transfer_in", dest, at + 7200, moves, counterpart=source, doc=doc, user=user)
        return True

    def take_fefo(self, site: int, item: int, qty: int) -> Moves:
        """Negative moves for up to ``qty`` from the lots, FEFO (never below zero).

        Only reads the lots: :meth:`event` applies the moves."""
        moves = []
        for _, lot, on_hand in self.lots[(site, item)]:
            if not qty:
                break
            take = min(qty, on_hand)
            moves.append((item, lot, -take))
            qty -= take
        return moves

    def expired(self, site: int, item: int, today: date) -> Moves:
        """Negative moves emptying every lot at (site, item) that expired before ``today``."""
        return [(item, lot, -qty) for _, lot, qty in self.lots[(site, item)]
                if self.lot_expiry[lot] is not None and self.lot_expiry[lot] < today]

    def flush(self) -> None:
        """Write pending lots, events and lines (in that order, for the foreign keys)."""
        self.w.write("lot", LOT_COLUMNS, self.new_lots)
        self.w.write("stock_event", EVENT_COLUMNS, self.events)
        self.w.write("stock_event_line", LINE_COLUMNS, self.lines)
        self.new_lots, self.events, self.lines = [], [], []
