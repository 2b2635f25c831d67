"""Builders of ledger and encounter rows for the report tests, written with the models directly
(the ledger services are the lead's; these keep the same shapes: a handout is an encounter plus a
distribution event with negative lines, a void is a reversal at the original's time, and the
balance table follows the ledger)."""
import itertools
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from inventory.catalog.models import Item, Lot, Site
from inventory.encounters.models import Encounter, EncounterItem, EncounterReferral
from inventory.extensions import db
from inventory.participants.models import Participant
from inventory.settings.models import ProgramSettings
from inventory.stock.models import StockBalance, StockEvent, StockEventLine

_seq = itertools.count(1)


def item(code: str) -> Item:
    return db.session.scalar(select(Item).where(Item.code == code))


def site(code: str) -> Site:
    found = db.session.scalar(select(Site).where(Site.code == code))
    if found is None:
        found = Site(code=code, name=f"Site {code}", kind="fixed", active=True)
        db.session.add(found)
        db.session.flush()
    return found


def settings(timezone="UTC", threshold=11, fiscal_start=7) -> ProgramSettings:
    row = db.session.scalar(select(ProgramSettings))
    if row is None:
        row = ProgramSettings(program_name="Test Program")
        db.session.add(row)
    row.timezone, row.suppression_threshold = timezone, threshold
    row.fiscal_year_start_month = fiscal_start
    db.session.flush()
    return row


def lot(item_code: str, expires_on, code: str | None = None) -> Lot:
    row = Lot(item_id=item(item_code).id, lot_code=code or f"L{next(_seq)}", expires_on=expires_on)
    db.session.add(row)
    db.session.flush()
    return row


def _balance(site_id: int, item_id: int, lot_id, quantity: int) -> None:
    row = db.session.scalar(select(StockBalance).where(
        StockBalance.site_id == site_id, StockBalance.item_id == item_id,
        StockBalance.lot_key == (lot_id or 0)))
    if row is None:
        row = StockBalance(site_id=site_id, item_id=item_id, lot_id=lot_id, lot_key=lot_id or 0,
                           on_hand=0)
        db.session.add(row)
    row.on_hand += quantity


def event(kind: str, site_code: str, at: datetime, lines, counterpart=None,
          reverses=None) -> StockEvent:
    """Write one ledger event; ``lines`` are (item code, signed quantity[, Lot])."""
    header = StockEvent(kind=kind, site_id=site(site_code).id, occurred_at=at,
                        recorded_at=datetime.now(UTC), client_id=uuid.uuid4(),
                        counterpart_site_id=site(counterpart).id if counterpart else None,
                        reverses_id=reverses.id if reverses else None)
    db.session.add(header)
    db.session.flush()
    for code, quantity, *rest in lines:
        lot_row = rest[0] if rest else None
        item_id = item(code).id
        db.session.add(StockEventLine(event_id=header.id, item_id=item_id,
                                      lot_id=lot_row.id if lot_row else None, quantity=quantity))
        _balance(header.site_id, item_id, lot_row.id if lot_row else None, quantity)
    db.session.flush()
    return header


def participant(code: str, first_seen: datetime, age=None, gender=None, race=None) -> Participant:
    row = Participant(code_hash=code.ljust(64, "0")[:64], first_seen_at=first_seen,
                      age_range=age, gender=gender, race_ethnicity=race)
    db.session.add(row)
    db.session.flush()
    return row


def handout(site_code: str, at: datetime, items: dict[str, int], who: Participant | None = None,
            returned=0, secondary=0, used=0, reversals=0, referrals=(), estimated=False,
            kind="site") -> Encounter:
    """An encounter and its distribution event (unknown lot, negative lines)."""
    dist = event("distribution", site_code, at, [(c, -q) for c, q in items.items()])
    enc = Encounter(client_id=uuid.uuid4(), fingerprint="f" * 64, site_id=site(site_code).id,
                    occurred_at=at, participant_id=who.id if who else None, encounter_type=kind,
                    syringes_returned=returned, returns_estimated=estimated,
                    secondary_people=secondary, naloxone_used=used, reversals_reported=reversals,
                    stock_event_id=dist.id)
    enc.items = [EncounterItem(item_id=item(c).id, quantity=q) for c, q in items.items()]
    enc.referrals = [EncounterReferral(referral_type=r) for r in referrals]
    db.session.add(enc)
    db.session.flush()
    return enc


def void(enc: Encounter, at: datetime, reason="entered twice") -> StockEvent:
    """Void ``enc`` at ``at``: a reversal at the original's occurred_at, opposite lines."""
    original = db.session.get(StockEvent, enc.stock_event_id)
    reversal = event("reversal", enc.site.code, original.occurred_at,
                     [(ln.item.code, -ln.quantity, *([ln.lot] if ln.lot else []))
                      for ln in original.lines], reverses=original)
    reversal.recorded_at = at
    enc.voided_at, enc.void_reason, enc.void_event_id = at, reason, reversal.id
    db.session.flush()
    return reversal


def run_report(template: str, period, site_ids=None, site_codes=None, generated_at=None,
               exact_for=None):
    """Build a report on the session's own connection (a second SQLite connection would wait
    for the test's write lock)."""
    from reports import build_report

    return build_report(db.session.connection(), template, period, site_ids, site_codes,
                        generated_at=generated_at, exact_for=exact_for)
