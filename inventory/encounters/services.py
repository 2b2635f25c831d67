"""Recording and voiding anonymous handout visits. The caller commits."""
import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, select

from inventory.auth.permissions import ENCOUNTER_READERS, ensure_site_access
from inventory.catalog.lookup import (item_by_code, only_visible_sites, require_active,
                                      site_and_items)
from inventory.database import begin_write, utcnow
from inventory.encounters.models import Encounter
from inventory.encounters.records import EncounterRecord
from inventory.encounters.writes import write_encounter, write_handout
from inventory.errors import Conflict, Forbidden, InvalidInput, NotFound
from inventory.extensions import db
from inventory.idempotency import create_once, fingerprint
from inventory.onsite.services import active_codes
from inventory.participants.hashing import hash_code
from inventory.participants.services import participant_values
from inventory.settings.services import local_day_bounds
from inventory.stock.ledger import Line, post_event, reverse_event
from inventory.stock.models import StockEvent
from inventory.stock.services import check_occurred_at
from inventory.types import as_utc

# Reversal events get a client_id derived from the encounter's, so a void is written once.
_VOID_NAMESPACE = uuid.UUID("6f1c2a4e-9d0b-4c55-8a51-3f3e0c7b9e21")
# Fields added by issue 15 and their defaults. Left out of the fingerprint while at the default,
# so a device replaying a visit it sent before they existed still gets its 200, not a 409.
_LATER_FIELDS = {"services": [], "entered_treatment_reported": 0, "secondary_syringes": 0,
                 "reversals_with_program_naloxone": 0, "returns_weight_lb": None}
_COUNTS = ("syringes_returned", "returns_estimated", "secondary_people", "naloxone_used",
           "reversals_reported", "entered_treatment_reported", "secondary_syringes",
           "reversals_with_program_naloxone")


def _weight(value: float | None) -> Decimal | None:
    """Pounds to the stored two decimals."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_linkage(data: dict, syringes_handed_out: int) -> list[str]:
    """The visit's service codes, sorted, once each. Raises InvalidInput naming the field:
    an unknown or hidden service, secondary syringes above the syringes handed out, reversals
    with the program's naloxone above the reversals reported."""
    if data["services"]:
        known = active_codes()
        for index, code in enumerate(data["services"]):
            if code not in known:
                raise InvalidInput(f"Unknown service {code!r}; GET /api/v1/services lists them.",
                                   field=f"services.{index}")
    if data["secondary_syringes"] > syringes_handed_out:
        raise InvalidInput(f"Secondary syringes ({data['secondary_syringes']}) cannot exceed the "
                           f"syringes handed out in this visit ({syringes_handed_out}).",
                           field="secondary_syringes")
    if data["reversals_with_program_naloxone"] > data["reversals_reported"]:
        raise InvalidInput("Reversals with the program's naloxone cannot exceed the reversals "
                           "reported.", field="reversals_with_program_naloxone")
    return sorted(set(data["services"]))


def record_encounter(user, data: dict) -> tuple[EncounterRecord, bool]:
    """Record a handout visit and its distribution event. Returns ``(encounter, created)``.

    Distribution is never blocked: stock no lot covers is taken from the unknown lot and the
    event is flagged. A replay of a stored visit gets it back even if its site or an item has
    since been made inactive. Raises InvalidInput (unknown or inactive site/item, item listed
    twice, future occurred_at, empty participant code, unknown service, secondary syringes
    above the syringes handed out, reversals with program naloxone above reversals reported),
    Forbidden (site not assigned), Conflict (client_id reused with a different body).
    """
    site, items = site_and_items(data["site"], [line["item"] for line in data["items"]])
    ensure_site_access(user, site)
    payload = {k: v for k, v in data.items() if k != "participant_code"}
    code_hash = None
    if data.get("participant_code"):
        try:
            code_hash = hash_code(data["participant_code"])
        except ValueError:
            raise InvalidInput("The participant code has no letters or digits.",
                               field="participant_code") from None
    payload["participant"] = code_hash
    for key, default in _LATER_FIELDS.items():
        if payload.get(key) == default:
            del payload[key]
    print_ = fingerprint(payload)

    counts = {k: data[k] for k in _COUNTS}
    weight = _weight(data["returns_weight_lb"])
    referrals = sorted(set(data["referrals"]))

    def check() -> tuple[list[Line], dict[int, str], list[str]]:
        require_active(site, "Site", "site")
        check_occurred_at(data["occurred_at"], user=user,
                          backdated=data.get("backdated", False))
        lines, seen, syringes = [], set(), 0
        for index, raw in enumerate(data["items"]):
            item = item_by_code(raw["item"], f"items.{index}.item", items)
            if item.id in seen:
                raise InvalidInput(f"{item.code} is listed twice.", field=f"items.{index}.item")
            seen.add(item.id)
            lines.append(Line(item_id=item.id, quantity=raw["quantity"]))
            syringes += raw["quantity"] if item.category == "syringe" else 0
        services = _check_linkage(data, syringes)
        # The order a stored visit lists them in, so a create and its replay answer alike.
        return (sorted(lines, key=lambda line: line.item_id),
                {i.id: i.code for i in items.values()}, services)

    def create(checked: tuple[list[Line], dict[int, str], list[str]]) -> EncounterRecord:
        lines, codes, services = checked
        row = {"client_id": data["client_id"], "fingerprint": print_, "site_id": site.id,
               "occurred_at": data["occurred_at"], "recorded_at": utcnow(), "user_id": user.id,
               "encounter_type": data["encounter_type"], "stock_event_id": None,
               "returns_weight_lb": weight, **counts}
        items = [(line.item_id, line.quantity) for line in lines]
        conn = db.session.connection()
        if conn.dialect.name == "postgresql":
            # One statement: the event, lines and balances are written with the visit.
            written = write_handout(conn, row, code_hash, data, items, referrals, services)
            encounter_id, discrepancy = written.encounter_id, written.discrepancy
        else:
            posted = None
            if lines:
                posted = post_event(kind="distribution", site_id=site.id,
                                    occurred_at=data["occurred_at"], client_id=data["client_id"],
                                    lines=lines, user_id=user.id, allocate=True)
                row["stock_event_id"] = posted.id
            participant = participant_values(code_hash, site.id, data) if code_hash else None
            encounter_id = write_encounter(conn, row, participant, items, referrals, services)
            discrepancy = bool(posted and posted.discrepancy)
        return EncounterRecord(
            id=encounter_id, client_id=data["client_id"], site=site.code,
            occurred_at=as_utc(data["occurred_at"]), recorded_at=row["recorded_at"],
            encounter_type=data["encounter_type"], has_participant_code=bool(code_hash),
            stock_discrepancy=discrepancy, referrals=referrals, services=list(services),
            returns_weight_lb=None if weight is None else float(weight),
            items=[{"item": codes[line.item_id], "quantity": line.quantity} for line in lines],
            **counts,
        )

    # With items, the distribution event shares the client_id and its unique index guards it.
    others = () if data["items"] else (StockEvent,)
    # On PostgreSQL the visit is written by one statement: its own transaction in an API request.
    record, created = create_once(Encounter, data["client_id"], print_, create, check, others,
                                  one_statement=True)
    return (record if created else EncounterRecord.of(record)), created


def get_encounter(user, encounter_id: int, for_update: bool = False) -> Encounter:
    """The encounter, if ``user`` may read it; ``for_update`` locks its row (fresh values).

    Raises NotFound, Forbidden.
    """
    if user.role not in ENCOUNTER_READERS:
        raise Forbidden("Your role cannot read encounters.")
    stmt = select(Encounter).where(Encounter.id == encounter_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    encounter = db.session.scalar(stmt)
    if encounter is None:
        raise NotFound(f"No encounter {encounter_id}.", field="id")
    ensure_site_access(user, encounter.site)
    return encounter


def void_encounter(user, encounter_id: int, reason: str) -> Encounter:
    """Void a handout: a reversing stock event is written and the encounter marked void.

    Repeating the same void is a no-op; a second void with another reason is a Conflict.
    Raises NotFound, Forbidden, InvalidInput (blank reason), Conflict.
    """
    # Locked, so two devices voiding the same handout write one reversal between them.
    begin_write(db.session)
    encounter = get_encounter(user, encounter_id, for_update=True)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("A reason is required.", field="reason")
    if encounter.is_void:
        if encounter.void_reason == reason:
            return encounter
        raise Conflict("This encounter is already void.", field="id")
    if encounter.stock_event_id is not None:
        original = db.session.get(StockEvent, encounter.stock_event_id)
        reversal = reverse_event(original, user_id=user.id, note=f"void: {reason}",
                                 client_id=uuid.uuid5(_VOID_NAMESPACE, str(encounter.client_id)))
        encounter.void_event_id = reversal.id
    encounter.voided_at = utcnow()
    encounter.void_reason = reason
    encounter.void_user_id = user.id
    db.session.flush()
    return encounter


def encounters_query(user, site_codes: list[str] | None, day_from: date | None,
                     day_to: date | None) -> Select:
    """Encounters ``user`` may read, newest first, filtered by site codes and local dates.

    Raises Forbidden (role, or a site not assigned), InvalidInput (unknown site, bad range).
    """
    if user.role not in ENCOUNTER_READERS:
        raise Forbidden("Your role cannot read encounters.")
    if day_from and day_to and day_from > day_to:
        raise InvalidInput("'from' is after 'to'.", field="from")
    stmt = select(Encounter).order_by(Encounter.occurred_at.desc(), Encounter.id.desc())
    stmt = only_visible_sites(stmt, Encounter.site_id, user, site_codes)
    if day_from:
        stmt = stmt.where(Encounter.occurred_at >= local_day_bounds(day_from)[0])
    if day_to:
        stmt = stmt.where(Encounter.occurred_at < local_day_bounds(day_to)[1])
    return stmt
