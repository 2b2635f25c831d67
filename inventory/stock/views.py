"""Pages: receive a shipment and dispose of stock at a site. Each parses its form, calls one
service, commits and redirects; a refused form is shown again (422) with the message."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inventory.auth.permissions import ADMIN, COORDINATOR, WRITERS, require_roles
from inventory.catalog.models import Item, Lot
from inventory.database import utcnow
from inventory.errors import Conflict, DomainError, Forbidden, NotFound
from inventory.extensions import db
from inventory.settings.services import local_today
from inventory.stock import services
from inventory.stock.forms import (DisposalForm, ReceiptForm, item_choices, page_site,
                                   show_error)
from inventory.stock.models import StockBalance

bp = Blueprint("stock_pages", __name__)


# The answer of commit_or_show when the same page was posted twice (a double tap, a reload).
REPLAYED = object()


def commit_or_show(form, action, rows: list[int] | None = None):
    """Run the service call ``action``; commit and return its result, or roll back, show its
    error on the form (``rows``: see :func:`show_error`) and return None. A form posted again
    (its client_id already recorded) gives REPLAYED and a message. Access errors are not form
    errors: they stand (403/404 pages)."""
    try:
        result = action()
    except (Forbidden, NotFound):
        db.session.rollback()
        raise
    except Conflict as exc:
        db.session.rollback()
        if exc.field != "client_id":
            show_error(form, exc, rows)
            return None
        flash("This form was sent twice; it was recorded once.", "info")
        return REPLAYED
    except DomainError as exc:
        db.session.rollback()
        show_error(form, exc, rows)
        return None
    db.session.commit()
    return result


@bp.route("/sites/<code>/receive", methods=["GET", "POST"])
@require_roles(*WRITERS)
def receive(code: str):
    """Receive a shipment: lines by case and/or unit, lot and expiry."""
    site = page_site(code)
    form = ReceiptForm()
    for entry in form.lines.entries:
        entry.form.item.choices = item_choices()
    may_dispose = current_user.role in (COORDINATOR, ADMIN)
    if not may_dispose:
        del form.for_disposal
    if form.validate_on_submit():
        data = form.data_for(site.code, utcnow())
        if not data["lines"]:
            form.form_errors.append("Choose the item of at least one line.")
        elif (done := commit_or_show(
                form, lambda: services.receive_stock(current_user, data), form.rows)):
            if done is not REPLAYED:
                flash(f"Received {len(data['lines'])} line{'s' * (len(data['lines']) != 1)} "
                      f"at {site.code}.", "success")
            return redirect(url_for("main.site_stock", code=site.code))
    status = 422 if request.method == "POST" else 200
    return render_template("stock/receive.html", form=form, site=site), status


def _disposable(site_id: int) -> list[tuple[StockBalance, Item, Lot | None, bool]]:
    """Balances holding stock at the site, expired lots first (earliest expiry first)."""
    today = local_today()
    rows = db.session.execute(
        select(StockBalance, Item, Lot)
        .join(Item, Item.id == StockBalance.item_id)
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .where(StockBalance.site_id == site_id, StockBalance.on_hand > 0)
        .order_by(Item.display_order, Item.code, Lot.expires_on, Lot.lot_code)).all()
    marked = [(b, i, lot, bool(lot and lot.expires_on and lot.expires_on < today))
              for b, i, lot in rows]
    return sorted(marked, key=lambda row: not row[3])  # stable: expired ones lead


@bp.route("/sites/<code>/dispose", methods=["GET", "POST"])
@require_roles(*WRITERS)
def dispose(code: str):
    """Dispose of expired or damaged stock; expired lots are proposed first."""
    site = page_site(code)
    rows = _disposable(site.id)
    form = DisposalForm()
    if request.method == "GET":
        form.reason.data = "expired" if any(row[3] for row in rows) else "damaged"
        for balance, _, _, expired in rows:
            form.lines.append_entry({"key": str(balance.id),
                                     "quantity": balance.on_hand if expired else None})
    by_id = {str(b.id): (b, item, lot, expired) for b, item, lot, expired in rows}
    entries = [(e, by_id.get(e.form.key.data)) for e in form.lines.entries]
    if form.validate_on_submit():
        sent = [(index, row, e.form.quantity.data) for index, (e, row) in enumerate(entries)
                if row and e.form.quantity.data]
        lines = [{"item": row[1].code, "lot": row[2].lot_code if row[2] else None,
                  "quantity": quantity} for _, row, quantity in sent]
        data = {"client_id": form.client_uuid(), "site": site.code, "occurred_at": utcnow(),
                "reason": form.reason.data, "note": (form.note.data or "").strip() or None,
                "lines": lines}
        if not lines:
            form.form_errors.append("Enter a quantity on at least one line.")
        elif (done := commit_or_show(form, lambda: services.dispose_stock(current_user, data),
                                     [index for index, _, _ in sent])):
            if done is not REPLAYED:
                flash(f"Disposed of {sum(line['quantity'] for line in lines)} units at "
                      f"{site.code}.", "success")
            return redirect(url_for("main.site_stock", code=site.code))
    status = 422 if request.method == "POST" else 200
    return render_template("stock/dispose.html", form=form, site=site, entries=entries), status
