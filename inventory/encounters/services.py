"""Recording and voiding anonymous handout visits. The caller commits."""
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from inventory.auth.permissions import ENCOUNTER_READERS, ensure_site_access, site_scope
from inventory.catalog.lookup import item_by_code, items_by_code, site_by_code
from inventory.database import utcnow
from inventory.encounters.models import Encounter, EncounterItem, EncounterReferral
from inventory.errors import Conflict, Forbidden, InvalidInput, NotFound
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.participants.hashing import hash_code
from inventory.participants.services import DEMOGRAPHIC_FIELDS, participant_for
from inventory.settings.models import ProgramSettings
from inventory.stock.ledger import Line, post_event, reverse_event
from inventory.stock.services import check_occurred_at

# Reversal events get a client_id derived from the encounter's, so a void is written once.
_VOID_NAMESPACE = uuid.UUID("6f1c2a4e-9d0b-4c55-8a51-3f3e0c7b9e21")


def record_encounter(user, data: dict) -> tuple[Encounter, bool]:
    """Record a handout visit and its distribution event. Returns ``(encounter, created)``.

    Distribution is never blocked: stock no lot covers is taken from the unknown lot and the
    event is flagged. Raises InvalidInput (unknown site/item, item listed twice, future
    occurred_at, empty participant code), Forbidden (site not assigned), Conflict (client_id
    reused with a different body).
    """
    site = site_by_code(data["site"])
    ensure_site_access(user, site)
    check_occurred_at(data["occurred_at"])
    items = items_by_code([line["item"] for line in data["items"]])
    lines, seen = [], set()
    for index, raw in enumerate(data["items"]):
        item = item_by_code(raw["item"], f"items.{index}.item", items)
        if item.id in seen:
            raise InvalidInput(f"{item.code} is listed twice.", field=f"items.{index}.item")
        seen.add(item.id)
        lines.append(Line(item_id=item.id, quantity=raw["quantity"]))

    payload = {k: v for k, v in data.items() if k != "participant_code"}
    code_hash = None
    if data.get("participant_code"):
        try:
            code_hash = hash_code(data["participant_code"])
        except ValueError:
            raise InvalidInput("The participant code has no letters or digits.",
                               field="participant_code") from None
    payload["participant"] = code_hash
    print_ = fingerprint(payload)

    def create() -> Encounter:
        participant = (participant_for(code_hash, site.id, data) if code_hash else None)
        encounter = Encounter(
            client_id=data["client_id"], fingerprint=print_, site_id=site.id,
            occurred_at=data["occurred_at"], user_id=user.id,
            participant_id=participant.id if participant else None,
            encounter_type=data["encounter_type"],
            **{k: data[k] for k in ("syringes_returned", "returns_estimated", "secondary_people",
                                    "naloxone_used", "reversals_reported")},
        )
        encounter.items = [EncounterItem(item_id=l.item_id, quantity=l.quantity) for l in lines]
        encounter.referrals = [EncounterReferral(referral_type=r)
                               for r in sorted(set(data["referrals"]))]
        db.session.add(encounter)
        if lines:
            event = post_event(kind="distribution", site_id=site.id,
                               occurred_at=data["occurred_at"], client_id=data["client_id"],
                               lines=lines, user_id=user.id, allocate=True)
            encounter.stock_event_id = event.id
        db.session.flush()
        return encounter

    return create_once(Encounter, data["client_id"], print_, create)


def get_encounter(user, encounter_id: int) -> Encounter:
    """The encounter, if ``user`` may read it. Raises NotFound, Forbidden."""
    if user.role not in ENCOUNTER_READERS:
        raise Forbidden("Your role cannot read encounters.")
    encounter = db.session.get(Encounter, encounter_id)
    if encounter is None:
        raise NotFound(f"No encounter {encounter_id}.", field="id")
    ensure_site_access(user, encounter.site)
    return encounter


def void_encounter(user, encounter_id: int, reason: str) -> Encounter:
    """Void a handout: a reversing stock event is written and the encounter marked void.

    Repeating the same void is a no-op; a second void with another reason is a Conflict.
    Raises NotFound, Forbidden, InvalidInput (blank reason), Conflict.
    """
    encounter = get_encounter(user, encounter_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("A reason is required.", field="reason")
    if encounter.is_void:
        if encounter.void_reason == reason:
            return encounter
        raise Conflict("This encounter is already void.", field="id")
    if encounter.stock_event_id is not None:
        from inventory.stock.models import StockEvent

        original = db.session.get(StockEvent, encounter.stock_event_id)
        reversal = reverse_event(original, user_id=user.id, note=f"void: {reason}",
                                 client_id=uuid.uuid5(_VOID_NAMESPACE, str(encounter.client_id)))
        encounter.void_event_id = reversal.id
    encounter.voided_at = utcnow()
    encounter.void_reason = reason
    encounter.void_user_id = user.id
    db.session.flush()
    return encounter


def local_day_bounds(day_from: date | None, day_to: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC bounds [start, end) of the local days ``day_from``..``day_to`` (program timezone)."""
    settings = db.session.get(ProgramSettings, 1)
    zone = ZoneInfo(settings.timezone if settings else "UTC")
    start = datetime.combine(day_from, time(), zone) if day_from else None
    end = datetime.combine(day_to + timedelta(days=1), time(), zone) if day_to else None
    return start, end


def encounters_query(user, site_code: str | None, day_from: date | None,
                     day_to: date | None) -> Select:
    """Encounters ``user`` may read, newest first, filtered by site and local dates.

    Raises Forbidden (role, or a site not assigned), InvalidInput (unknown site, bad range).
    """
    if user.role not in ENCOUNTER_READERS:
        raise Forbidden("Your role cannot read encounters.")
    if day_from and day_to and day_from > day_to:
        raise InvalidInput("'from' is after 'to'.", field="from")
    stmt = select(Encounter).order_by(Encounter.occurred_at.desc(), Encounter.id.desc())
    if site_code:
        site = site_by_code(site_code, active_only=False)
        ensure_site_access(user, site)
        stmt = stmt.where(Encounter.site_id == site.id)
    elif (scope := site_scope(user)) is not None:
        stmt = stmt.where(Encounter.site_id.in_(scope or {-1}))
    start, end = local_day_bounds(day_from, day_to)
    if start:
        stmt = stmt.where(Encounter.occurred_at >= start)
    if end:
        stmt = stmt.where(Encounter.occurred_at < end)
    return stmt
