"""Program activities for the reports: events, each site's hours and location, a narrative per
report period. Nothing here is about a participant: the pages say so, and nothing links to an
encounter or a participant."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

EVENT_KINDS = ("community_relations", "law_enforcement", "training", "other")
MAX_DESCRIPTION = 500
MAX_SCHEDULE = 300
MAX_LOCATION = 200
MAX_NARRATIVE = 5000


class ActivityEvent(db.Model):
    """One program event: a community-relations meeting, a law-enforcement briefing, a training."""

    __tablename__ = "activity_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))  # None: program-wide
    attendance: Mapped[int | None]
    description: Mapped[str] = mapped_column(String(MAX_DESCRIPTION), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    site: Mapped[Site | None] = relationship()


class SiteHours(db.Model):
    """When and where a site operates, as text ("Mon-Fri 10:00-16:00"; "Van: Main St lot")."""

    __tablename__ = "site_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), unique=True)
    schedule: Mapped[str] = mapped_column(String(MAX_SCHEDULE), default="")
    location: Mapped[str] = mapped_column(String(MAX_LOCATION), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: Mapped[Site] = relationship()


class ReportNarrative(db.Model):
    """The program's narrative for one report period (its first and last local day)."""

    __tablename__ = "report_narrative"
    __table_args__ = (UniqueConstraint("first_day", "last_day",
                                       name="uq_report_narrative_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
