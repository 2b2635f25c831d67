"""Users, their roles and sites, and API tokens."""
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

ROLES = ("staff", "coordinator", "reporter", "admin")


def new_session_token() -> str:
    """A fresh per-user session token: part of the session cookie's user id, so replacing it
    signs the user out of every browser."""
    return secrets.token_hex(16)

user_site = Table(
    "user_site",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Replaced on sign-out everywhere and on every password change (see get_id).
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token,
                                               server_default="")
    # Set by an admin: the user must choose a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    sites: Mapped[list[Site]] = relationship(secondary=user_site, order_by=Site.code)

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot sign in
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id in the session cookie: ``"<id>:<session token>"``, so a cookie
        dies with the token it was issued under."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the API (never the pages). Only its SHA-256 is stored; the token
    itself is shown once. It stops working when revoked, expired, or its user deactivated."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
