"""Pages: ship a transfer, list and show transfers, receive (or close) one, cancel one."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from inventory.auth.permissions import WRITERS, can_access_site, require_roles, site_scope
from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.stock.forms import item_choices
from inventory.stock.views import REPLAYED, commit_or_show
from inventory.transfers import services
from inventory.transfers.forms import ArrivalForm, TransferFilterForm, TransferForm

bp = Blueprint("transfer_pages", __name__)
PAGE_SIZE = 50


def _sites(own_only: bool) -> list[SelectChoice]:
    """Active sites as select choices; ``own_only``: those the user may work at."""
    sites = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.code))
    scope = site_scope(current_user) if own_only else None
    return [SelectChoice(s.code, f"{s.name} ({s.code})") for s in sites
            if scope is None or s.id in scope]


@bp.route("/transfers")
@require_roles(*WRITERS)
def index():
    """Transfers the user may see, newest first, by status and site (either end)."""
    form = TransferFilterForm(request.args)
    form.site.choices = [SelectChoice("", "Any")] + _sites(own_only=True)
    transfers = []
    if form.validate():
        codes = [form.site.data] if form.site.data else None
        if codes and codes[0] not in {choice.value for choice in form.site.choices}:
            form.site.errors = [*form.site.errors, "Choose one of the listed sites."]
        else:
            stmt = services.transfers_query(current_user, form.status.data or None, codes)
            transfers = db.session.scalars(stmt.limit(PAGE_SIZE)).unique().all()
    return render_template("transfers/index.html", form=form, transfers=transfers,
                           page_size=PAGE_SIZE)


@bp.route("/transfers/new", methods=["GET", "POST"])
@require_roles(*WRITERS)
def new():
    """Ship stock to another site: it leaves the source at once."""
    form = TransferForm()
    form.from_site.choices = _sites(own_only=True)
    form.to_site.choices = [SelectChoice("", "— choose —")] + _sites(own_only=False)
    for entry in form.lines.entries:
        entry.form.item.choices = item_choices()
    if request.method == "GET" and request.args.get("from") in {
            choice.value for choice in form.from_site.choices}:
        form.from_site.data = request.args["from"]
    if form.validate_on_submit():
        data = form.data_for(utcnow())
        if not data["lines"]:
            form.form_errors.append("Choose the item of at least one line.")
        elif any(line["quantity"] is None for line in data["lines"]):
            row = form.rows[next(i for i, line in enumerate(data["lines"])
                                 if line["quantity"] is None)]
            form.lines.entries[row].form.quantity.errors = ["How many units?"]
        else:
            result = commit_or_show(form, lambda: services.create_transfer(current_user, data),
                                    form.rows)
            if result is REPLAYED:
                return redirect(url_for("transfer_pages.index"))
            if result is not None:
                flash("Shipped: the stock has left the source and is in transit.", "success")
                return redirect(url_for("transfer_pages.detail", transfer_id=result[0].id))
    status = 422 if request.method == "POST" else 200
    return render_template("transfers/new.html", form=form), status


def _actions(transfer) -> dict:
    open_ = transfer.status == "in_transit"
    return {"can_receive": open_ and can_access_site(current_user, transfer.to_site_id),
            "can_cancel": open_ and not any(line.received for line in transfer.lines)
            and can_access_site(current_user, transfer.from_site_id)}


@bp.route("/transfers/<int:transfer_id>")
@require_roles(*WRITERS)
def detail(transfer_id: int):
    transfer = services.get_transfer(current_user, transfer_id)
    return render_template("transfers/detail.html", transfer=transfer, **_actions(transfer))


@bp.route("/transfers/<int:transfer_id>/receive", methods=["GET", "POST"])
@require_roles(*WRITERS)
def receive(transfer_id: int):
    """Record what arrived, line by line; optionally close with a shortfall reason."""
    transfer = services.get_transfer(current_user, transfer_id)
    if not _actions(transfer)["can_receive"]:
        if not can_access_site(current_user, transfer.to_site_id):
            abort(403)
        flash(f"This transfer is {transfer.status.replace('_', ' ')}.", "info")
        return redirect(url_for("transfer_pages.detail", transfer_id=transfer.id))
    form = ArrivalForm()
    open_lines = [line for line in transfer.lines if line.in_transit]
    if request.method == "GET":
        for line in open_lines:
            form.lines.append_entry({"line_id": str(line.id), "quantity": line.in_transit})
    by_id = {str(line.id): line for line in open_lines}
    entries = [(entry, by_id.get(entry.form.line_id.data)) for entry in form.lines.entries]
    if form.validate_on_submit():
        sent = [(row, line, entry.form.quantity.data) for row, (entry, line)
                in enumerate(entries) if line is not None and entry.form.quantity.data]
        data = {"client_id": form.client_uuid(), "occurred_at": utcnow(),
                "close": bool(form.close.data),
                "shortfall_reason": (form.shortfall_reason.data or "").strip() or None,
                "lines": [{"item": line.item.code,
                           "lot": line.lot.lot_code if line.lot else None, "quantity": qty}
                          for _, line, qty in sent]}
        result = commit_or_show(
            form, lambda: services.receive_transfer(current_user, transfer.id, data),
            [row for row, _, _ in sent])
        if result is not None:
            if result is not REPLAYED:
                flash(f"Recorded. The transfer is now {result[0].status.replace('_', ' ')}.",
                      "success")
            return redirect(url_for("transfer_pages.detail", transfer_id=transfer.id))
    status = 422 if request.method == "POST" else 200
    return render_template("transfers/receive.html", form=form, transfer=transfer,
                           entries=entries), status


@bp.route("/transfers/<int:transfer_id>/cancel", methods=["POST"])
@require_roles(*WRITERS)
def cancel(transfer_id: int):
    """Cancel while nothing was received; the stock returns to the source."""
    form = ArrivalForm()  # only its CSRF token is used
    if not form.validate_on_submit():
        abort(400)
    result = commit_or_show(form, lambda: services.cancel_transfer(current_user, transfer_id))
    if result is None:
        flash(form.form_errors[0], "error")
    else:
        flash("Cancelled: the stock is back at the source.", "success")
    return redirect(url_for("transfer_pages.detail", transfer_id=transfer_id))
