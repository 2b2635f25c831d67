"""Program settings: one row. Services flush; the caller commits.

Errors: :class:`inventory.errors.InvalidInput` naming the field (``program_name``, ``timezone``,
``fiscal_year_start_month``, ``suppression_threshold``, ``idle_timeout_minutes``,
``participant_code_recipe``, ``syringes_per_pound``).
"""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


from inventory.audit.services import apply_changes, record
from inventory.database import utcnow
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.participants.recipe import check_recipe
from inventory.settings.models import SETTINGS_ID, ProgramSettings

DEFAULT_SUPPRESSION_THRESHOLD = 11
DEFAULT_IDLE_TIMEOUT_MINUTES = 15


def get_settings() -> ProgramSettings | None:
    """The settings row, or None before first-run setup (repeats come from the session)."""
    return db.session.get(ProgramSettings, SETTINGS_ID)


def current_settings() -> ProgramSettings:
    """The settings row, or an unsaved row of defaults before first-run setup."""
    return get_settings() or ProgramSettings(
        program_name="Outreach Supply Tracker", timezone="UTC", fiscal_year_start_month=7,
        suppression_threshold=DEFAULT_SUPPRESSION_THRESHOLD,
        idle_timeout_minutes=DEFAULT_IDLE_TIMEOUT_MINUTES, syringes_per_pound=281)


def check_timezone(name: str) -> str:
    """Return ``name`` when zoneinfo knows it; else raise InvalidInput(field="timezone")."""
    name = (name or "").strip()
    try:
        if not name or name not in available_timezones():
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"Unknown timezone {name!r}; use an IANA name like America/Chicago.",
                           field="timezone") from None
    return name


def _whole_number(value, low: int, high: int, field: str, label: str) -> int:
    """``value`` as an int from ``low`` to ``high``. Raises InvalidInput naming ``field``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise InvalidInput(f"{label} must be a whole number from {low} to {high}.", field=field)
    return number


def _validated(program_name, timezone, fiscal_year_start_month, suppression_threshold,
               idle_timeout_minutes) -> dict:
    name = (program_name or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput("Program name is required (at most 120 characters).",
                           field="program_name")
    return {
        "program_name": name, "timezone": check_timezone(timezone),
        "fiscal_year_start_month": _whole_number(fiscal_year_start_month, 1, 12,
                                                 "fiscal_year_start_month",
                                                 "Fiscal year start month"),
        "suppression_threshold": _whole_number(suppression_threshold, 2, 1000,
                                               "suppression_threshold", "Suppression threshold"),
        "idle_timeout_minutes": _whole_number(idle_timeout_minutes, 1, 720,
                                              "idle_timeout_minutes", "Idle sign-out (minutes)"),
    }


def save_settings(program_name: str, timezone: str, fiscal_year_start_month: int,
                  suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
                  actor=None, idle_timeout_minutes: int | None = None,
                  participant_code_recipe=None,
                  syringes_per_pound: int | None = None) -> ProgramSettings:
    """Create or update the settings row; audited with what changed. Raises InvalidInput.

    ``idle_timeout_minutes``, ``participant_code_recipe`` (prompt ids, in order) and
    ``syringes_per_pound`` left out keep the stored value (the default on first setup)."""
    if idle_timeout_minutes is None:
        row = get_settings()
        idle_timeout_minutes = row.idle_timeout_minutes if row else DEFAULT_IDLE_TIMEOUT_MINUTES
    values = _validated(program_name, timezone, fiscal_year_start_month, suppression_threshold,
                        idle_timeout_minutes)
    if participant_code_recipe is not None:
        values["participant_code_recipe"] = ",".join(check_recipe(participant_code_recipe))
    if syringes_per_pound is not None:
        values["syringes_per_pound"] = _whole_number(syringes_per_pound, 1, 10_000,
                                                     "syringes_per_pound", "Syringes per pound")
    row = get_settings()
    if row is None:
        # The fixed id: two concurrent first-run setups collide on the primary key.
        row = ProgramSettings(**values)
        db.session.add(row)
        record("create", "settings", row.id, values, actor)  # flushes: a second setup fails here
        return row
    changes = apply_changes(row, values)
    if changes:
        record("update", "settings", row.id, {"changes": changes}, actor)
    return row


def local_today(now: datetime | None = None) -> date:
    """Today's date in the program timezone."""
    return (now or utcnow()).astimezone(ZoneInfo(current_settings().timezone)).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which ``day`` starts and the next day starts, in the program timezone."""
    tz = ZoneInfo(current_settings().timezone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)
