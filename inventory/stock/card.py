"""The stock card of one site × item: every ledger line, oldest first, with the running
balance after it, who recorded it, when and why. Read-only; CSV export for auditors."""
import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from inventory.auth.models import User
from inventory.auth.permissions import ensure_site_access
from inventory.catalog.models import Item, Lot, Site
from inventory.errors import NotFound
from inventory.extensions import db
from inventory.labels import N_
from inventory.settings.services import current_settings
from inventory.stock.models import StockEvent, StockEventLine, StockReason
from inventory.stock.shelf import site_or_404
from reports.safe_text import csv_text

KIND_LABELS = {
    "receipt": N_("Received"), "distribution": N_("Handed out"),
    "transfer_out": N_("Transfer sent"), "transfer_in": N_("Transfer received"),
    "adjustment": N_("Adjustment"), "count": N_("Count"), "disposal": N_("Disposed of"),
    "reversal": N_("Correction (reverses an earlier entry)"),
}


def _english(message: str, **values) -> str:
    return message % values if values else message


@dataclass
class CardLine:
    event_id: int
    occurred_at: datetime
    recorded_at: datetime
    kind: str
    lot: str | None
    quantity: int
    balance: int
    who: str | None
    why: str


def site_and_item(user, site_code: str, item_code: str) -> tuple[Site, Item]:
    """Raises NotFound (site or item), Forbidden (site not assigned to ``user``)."""
    site = site_or_404(site_code)
    ensure_site_access(user, site)
    item = db.session.scalar(select(Item).where(Item.code == item_code))
    if item is None:
        raise NotFound(f"No item {item_code}.", field="item")
    return site, item


def _why(kind, reason, note, document_ref, counterpart, reverses_id, say=_english) -> str:
    """Why the line is there, in words; ``say`` translates a message id (the page passes
    Flask-Babel's gettext; the CSV for auditors stays English)."""
    parts = [say(KIND_LABELS[kind]) if kind in KIND_LABELS else kind]
    if reverses_id:
        parts.append(say(N_("of entry %(entry)s"), entry=reverses_id))
    if counterpart:
        if kind == "transfer_out":
            parts.append(say(N_("(to %(site)s)"), site=counterpart))
        elif kind == "transfer_in":
            parts.append(say(N_("(from %(site)s)"), site=counterpart))
        else:
            parts.append(say(N_("(site %(site)s)"), site=counterpart))
    if reason:
        parts.append(f"· {say(reason)}")  # seeded reason labels are catalogue messages
    if note:
        parts.append(f"· {note}")
    if document_ref:
        parts.append(say(N_("· ref %(ref)s"), ref=document_ref))
    return " ".join(parts)


def all_card_lines(site: Site, item: Item, say=_english) -> list[CardLine]:
    """Every line, oldest first (by occurred_at, then as recorded), with running balances."""
    counterpart = aliased(Site)
    rows = db.session.execute(
        select(StockEvent.id, StockEvent.occurred_at, StockEvent.recorded_at, StockEvent.kind,
               Lot.lot_code, StockEventLine.quantity, User.email, StockReason.label,
               StockEvent.note, StockEvent.document_ref, counterpart.code,
               StockEvent.reverses_id)
        .join(StockEventLine, StockEventLine.event_id == StockEvent.id)
        .outerjoin(Lot, Lot.id == StockEventLine.lot_id)
        .outerjoin(User, User.id == StockEvent.user_id)
        .outerjoin(StockReason, StockReason.code == StockEvent.reason_code)
        .outerjoin(counterpart, counterpart.id == StockEvent.counterpart_site_id)
        .where(StockEvent.site_id == site.id, StockEventLine.item_id == item.id)
        .order_by(StockEvent.occurred_at, StockEvent.id, StockEventLine.id))
    lines, balance = [], 0
    for (event_id, occurred, recorded, kind, lot, quantity, who, reason, note, ref, other,
         reverses) in rows:
        balance += quantity
        lines.append(CardLine(event_id, occurred, recorded, kind, lot, quantity, balance, who,
                              _why(kind, reason, note, ref, other, reverses, say)))
    return lines


def card_lines(site: Site, item: Item, limit: int,
               say=_english) -> tuple[list[CardLine], int]:
    """The newest ``limit`` lines, newest first, and how many there are in all (``say``: see
    :func:`_why`)."""
    lines = all_card_lines(site, item, say)
    return lines[::-1][:limit], len(lines)


def card_csv(site: Site, item: Item) -> str:
    """Every line as CSV (times in the program timezone; text guarded against formulas)."""
    zone = ZoneInfo(current_settings().timezone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["site", "item", "entry", "occurred_at", "recorded_at", "what", "lot",
                     "quantity", "balance", "recorded_by"])
    for line in all_card_lines(site, item):
        writer.writerow([csv_text(site.code), csv_text(item.code), line.event_id,
                         line.occurred_at.astimezone(zone).isoformat(timespec="seconds"),
                         line.recorded_at.astimezone(zone).isoformat(timespec="seconds"),
                         csv_text(line.why), csv_text(line.lot or ""), line.quantity,
                         line.balance, csv_text(line.who or "")])
    return out.getvalue()
