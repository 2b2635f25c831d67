"""The demo program behind ``flask seed-demo``: realistic data, written fast.

Sites, users and settings go through the ORM and services; the year of handouts and stock
movements is simulated in memory and bulk-written (see :mod:`inventory.demo.bulk`), then the
balances are computed from the ledger in one statement, so they equal it by construction.
"""
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, insert, literal, select

from inventory.catalog.models import Item
from inventory.catalog.seed import seed_catalogue
from inventory.database import utcnow
from inventory.demo.bulk import BulkWriter
from inventory.demo.program import (STAFF_SITES, Login, create_sites, create_users,
                                    ensure_catalogue, ensure_empty, ensure_settings)
from inventory.demo.supply import DemoItem
from inventory.demo.year import Year
from inventory.extensions import db
from inventory.kits.seed import seed_kits
from inventory.stock.check import ledger_totals
from inventory.stock.models import StockBalance
from inventory.stock.seed import seed_reasons
from inventory.types import UTCDateTime

# Tables whose ids the load allocates itself (PostgreSQL serials are moved past them).
LOADED_TABLES = ["lot", "participant", "stock_event", "stock_event_line", "encounter"]
CHILD_TABLES = ["encounter_item", "encounter_referral"]


@dataclass
class DemoResult:
    logins: list[Login]
    written: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def fill_balances() -> int:
    """Insert one balance per (site, item, lot) of the ledger, equal to its sum. Returns rows."""
    ledger = ledger_totals()
    balance = StockBalance.__table__
    totals = select(ledger.c.site_id, ledger.c.item_id, ledger.c.lot_id, ledger.c.lot_key,
                    ledger.c.total, literal(utcnow(), UTCDateTime()))
    db.session.execute(insert(balance).from_select(
        ["site_id", "item_id", "lot_id", "lot_key", "on_hand", "updated_at"], totals))
    return db.session.scalar(select(func.count()).select_from(balance))


def seed_demo(events: int, *, seed: int = 1, password: str | None = None,
              echo: Callable[[str], None] = print) -> DemoResult:
    """Create the demo program with ``events`` encounters over the past year. Flushes only.

    Seeds the standard catalogue, kits and reasons when missing. Raises InvalidInput when the database
    already has sites, stock or encounters, the catalogue lacks a standard item the demo hands
    out, or a demo user's email is taken.
    """
    began = time.monotonic()
    ensure_empty()
    seed_catalogue()
    seed_reasons()
    ensure_catalogue()
    seed_kits()
    settings = ensure_settings()
    sites = create_sites()
    logins, users = create_users(password)
    db.session.flush()
    result = DemoResult(logins)
    if events:
        items = [DemoItem(i.id, i.code, i.pack_size, i.tracks_expiry)
                 for i in db.session.scalars(select(Item).order_by(Item.display_order))]
        writer = BulkWriter(db.session.connection())
        staff_sites = {sid for spec, sid in sites if spec.code in STAFF_SITES}
        loaded = [db.metadata.tables[name] for name in LOADED_TABLES + CHILD_TABLES]
        with writer.foreign_keys_checked_after(loaded):
            Year(writer, random.Random(seed), sites=sites, items=items, users=users,
                 staff_sites=staff_sites, tz=settings.timezone, echo=echo).run(events)
            if not writer.sqlite:
                echo("  checking foreign keys")
        echo("  computing balances from the ledger")
        writer.written["stock_balance"] = fill_balances()
        writer.fix_sequences(LOADED_TABLES)
        result.written = dict(writer.written)
    result.seconds = time.monotonic() - began
    return result
