"""The demo program's fixed parts: settings, sites and one user of each role."""
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from inventory.auth.models import ROLES
from inventory.auth.services import create_user
from inventory.catalog.models import Item, Site
from inventory.catalog.seed import STANDARD_ITEMS
from inventory.demo.mix import SITES, DemoSite
from inventory.encounters.models import Encounter
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.settings.models import ProgramSettings
from inventory.stock.models import StockEvent

STAFF_SITES = ("DT", "VAN1")
STANDARD_CODES = [row[0] for row in STANDARD_ITEMS]


@dataclass(frozen=True)
class Login:
    email: str
    role: str
    password: str
    sites: tuple[str, ...]


def ensure_empty() -> None:
    """Raise InvalidInput unless there are no sites, stock events or encounters yet."""
    for model in (Site, StockEvent, Encounter):
        if db.session.scalar(select(model.id).limit(1)) is not None:
            raise InvalidInput("The database already holds a program (sites, stock or encounters);"
                               " seed-demo only fills an empty one.", field="database")


def ensure_catalogue() -> None:
    """Raise InvalidInput unless every item the demo hands out is in the catalogue."""
    known = set(db.session.scalars(select(Item.code)))
    missing = sorted(set(STANDARD_CODES) - known)
    if missing:
        raise InvalidInput(f"The catalogue lacks standard items the demo uses: {', '.join(missing)}.",
                           field="catalogue")


def ensure_settings() -> ProgramSettings:
    """The program settings, created for the demo program when missing."""
    settings = db.session.scalar(select(ProgramSettings).limit(1))
    if settings is None:
        settings = ProgramSettings(program_name="Riverside Harm Reduction Program (demo)",
                                   timezone="America/Chicago", fiscal_year_start_month=7,
                                   suppression_threshold=11)
        db.session.add(settings)
        db.session.flush()
    return settings


def create_sites() -> list[tuple[DemoSite, int]]:
    rows = [Site(code=s.code, name=s.name, kind=s.kind, active=True) for s in SITES]
    db.session.add_all(rows)
    db.session.flush()
    return [(spec, row.id) for spec, row in zip(SITES, rows)]


def create_users(password: str | None) -> tuple[list[Login], dict[str, int]]:
    """One user per role (``<role>@demo.example.org``); staff work at DT and the van.

    Returns the logins (admin first: roles in alphabetical order) and the user id per role.
    Raises InvalidInput when such an email already exists.
    """
    logins, ids = [], {}
    for role in sorted(ROLES):
        sites = STAFF_SITES if role == "staff" else ()
        login = Login(f"{role}@demo.example.org", role, password or secrets.token_urlsafe(9), sites)
        ids[role] = create_user(login.email, role, sites, login.password).id
        logins.append(login)
    return logins, ids
