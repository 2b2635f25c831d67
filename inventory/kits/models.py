"""Kits and their lines. A handout stores items, never the kit itself (DESIGN.md, "Kit")."""
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Item
from inventory.extensions import db


class Kit(db.Model):
    __tablename__ = "kit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    display_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    items: Mapped[list["KitItem"]] = relationship(
        back_populates="kit", cascade="all, delete-orphan", order_by="KitItem.position")

    def __repr__(self) -> str:
        return f"<Kit {self.code}>"


class KitItem(db.Model):
    __tablename__ = "kit_item"
    __table_args__ = (UniqueConstraint("kit_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("kit.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    quantity: Mapped[int]
    # Lines keep the order the admin gave them (the screen lists them so).
    position: Mapped[int] = mapped_column(default=0)

    kit: Mapped[Kit] = relationship(back_populates="items")
    item: Mapped[Item] = relationship()
