"""Pages: start a count at a site, enter what is on the shelf lot by lot, submit it."""
from itertools import groupby

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inventory.auth.permissions import WRITERS, require_roles
from inventory.counts import services
from inventory.counts.forms import CountForm
from inventory.counts.models import Count
from inventory.extensions import db
from inventory.forms import Form
from inventory.stock.forms import page_site
from inventory.stock.views import commit_or_show

bp = Blueprint("count_pages", __name__)


@bp.route("/sites/<code>/count", methods=["GET", "POST"])
@require_roles(*WRITERS)
def new(code: str):
    """Start a count (the snapshot is taken now), or go back to one still open."""
    site = page_site(code)
    form = Form()
    if form.validate_on_submit():
        count = services.start_count(current_user, site.code)
        db.session.commit()
        return redirect(url_for("count_pages.enter", count_id=count.id))
    open_counts = db.session.scalars(select(Count).where(
        Count.site_id == site.id, Count.status == "open").order_by(Count.id.desc())).all()
    status = 422 if request.method == "POST" else 200
    return render_template("counts/new.html", site=site, form=form,
                           open_counts=open_counts), status


def _by_item(count, entries):
    """Rows grouped by item (in the item's display order): (item, [(entry, line)])."""
    pairs = sorted(((entry, line) for entry, line in entries if line is not None),
                   key=lambda pair: (pair[1].item.display_order, pair[1].item.code,
                                     pair[1].lot_id is None, pair[1].id))
    return [(item, list(rows)) for item, rows in groupby(pairs, key=lambda p: p[1].item)]


@bp.route("/counts/<int:count_id>", methods=["GET", "POST"])
@require_roles(*WRITERS)
def enter(count_id: int):
    """Enter counted quantities; Save keeps them, Submit writes the variances."""
    count = services.get_count(current_user, count_id)
    form = CountForm()
    if request.method == "GET":
        for line in count.lines:
            form.lines.append_entry({"line_id": str(line.id), "counted": line.counted})
    by_id = {str(line.id): line for line in count.lines}
    entries = [(entry, by_id.get(entry.form.line_id.data)) for entry in form.lines.entries]
    if count.status == "open" and form.validate_on_submit():
        figures = {line.id: entry.form.counted.data for entry, line in entries if line}
        def save_and_maybe_submit():
            services.save_counted(current_user, count.id, figures)
            if request.form.get("action") == "submit":
                return services.submit_count(current_user, count.id)
            return count

        # Services name a line by its place in count.lines, as the form's rows are made.
        result = commit_or_show(form, save_and_maybe_submit)
        if result is not None:
            flash("Count submitted: the variances are in the stock ledger."
                  if result.status == "submitted" else "Saved.", "success")
            return redirect(url_for("count_pages.enter", count_id=count.id))
    status = 422 if request.method == "POST" else 200
    moved = any(line.moved_since_start for line in count.lines)
    return render_template("counts/enter.html", count=count, form=form, moved=moved,
                           groups=_by_item(count, entries)), status
