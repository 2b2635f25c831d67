"""The demo's supply chain: monthly receipts at the warehouse, weekly transfers to the sites,
monthly shelf counts, expired-stock disposals and the odd damaged or lost item."""
import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from inventory.demo.ledger import DemoLedger


@dataclass(frozen=True)
class DemoItem:
    id: int
    code: str
    pack_size: int
    tracks_expiry: bool


def _round_up(qty: float, step: int) -> int:
    return -(-int(qty + 0.999) // step) * step


class Supply:
    """Keeps every site stocked a little ahead of what it will hand out."""

    def __init__(self, ledger: DemoLedger, rng: random.Random, items: list[DemoItem],
                 warehouse: int, usage: dict[int, dict[int, float]],
                 visits: dict[int, list[int]], start: date, coordinator: int):
        self.ledger, self.rng, self.items = ledger, rng, items
        self.warehouse, self.usage, self.start = warehouse, usage, start
        self.user = coordinator
        # Visits per site per day, as prefix sums, to forecast demand over any window.
        self.prefix = {site: [0, *accumulate(days)] for site, days in visits.items()}
        self.days = len(next(iter(visits.values()), []))
        self.documents = 0
        self.lot_seq = 0

    def _doc(self, prefix: str) -> str:
        self.documents += 1
        return f"{prefix}-{self.documents:05d}"

    def demand(self, site: int, item: int, day: int, span: int) -> float:
        prefix = self.prefix[site]
        visits = prefix[min(day + span, self.days)] - prefix[min(day, self.days)]
        return visits * self.usage[site].get(item, 0.0)

    def receive(self, day: int, at: int, span: int, *, short_dated: bool = False,
                backordered: tuple[str, ...] = ()) -> None:
        """A purchase order at the warehouse covering ``span`` days of program demand.

        ``backordered`` items do not arrive (a supplier shortage); sites then run short and
        their handouts are flagged as discrepancies until the monthly count settles them.
        """
        lines = []
        today = self.start + timedelta(days=day)
        for item in self.items:
            if item.code in backordered:
                continue
            need = sum(self.demand(site, item.id, day, span) for site in self.prefix) * 1.15
            need -= self.ledger.on_hand(self.warehouse, item.id)
            if need <= 0:
                continue
            if short_dated and item.code == "NARCAN-4MG":
                # A donated short-dated lot: FEFO sends it out first, yet some of it expires
                # on the shelves and is disposed of.
                donated = _round_up(need * 0.5, item.pack_size)
                lines.append((item.id, self._lot(item, today, today + timedelta(days=35)),
                              donated))
                need -= donated
            if need > 0:
                expires = None
                if item.tracks_expiry:
                    expires = today + timedelta(days=30 * self.rng.randint(14, 30))
                lines.append((item.id, self._lot(item, today, expires),
                              _round_up(need, item.pack_size)))
        if lines:
            self.ledger.event("receipt", self.warehouse, at, lines, doc=self._doc("PO"),
                              user=self.user)

    def _lot(self, item: DemoItem, today: date, expires: date | None) -> int:
        self.lot_seq += 1
        code = f"{item.code[:3]}{today:%y%m}-{self.lot_seq:04d}"
        return self.ledger.new_lot(item.id, code, expires)

    def replenish(self, day: int, at: int, span: int = 14) -> None:
        """Ship each site what it needs for the next ``span`` days, with a safety margin."""
        for site in self.prefix:
            wants = []
            for item in self.items:
                need = self.demand(site, item.id, day, span) * 1.3
                need -= self.ledger.on_hand(site, item.id)
                if need > 0:
                    step = item.pack_size if need >= item.pack_size else min(item.pack_size, 10)
                    wants.append((item.id, _round_up(need, step)))
            if wants:
                self.ledger.transfer(self.warehouse, site, at, wants, self._doc("TR"), self.user)

    def dispose_expired(self, day: int, at: int) -> None:
        today = self.start + timedelta(days=day)
        for site in (self.warehouse, *self.prefix):
            moves = [move for item in self.items if item.tracks_expiry
                     for move in self.ledger.expired(site, item.id, today)]
            if moves:
                self.ledger.event("disposal", site, at, moves, reason="expired", user=self.user)

    def count(self, at: int) -> None:
        """Monthly shelf count at each site: settle the unknown lot, note small variances."""
        ledger, rng = self.ledger, self.rng
        for site in self.prefix:
            moves, settled = [], set()
            for item in self.items:
                missing = -ledger.unknown[(site, item.id)]
                if missing > 0:
                    # The handouts came off real lots: move them there, as far as the lots go.
                    moves.append((item.id, None, missing))
                    moves.extend(ledger.take_fefo(site, item.id, missing))
                    settled.add(item.id)
            if rng.random() < 0.4:
                item = rng.choice(self.items)
                # One line per lot in an event: leave items already settled above alone.
                if item.id not in settled and ledger.lot_stock(site, item.id) >= 10:
                    moves.extend(ledger.take_fefo(site, item.id, rng.randint(1, 4)))
            if moves:
                ledger.event("count", site, at, moves, reason="count_variance", user=self.user,
                             doc=self._doc("CNT"))

    def mishaps(self, at: int, van: int, peer: int, by_code: dict[str, DemoItem]) -> None:
        """Now and then: damaged supplies on the van, a bag lost by a peer, a box found."""
        ledger, rng = self.ledger, self.rng
        roll = rng.random()
        if roll < 0.015:
            item = by_code[rng.choice(("WOUND-KIT", "WATER-10ML", "SHARPS-1QT"))]
            moves = ledger.take_fefo(van, item.id, rng.randint(1, 3))
            if moves:
                ledger.event("disposal", van, at, moves, reason="damaged", user=self.user)
        elif roll < 0.025:
            moves = ledger.take_fefo(peer, by_code["NARCAN-4MG"].id, rng.randint(2, 6))
            if moves:
                ledger.event("adjustment", peer, at, moves, reason="lost", user=self.user,
                             note="Backpack lost on route")
        elif roll < 0.03:
            ledger.event("adjustment", van, at, [(by_code["FTS"].id, None, 20)], reason="found",
                         user=self.user, note="Box found under the van seat")
