"""What the handout screen needs from the server: the sites a user may log at, and the screen's
configuration (choices with their labels, the participant-code recipe, the program timezone)."""
from sqlalchemy import select

from inventory.admin.services import list_sites
from inventory.auth.permissions import STAFF, ensure_site_access
from inventory.catalog.models import Site
from inventory.encounters.models import ENCOUNTER_TYPES, REFERRAL_TYPES
from inventory.errors import NotFound
from inventory.extensions import db
from inventory.labels import label
from inventory.limits import MAX_PEOPLE, MAX_QUANTITY
from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES
from inventory.participants.recipe import Prompt, parse_recipe
from inventory.settings.services import current_settings
# The encounter API's bounds: the steppers stop there, so the screen never queues a handout
# the server must refuse.
LIMITS = {"max_quantity": MAX_QUANTITY, "max_people": MAX_PEOPLE}


def handout_sites(user) -> list[Site]:
    """Active sites where ``user`` may log handouts (staff: only their assigned sites)."""
    if user.role == STAFF:
        return sorted((s for s in user.sites if s.active), key=lambda s: s.code)
    return list_sites(include_inactive=False)


def handout_site(user, code: str) -> Site:
    """The site ``code`` for the screen. Raises NotFound (no such site) or Forbidden (staff not
    assigned to it)."""
    site = db.session.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"No site {code}.", field="site")
    ensure_site_access(user, site)
    return site


def code_recipe() -> list[Prompt]:
    """The program's participant-code prompts (the default recipe unless admins set one)."""
    return list(parse_recipe(current_settings().participant_code_recipe))


def _choices(kind: str, codes) -> list[dict]:
    return [{"code": code, "label": label(kind, code)} for code in codes]


def screen_choices() -> dict:
    """The fixed choices of the form, with their English labels (message ids)."""
    return {
        "encounter_types": _choices("encounter_type", ENCOUNTER_TYPES),
        "referrals": _choices("referral", REFERRAL_TYPES),
        "age_ranges": _choices("age_range", AGE_RANGES),
        "genders": _choices("gender", GENDERS),
        "race_ethnicities": _choices("race_ethnicity", RACE_ETHNICITIES),
    }


def screen_config(site: Site) -> dict:
    """What the screen's JavaScript reads from the page (no participant data, nothing secret)."""
    settings = current_settings()
    return {"site": site.code, "site_name": site.name, "timezone": settings.timezone,
            "idle_minutes": settings.idle_timeout_minutes}
