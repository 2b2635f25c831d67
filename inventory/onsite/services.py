"""On-site services (the admin-editable list the handout screen shows as chips) and used-sharps
disposal. Services flush; the caller commits.

Errors: :class:`inventory.errors.InvalidInput` naming the field; NotFound; Forbidden.
"""
import re
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from inventory.audit.services import apply_changes, record
from inventory.auth.permissions import ensure_site_access
from inventory.catalog.lookup import only_visible_sites, require_active, site_by_code
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db
from inventory.labels import N_
from inventory.idempotency import create_once, fingerprint
from inventory.input_rules import BAD_TEXT_MESSAGE, DATE_MESSAGE, bad_text, date_in_range
from inventory.settings.services import local_today
from inventory.onsite.models import DEFAULT_SERVICES, OnsiteService, SharpsDisposal

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
MAX_CONTAINERS = 10_000
MAX_WEIGHT_LB = Decimal("100000")


def seed_services() -> int:
    """Add the default services when there is none yet; returns how many were added."""
    if db.session.scalar(select(func.count()).select_from(OnsiteService)):
        return 0
    for index, (code, name) in enumerate(DEFAULT_SERVICES):
        db.session.add(OnsiteService(code=code, name=name, display_order=(index + 1) * 10))
    db.session.flush()
    return len(DEFAULT_SERVICES)


def list_services(active_only: bool = False) -> list[OnsiteService]:
    stmt = select(OnsiteService).order_by(OnsiteService.display_order, OnsiteService.code)
    if active_only:
        stmt = stmt.where(OnsiteService.active.is_(True))
    return list(db.session.scalars(stmt))


def active_codes() -> set[str]:
    return {s.code for s in list_services(active_only=True)}


def get_service(service_id: int) -> OnsiteService:
    service = db.session.get(OnsiteService, service_id)
    if service is None:
        raise NotFound(f"No service {service_id}.", field="id")
    return service


def _name(value) -> str:
    name = (value or "").strip()
    if bad_text(name):
        raise InvalidInput(BAD_TEXT_MESSAGE, field="name")
    if not name or len(name) > 80:
        raise InvalidInput("Name is required (at most 80 characters).", field="name")
    return name


def _order(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100_000:
        raise InvalidInput("Display order must be a whole number from 0 to 100000.",
                           field="display_order")
    return number


def create_service(code, name, display_order, active: bool, actor=None) -> OnsiteService:
    """Add a service; its code is kept for good (encounters store it). Audited."""
    code = (code or "").strip()
    if bad_text(code):
        raise InvalidInput(BAD_TEXT_MESSAGE, field="code")
    if not CODE_RE.match(code) or len(code) > 32:
        raise InvalidInput("Code: lower-case letters, digits and '_', at most 32.", field="code")
    if db.session.scalar(select(OnsiteService.id).where(OnsiteService.code == code)):
        raise InvalidInput(f"A service with code {code} exists.", field="code")
    values = {"code": code, "name": _name(name), "display_order": _order(display_order),
              "active": bool(active)}
    service = OnsiteService(**values)
    db.session.add(service)
    db.session.flush()
    record("create", "onsite_service", service.id, values, actor)
    return service


def update_service(service: OnsiteService, name, display_order, active: bool,
                   actor=None) -> OnsiteService:
    """Rename, reorder, show or hide a service (its code stays). Audited when anything changed."""
    changes = apply_changes(service, {"name": _name(name), "display_order": _order(display_order),
                                      "active": bool(active)})
    if changes:
        record("update", "onsite_service", service.id, {"changes": changes}, actor)
    return service


def record_disposal(user, data: dict) -> tuple[SharpsDisposal, bool]:
    """Record used sharps sent for destruction from site ``data["site"]`` on
    ``data["disposed_on"]``: ``containers``, ``weight_lb``, or both; an optional ``reference``.
    Idempotent on ``client_id``. Returns ``(row, created)``; its row says who and when.

    Raises Forbidden (site not assigned), InvalidInput (unknown or inactive site, date out of
    range or in the future, neither containers nor weight, values out of bounds, bad reference),
    Conflict (client_id reused with another body).
    """
    site = site_by_code(data["site"], active_only=False)
    ensure_site_access(user, site)
    weight = data.get("weight_lb")
    print_ = fingerprint({**data, "weight_lb": None if weight is None else str(weight)})

    def check():
        return _checked_disposal(site, data)

    def create(values):
        row = SharpsDisposal(client_id=data["client_id"], fingerprint=print_, site_id=site.id,
                             user_id=user.id, **values)
        db.session.add(row)
        db.session.flush()
        return row

    return create_once(SharpsDisposal, data["client_id"], print_, create, check)


def _checked_disposal(site, data: dict) -> dict:
    require_active(site, "Site", "site")
    disposed_on, containers = data["disposed_on"], data["containers"]
    weight_lb = data.get("weight_lb")
    if weight_lb is not None:  # pounds to the stored two decimals
        weight_lb = Decimal(str(weight_lb)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not date_in_range(disposed_on):
        raise InvalidInput(DATE_MESSAGE, field="disposed_on")
    if disposed_on > local_today():
        raise InvalidInput(N_("The date is in the future."), field="disposed_on")
    if not 0 <= containers <= MAX_CONTAINERS:
        raise InvalidInput(N_("Containers must be from 0 to %(max)s."), field="containers",
                           params={"max": MAX_CONTAINERS})
    if weight_lb is not None and not Decimal(0) <= weight_lb <= MAX_WEIGHT_LB:
        raise InvalidInput(N_("Weight must be from 0 to %(max)s lb."), field="weight_lb",
                           params={"max": MAX_WEIGHT_LB})
    if not containers and not weight_lb:
        raise InvalidInput(N_("Give the containers or the weight sent for destruction."),
                           field="containers")
    reference = (data.get("reference") or "").strip() or None
    if reference is not None and (bad_text(reference) or len(reference) > 80):
        raise InvalidInput(N_("The reference must be plain text of at most 80 characters."),
                           field="reference")
    return {"disposed_on": disposed_on, "containers": containers, "weight_lb": weight_lb,
            "reference": reference}


def list_disposals(user, limit: int = 100) -> list[SharpsDisposal]:
    """The latest disposals at the sites ``user`` may see, newest first."""
    stmt = select(SharpsDisposal).order_by(SharpsDisposal.disposed_on.desc(),
                                           SharpsDisposal.id.desc()).limit(limit)
    return list(db.session.scalars(only_visible_sites(stmt, SharpsDisposal.site_id, user, None)))
