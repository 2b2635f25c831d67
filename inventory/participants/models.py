"""Anonymous participants: an HMAC of the participant code, and optional demographics."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

AGE_RANGES = ("under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "declined")
GENDERS = ("woman", "man", "transgender", "nonbinary", "other", "declined")
RACE_ETHNICITIES = (
    "american_indian_alaska_native", "asian", "black", "hispanic_latino",
    "native_hawaiian_pacific_islander", "white", "multiracial", "other", "declined",
)


class Participant(db.Model):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    # HMAC-SHA256 hex of the normalised code; the raw code is never stored.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    age_range: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(20))
    race_ethnicity: Mapped[str | None] = mapped_column(String(40))
