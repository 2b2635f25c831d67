"""Reorder pages: suggestions → a request, policies, requests with their state buttons and
supplier exports. Coordinators and admins only."""
import uuid
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inventory.admin.services import list_sites
from inventory.auth.forms import attach_error
from inventory.auth.permissions import ADMIN, COORDINATOR, require_roles
from inventory.catalog.models import Item
from inventory.database import utcnow
from inventory.errors import DomainError, InvalidInput
from inventory.extensions import db
from inventory.input_rules import bad_text
from inventory.reorder import policies, requests, status
from inventory.reorder.export import request_csv, request_xlsx
from inventory.reorder.forms import ActionForm, PolicyForm, ReceiveForm
from inventory.settings.services import current_settings

bp = Blueprint("reorder_pages", __name__, url_prefix="/reorder")


@bp.before_request
@require_roles(COORDINATOR, ADMIN)
def _planners_only():
    return None


@bp.route("/")
def suggestions():
    """Suggestions grouped by site, each site's lines editable, then "Create request"."""
    by_site: dict = {}
    for figure in status.suggestions(current_user):
        by_site.setdefault(figure.site.code, (figure.site, []))[1].append(figure)
    return render_template("reorder/suggestions.html", groups=list(by_site.values()),
                           form=ActionForm(), settings=current_settings())


def _packs_from_form() -> list[dict]:
    """``packs-<item code>`` fields with a whole number above 0. Raises InvalidInput."""
    lines = []
    for name, value in request.form.items():
        if not name.startswith("packs-") or not value.strip():
            continue
        if bad_text(name) or bad_text(value) or not value.strip().isdigit():
            raise InvalidInput("Packs must be whole numbers.", field=name)
        if int(value) > 0:
            lines.append({"item": name.removeprefix("packs-"), "packs": int(value)})
    if not lines:
        raise InvalidInput("Give at least one item a number of packs.", field="lines")
    return lines


@bp.route("/requests", methods=["POST"])
def create_request():
    form = ActionForm()
    site = request.form.get("site", "")
    try:
        if not form.validate_on_submit():
            raise InvalidInput("The form expired; please try again.", field="csrf_token")
        made, _ = requests.create_request(current_user, {
            "client_id": uuid.uuid4(), "site": site[:32], "note": None,
            "lines": _packs_from_form()})
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".suggestions")), 303
    db.session.commit()
    flash(f"Reorder request {made.id} created as a draft.", "success")
    return redirect(url_for(".request_detail", request_id=made.id))


@bp.route("/requests")
def request_list():
    rows = db.session.scalars(requests.requests_query(current_user).limit(200)).all()
    return render_template("reorder/requests.html", rows=rows)


@bp.route("/requests/<int:request_id>")
def request_detail(request_id: int):
    found = requests.get_request(current_user, request_id)
    return render_template("reorder/request.html", req=found, form=ActionForm(),
                           receive_form=ReceiveForm())


@bp.route("/requests/<int:request_id>/<any(submit, order):action>", methods=["POST"])
def advance(request_id: int, action: str):
    form = ActionForm()
    if form.validate_on_submit():
        try:
            requests.advance(current_user, request_id, action)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash({"submit": "Submitted.", "order": "Marked as ordered."}[action], "success")
    return redirect(url_for(".request_detail", request_id=request_id))


def _receipt_lines(found) -> list[dict]:
    """Per ordered line: units received, and lot and expiry when the form gives them."""
    lines = []
    for line in found.lines:
        key = line.item.code
        quantity = request.form.get(f"quantity-{key}", "").strip()
        lot = request.form.get(f"lot-{key}", "").strip() or None
        expires = request.form.get(f"expires-{key}", "").strip() or None
        if any(bad_text(v or "") for v in (quantity, lot, expires)):
            raise InvalidInput("Invalid characters.", field=f"lot-{key}")
        if not quantity.isdigit() or int(quantity) < 1:
            raise InvalidInput(f"{key}: give the units received.", field=f"quantity-{key}")
        try:
            expiry = date.fromisoformat(expires) if expires else None
        except ValueError:
            raise InvalidInput(f"{key}: expiry is a date like 2027-03-31.",
                               field=f"expires-{key}") from None
        lines.append({"item": key, "quantity": int(quantity), "lot": lot[:64] if lot else None,
                      "expires_on": expiry})
    return lines


@bp.route("/requests/<int:request_id>/receive", methods=["POST"])
def receive(request_id: int):
    form = ReceiveForm()
    try:
        if not form.validate_on_submit():
            raise InvalidInput("The form expired; please try again.", field="csrf_token")
        found = requests.get_request(current_user, request_id)
        requests.receive_request(current_user, request_id, {
            "client_id": uuid.uuid4(), "occurred_at": utcnow(),
            "document_ref": (form.document_ref.data or "").strip()[:80] or None,
            "lines": _receipt_lines(found)})
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Received: the stock is on the shelf.", "success")
    return redirect(url_for(".request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>/export.<any(csv, xlsx):kind>")
def export(request_id: int, kind: str):
    found = requests.get_request(current_user, request_id)
    name = f"reorder-{found.id}-{found.site.code}.{kind}"
    if kind == "csv":
        body, mimetype = request_csv(found), "text/csv"
    else:
        body = request_xlsx(found)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/policies", methods=["GET", "POST"])
def policy_page():
    form = PolicyForm()
    items = db.session.scalars(select(Item).where(Item.active)
                               .order_by(Item.display_order, Item.code)).all()
    form.item.choices = [(i.code, i.name) for i in items]
    form.site.choices = [("", "Every site")] + [(s.code, f"{s.name} ({s.code})")
                                                for s in list_sites(include_inactive=False)]
    if form.validate_on_submit():
        try:
            policies.set_policy(current_user, form.item.data, form.site.data or None,
                                form.min_months.data, form.max_months.data)
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash("Policy saved.", "success")
            return redirect(url_for(".policy_page"))
    code = 422 if request.method == "POST" else 200
    return render_template("reorder/policies.html", form=form,
                           rows=policies.policy_rows()), code
