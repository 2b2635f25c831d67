"""Stock pages: the dashboard (every site × item, the coordinator's home), one site's stock
(item totals, lots folded under them) and the stock card of a site × item."""
from datetime import timedelta
from urllib.parse import quote

import pandas as pd
from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from inventory.admin.services import list_sites
from inventory.auth.permissions import (ALL_ROLES, COORDINATOR, STAFF, WRITERS,
                                        ensure_site_access, require_roles)
from inventory.catalog.models import ITEM_CATEGORIES
from inventory.errors import InvalidInput
from inventory.labels import N_
from inventory.reorder import formula
from inventory.reorder.status import STATUS_LABELS, compute, status_figures
from inventory.reporting.chart import NARROW, WIDE, bar_chart
from inventory.settings.services import current_settings, local_today
from inventory.stock.card import card_csv, card_lines, site_and_item
from inventory.stock.shelf import site_or_404, site_shelf
from reports.model import ChartSpec, Sheet

bp = Blueprint("stock_status", __name__)


def _visible_sites():
    if current_user.role == STAFF:
        return sorted((s for s in current_user.sites if s.active), key=lambda s: s.code)
    return list_sites(include_inactive=False)


def _weeks(days) -> list[tuple[int, int]]:
    """Index ranges of the look-back cut into weeks ending yesterday (the first may be short)."""
    ends = list(range(len(days), 0, -7))
    return [(max(end - 7, 0), end) for end in reversed(ends)]


def _charts(figures, days) -> list[dict]:
    """Per item shown: units handed out per week over the look-back, summed over the sites
    shown, drawn as the reports page draws its charts (both layouts; a bar per week keeps a
    page of many items small)."""
    by_item: dict = {}
    for figure in figures:
        totals = by_item.setdefault(figure.item.id, (figure.item, [0] * len(days)))[1]
        for i, units in enumerate(figure.series.consumed):
            totals[i] += units
    weeks = _weeks(days)
    labels = [days[start].strftime("%-d %b") for start, _ in weeks]
    charts = []
    for item, totals in by_item.values():
        if not any(totals):
            continue
        weekly = [sum(totals[start:end]) for start, end in weeks]
        title = gettext("%(item)s: handed out per week, last %(days)s days (%(unit)s)",
                        item=item.name, days=len(days), unit=item.unit)
        sheet = Sheet(name=item.code, frame=pd.DataFrame({"Week from": labels,
                                                          "Handed out": weekly}),
                      chart=ChartSpec(title=title, category_column="Week from",
                                      value_columns=["Handed out"], rows=len(weeks)))
        charts.append({"item": item, "total": sum(totals),
                       "layouts": [bar_chart(sheet, layout) for layout in (WIDE, NARROW)]})
    return charts


def _links(figures) -> dict:
    """(site code, item code) → (site stock URL, stock card URL): one url_for per site, not
    two per row (600 rows)."""
    sites, links = {}, {}
    for f in figures:
        if f.site.code not in sites:
            sites[f.site.code] = (url_for("main.site_stock", code=f.site.code),
                                  url_for("stock_status.stock_card", code=f.site.code,
                                          item_code="__ITEM__"))
        site_url, card = sites[f.site.code]
        links[(f.site.code, f.item.code)] = (site_url,
                                             card.replace("__ITEM__", quote(f.item.code, "")))
    return links


def dashboard_context() -> dict:
    """The dashboard's figures for the filters in the query string (site, category, status).

    Raises InvalidInput (unknown status or category), Forbidden (site not assigned)."""
    site = request.args.get("site") or None
    category = request.args.get("category") or None
    status = request.args.get("status") or None
    if site is not None and len(site) > 32:
        raise InvalidInput(N_("Unknown site."), field="site")
    if status and status not in formula.STATUSES:
        raise InvalidInput(N_("Status is one of %(statuses)s."), field="status",
                           params={"statuses": ", ".join(formula.STATUSES)})
    figures = status_figures(current_user, [site] if site else None, None, category)
    counts = {name: sum(1 for f in figures if f.status == name) for name in formula.STATUSES}
    shown = [f for f in figures if not status or f.status == status]
    return {
        "links": _links(shown),
        "figures": shown, "counts": counts, "sites": _visible_sites(),
        "categories": ITEM_CATEGORIES, "statuses": formula.STATUSES,
        "status_labels": STATUS_LABELS, "chosen": {"site": site, "category": category,
                                                   "status": status},
        "charts": _charts(shown, formula.window_days(local_today())),
        "settings": current_settings(), "today": local_today(),
    }


@bp.route("/stock")
@require_roles(*ALL_ROLES)
def dashboard():
    return render_template("stock/dashboard.html", **dashboard_context())


@bp.route("/sites/<code>/items/<item_code>/card")
@require_roles(*WRITERS)
def stock_card(code: str, item_code: str):
    """Every ledger line of one site × item with its running balance, newest first."""
    site, item = site_and_item(current_user, code, item_code)
    lines, total = card_lines(site, item, limit=500, say=gettext)
    return render_template("stock/card.html", site=site, item=item, lines=lines, total=total,
                           settings=current_settings())


@bp.route("/sites/<code>/items/<item_code>/card.csv")
@require_roles(*WRITERS)
def stock_card_csv(code: str, item_code: str):
    site, item = site_and_item(current_user, code, item_code)
    return Response(card_csv(site, item), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="stock-card-{site.code}-{item.code}.csv"'})


def site_stock_page(code: str):
    """One site's stock: item totals with status, lots folded under them (the per-site page,
    ``/sites/<code>/stock``)."""
    site = site_or_404(code)
    ensure_site_access(current_user, site)
    today = local_today()
    figures = {f.item.id: f for f in compute({site.id}, today)}
    return render_template("stock/site.html", site=site, items=site_shelf(site, today),
                           figures=figures, status_labels=STATUS_LABELS, today=today,
                           soon=today + timedelta(days=90),
                           can_plan=current_user.role in (COORDINATOR, "admin"))


@bp.app_template_filter("local_time")
def _local_time(value) -> str:
    """A UTC timestamp shown in the program timezone, to the minute."""
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(current_settings().timezone)).strftime("%Y-%m-%d %H:%M")
