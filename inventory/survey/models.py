"""The point-in-time survey: windows an admin opens, and anonymous responses.

A response holds no link to an encounter, a participant, a user or a time finer than the
local date (DESIGN.md, "Point-in-time survey"); tests/test_survey.py checks the schema.
"""
import uuid
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

survey_window_site = Table(
    "survey_window_site", db.metadata,
    Column("window_id", ForeignKey("survey_window.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id"), primary_key=True),
)


class SurveyWindow(db.Model):
    __tablename__ = "survey_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sites: Mapped[list[Site]] = relationship(secondary=survey_window_site, order_by=Site.code)


class SurveyResponse(db.Model):
    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the device for this response only (idempotent sync); it names nothing else.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    window_id: Mapped[int] = mapped_column(ForeignKey("survey_window.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    response_date: Mapped[date]
    own_overdoses_3m: Mapped[int | None]
    reversals_witnessed: Mapped[int | None]
    age_range: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(20))
    race_ethnicity: Mapped[str | None] = mapped_column(String(40))

    site: Mapped[Site] = relationship()
