"""Anonymous participants: an HMAC of the participant code, and optional demographics."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

# Five-year bands (issue 15): our older ten-year bands and the federal NHBS bands
# (18-24, 25-29, 30-39, 40-49, 50+) are sums of them. What a handout or survey may record.
AGE_RANGES = ("under_18", "18_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54",
              "55_59", "60_64", "65_plus", "declined")
# Values stored before the five-year bands that span two new bands (migration 0013): kept as
# "recorded in an older band", never guessed into one of the two.
OLDER_AGE_RANGES = ("older_25_34", "older_35_44", "older_45_54", "older_55_64")
STORED_AGE_RANGES = AGE_RANGES + OLDER_AGE_RANGES
# NHBS band -> the five-year bands that add up to it.
NHBS_AGE_BANDS = {
    "18_24": ("18_24",), "25_29": ("25_29",), "30_39": ("30_34", "35_39"),
    "40_49": ("40_44", "45_49"), "50_plus": ("50_54", "55_59", "60_64", "65_plus"),
}
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
