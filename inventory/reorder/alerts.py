"""Stock alerts per site: stock-outs, items below their minimum, discrepancies (handed out
more than recorded) and lots expired or expiring within 30 days; as text, and e-mailed to
each coordinator (standard library smtplib) when MAIL_SERVER is configured."""
import smtplib
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from inventory.auth.models import User
from inventory.catalog.models import Item, Lot, Site
from inventory.extensions import db
from inventory.reorder.status import compute
from inventory.settings.services import current_settings, local_today
from inventory.stock.models import StockBalance

EXPIRY_DAYS = 30


@dataclass
class SiteAlerts:
    site: Site
    stock_out: list[str] = field(default_factory=list)
    below_min: list[str] = field(default_factory=list)
    discrepancy: list[str] = field(default_factory=list)
    expiring: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.stock_out or self.below_min or self.discrepancy or self.expiring)


def _expiring_lots(today: date) -> list[tuple]:
    horizon = today + timedelta(days=EXPIRY_DAYS)
    return db.session.execute(
        select(StockBalance.site_id, Item.name, Lot.lot_code, Lot.expires_on,
               StockBalance.on_hand)
        .join(Item, Item.id == StockBalance.item_id).join(Lot, Lot.id == StockBalance.lot_id)
        .where(StockBalance.on_hand > 0, Lot.expires_on <= horizon)
        .order_by(Lot.expires_on, Item.display_order, Lot.lot_code)).all()


def site_alerts(today: date | None = None) -> list[SiteAlerts]:
    """Alerts of every active site that has any, by site code."""
    today = today or local_today()
    alerts: dict[int, SiteAlerts] = {}
    for f in compute(None, today):
        entry = alerts.setdefault(f.site.id, SiteAlerts(f.site))
        if f.status == "stock_out":
            entry.stock_out.append(f"{f.item.name}: {f.on_hand:,} on hand"
                                   + (f", {f.in_transit:,} in transit" if f.in_transit else ""))
        elif f.status == "below_min":
            entry.below_min.append(f"{f.item.name}: {f.months_of_stock:.1f} months of stock "
                                   f"(minimum {f.min_months:g})")
        if f.shelf.discrepancy:
            entry.discrepancy.append(f"{f.item.name}: handed out more than recorded; count "
                                     "the shelf")
    sites = {s.id: s for s in db.session.scalars(select(Site).where(Site.active))}
    for site_id, item, lot, expires_on, on_hand in _expiring_lots(today):
        if site_id in sites:
            when = "expired" if expires_on < today else "expires"
            alerts.setdefault(site_id, SiteAlerts(sites[site_id])).expiring.append(
                f"{item} lot {lot}: {on_hand:,} {when} {expires_on.isoformat()}")
    return sorted((a for a in alerts.values() if a), key=lambda a: a.site.code)


def alerts_text(alerts: list[SiteAlerts], today: date) -> str:
    if not alerts:
        return f"Stock alerts for {today.isoformat()}: none.\n"
    out = [f"Stock alerts for {today.isoformat()}"]
    for entry in alerts:
        out.append(f"\n{entry.site.name} ({entry.site.code})")
        for title, lines in (("Out of stock", entry.stock_out),
                             ("Below minimum", entry.below_min),
                             ("Discrepancies", entry.discrepancy),
                             (f"Lots expired or expiring within {EXPIRY_DAYS} days",
                              entry.expiring)):
            if lines:
                out.append(f"  {title}:")
                out.extend(f"    - {line}" for line in lines)
    return "\n".join(out) + "\n"


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def email_coordinators(text: str, today: date) -> list[str]:
    """Send ``text`` to every active coordinator; returns the addresses. Raises OSError or
    smtplib.SMTPException when the server refuses."""
    config = current_app.config
    recipients = list(db.session.scalars(select(User.email).where(
        User.role == "coordinator", User.active).order_by(User.email)))
    if not recipients:
        return []
    sender = config.get("MAIL_SENDER") or f"alerts@{config['MAIL_SERVER']}"
    program = current_settings().program_name
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                      timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for address in recipients:
            message = EmailMessage()
            message["Subject"] = f"{program}: stock alerts for {today.isoformat()}"
            message["From"], message["To"] = sender, address
            message.set_content(text)
            smtp.send_message(message)
    return recipients
