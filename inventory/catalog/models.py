"""Sites, items and lots: what is handed out, and where."""
from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db

SITE_KINDS = ("fixed", "mobile", "pharmacy", "peer", "warehouse")
ITEM_CATEGORIES = (
    "syringe", "naloxone", "fentanyl_test_strip", "xylazine_test_strip", "condom",
    "smoking_kit", "injection_supply", "wound_care", "other",
)


class Site(db.Model):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Site {self.code}>"


class Item(db.Model):
    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(20))
    pack_size: Mapped[int] = mapped_column(default=1)
    doses_per_unit: Mapped[int] = mapped_column(default=1)
    tracks_expiry: Mapped[bool] = mapped_column(default=False)
    display_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Item {self.code}>"


class Lot(db.Model):
    __tablename__ = "lot"
    __table_args__ = (UniqueConstraint("item_id", "lot_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    lot_code: Mapped[str] = mapped_column(String(64))
    expires_on: Mapped[date | None]

    item: Mapped[Item] = relationship()
