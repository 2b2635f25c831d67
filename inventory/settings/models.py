"""Program-wide settings: one row."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from inventory.extensions import db
from inventory.participants.recipe import DEFAULT_RECIPE_TEXT


# The one row's id: whoever creates it gets this one, and two racing creators collide.
SETTINGS_ID = 1


class ProgramSettings(db.Model):
    __tablename__ = "program_settings"

    id: Mapped[int] = mapped_column(primary_key=True, default=SETTINGS_ID)
    program_name: Mapped[str] = mapped_column(String(120), default="Outreach Supply Tracker")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    fiscal_year_start_month: Mapped[int] = mapped_column(default=7)
    suppression_threshold: Mapped[int] = mapped_column(default=11)
    # Minutes without activity after which a session ends (shared tablets); the outbox stays.
    idle_timeout_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    # The handout screen's participant code builder: prompt ids joined by commas
    # (inventory/participants/recipe.py).
    participant_code_recipe: Mapped[str] = mapped_column(
        String(200), default=DEFAULT_RECIPE_TEXT, server_default=DEFAULT_RECIPE_TEXT)
    # Returns by weight become syringes at this factor (North Carolina uses 281 per pound).
    syringes_per_pound: Mapped[int] = mapped_column(default=281, server_default="281")
