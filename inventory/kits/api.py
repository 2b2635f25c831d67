"""API v1: kits, and the handout screen's configuration (participant code recipe, the choices
the encounter API accepts). Both are read by every signed-in role."""
from flask import current_app
from flask_smorest import Blueprint

from inventory.auth.permissions import ALL_ROLES, require_roles
from inventory.encounters.models import ENCOUNTER_TYPES, REFERRAL_TYPES
from inventory.kits.schemas import HandoutConfigSchema, KitSchema
from inventory.kits.services import list_kits
from inventory.labels import LABELS
from inventory.limits import MAX_PEOPLE, MAX_QUANTITY
from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES
from inventory.participants.recipe import parse_recipe
from inventory.settings.services import current_settings

blp = Blueprint("kits", __name__, url_prefix="/api/v1",
                description="Kits and the handout screen's configuration")

# The encounter API's participant_code length limit (inventory/encounters/schemas.py).
MAX_CODE_LENGTH = 40


@blp.route("/kits")
@require_roles(*ALL_ROLES)
@blp.response(200, KitSchema(many=True))
def get_kits():
    """Active kits in display order, each with its active items and quantities."""
    kits = []
    for kit in list_kits(active_only=True):
        items = [{"item": line.item.code, "quantity": line.quantity}
                 for line in kit.items if line.item.active]
        if items:  # a kit whose every item was deactivated has nothing to add
            kits.append({"code": kit.code, "name": kit.name, "items": items})
    return kits


def _choices(kind: str, codes) -> list[dict]:
    return [{"code": code, "label": LABELS[kind][code]} for code in codes]


@blp.route("/handout-config")
@require_roles(*ALL_ROLES)
@blp.response(200, HandoutConfigSchema)
def get_handout_config():
    """What the handout screen needs besides items and kits: the participant code recipe, the
    encounter types, referrals and demographic choices the encounter API accepts (labels are
    English message ids, translated by ``/i18n/<lang>.json``), the idle sign-out and limits."""
    settings = current_settings()
    return {
        "participant_code": {"recipe": [vars(p) for p in parse_recipe(
            settings.participant_code_recipe)], "max_length": MAX_CODE_LENGTH},
        "encounter_types": _choices("encounter_type", ENCOUNTER_TYPES),
        "referrals": _choices("referral", REFERRAL_TYPES),
        "demographics": {"age_range": _choices("age_range", AGE_RANGES),
                         "gender": _choices("gender", GENDERS),
                         "race_ethnicity": _choices("race_ethnicity", RACE_ETHNICITIES)},
        "idle_timeout_minutes": settings.idle_timeout_minutes,
        "limits": {"max_quantity": MAX_QUANTITY, "max_people": MAX_PEOPLE,
                   "max_occurred_age_days": current_app.config["OCCURRED_AT_MAX_AGE_DAYS"]},
    }
