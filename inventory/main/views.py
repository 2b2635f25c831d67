"""The home page, one per role, and a read-only stock summary per site."""
from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from inventory.admin.services import list_sites
from inventory.auth.permissions import (ADMIN, COORDINATOR, REPORT_READERS, REPORTER, STAFF,
                                        require_roles)
from inventory.catalog.models import Site
from inventory.encounters.models import Encounter
from inventory.extensions import db
from inventory.labels import label
from inventory.settings.services import current_settings, local_day_bounds, local_today

bp = Blueprint("main", __name__)


@bp.app_context_processor
def _role_lists() -> dict:
    """Role lists the templates need (the navigation shows Reports to these roles)."""
    return {"REPORT_READERS": REPORT_READERS}


@bp.app_template_filter("code_label")
def _code_label(code: str | None, kind: str) -> str:
    """``{{ item.category|code_label('category') }}``: the plain label from inventory/labels.py."""
    return label(kind, code)


def _visible_sites() -> list[Site]:
    """Active sites the current user may see (staff: only their own)."""
    if current_user.role == STAFF:
        return [s for s in current_user.sites if s.active]
    return list_sites(include_inactive=False)


def _todays_encounter_counts(site_ids: list[int], today: date) -> dict[int, int]:
    """Non-void encounters per site on ``today`` (local midnight to midnight, program timezone)."""
    if not site_ids:
        return {}
    start, end = local_day_bounds(today)
    rows = db.session.execute(
        select(Encounter.site_id, func.count()).where(
            Encounter.site_id.in_(site_ids), Encounter.occurred_at >= start,
            Encounter.occurred_at < end, Encounter.voided_at.is_(None),
        ).group_by(Encounter.site_id)
    )
    return dict(rows.all())


@bp.route("/")
@login_required
def home():
    if current_user.role == COORDINATOR:  # the stock dashboard, with today's handouts per site
        from inventory.stock.status_views import dashboard_context

        context = dashboard_context()
        context["counts_today"] = _todays_encounter_counts([s.id for s in context["sites"]],
                                                           context["today"])
        return render_template("stock/dashboard.html", home=True, **context)
    context = {"settings": current_settings()}
    if current_user.role == STAFF:  # only their pages show today and the sites
        today = local_today()
        sites = _visible_sites()
        context.update(today=today, sites=sites,
                       counts=_todays_encounter_counts([s.id for s in sites], today))
    templates = {STAFF: "main/home_staff.html", COORDINATOR: "main/home_coordinator.html",
                 REPORTER: "main/home_reporter.html", ADMIN: "main/home_admin.html"}
    return render_template(templates[current_user.role], **context)


@bp.route("/sites/<code>/stock")
@require_roles(STAFF, COORDINATOR, ADMIN)
def site_stock(code: str):
    """One site's stock: item totals first, lots folded under them (see status_views)."""
    from inventory.stock.status_views import site_stock_page

    return site_stock_page(code)
