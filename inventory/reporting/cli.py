"""CLI: ``flask --app wsgi report (--quarter FY2027Q1 | --from D --to D) [--site CODE]...
[--template funder|naloxone|FORM] [--exact-for NAME --admin EMAIL] --out PATH``,
``flask --app wsgi report-cache``, ``report-indicators`` and ``report-forms``.

Writes an .xlsx (or, when PATH ends in .zip, the sheets as CSV files in a zip) and prints its
progress. Exits with status 2 and a message for a bad period, site or template. ``--exact-for``
turns suppression off for one .xlsx workbook marked for that regulator; it needs ``--admin``, the
email of an active admin account, and is recorded in the audit log under that admin.
"""
import time

import click
from flask.cli import with_appcontext

from inventory.database import read_only_transactions
from inventory.auth.services import user_by_email
from inventory.errors import DomainError
from inventory.extensions import db
from inventory.reporting import services
from reports.csvzip import write_csv_zip
from reports.xlsx import write_xlsx


@click.command("report")
@click.option("--quarter", help="Fiscal quarter, e.g. FY2027Q1.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First day, local.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day, local.")
@click.option("--site", "sites", multiple=True, help="Site code; repeat for several (default all).")
@click.option("--template", default="funder", show_default=True,
              help="funder, naloxone, or a form template (report-indicators lists the "
                   "indicators; reports/forms holds the shipped forms).")
@click.option("--exact-for", "exact_for", metavar="NAME",
              help="Exact counts (no suppression) for this regulator; needs --admin.")
@click.option("--admin", "admin_email", metavar="EMAIL",
              help="Email of the admin asking for exact counts (recorded in the audit log).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the .xlsx (or .zip for CSV files).")
@with_appcontext
def report_command(quarter, date_from, date_to, sites, template, exact_for, admin_email, out):
    """Build a report workbook for a fiscal quarter or a date range."""
    if bool(quarter) == bool(date_from or date_to):
        raise click.UsageError("Give either --quarter, or --from and --to.")
    if not quarter and not (date_from and date_to):
        raise click.UsageError("--from and --to go together.")
    started = time.perf_counter()

    def progress(message: str) -> None:
        click.echo(f"[{time.perf_counter() - started:6.2f}s] {message}", err=True)

    req = services.ReportRequest(
        period_kind="quarter" if quarter else "range", quarter=quarter,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None, sites=tuple(sites), template=template,
        exact_for=exact_for)
    admin = _exact_admin(exact_for, admin_email, out)
    try:
        # Cheap once filled: only closed months that are new or gained an event are summed.
        progress("Bringing the ledger month cache up to date")
        services.refresh_ledger_months()
        with read_only_transactions():
            report = services.make_report(req, progress=progress, user=admin)
            db.session.rollback()
    except DomainError as exc:
        raise click.UsageError(exc.message) from None
    if report.exact_for:
        services.record_exact_use(report, admin, "cli")
        db.session.commit()
        progress(f"Recorded in the audit log: {report.exact_for}, asked by {admin.email}")
    progress(f"Writing {len(report.sheets)} sheets to {out}")
    if out.lower().endswith(".zip"):
        write_csv_zip(report, out)
    else:
        write_xlsx(report, out)
    progress(f"Done: {report.title}")
    click.echo(out)


def _exact_admin(exact_for, admin_email, out):
    """The admin behind an exact-count request (None without ``--exact-for``); UsageError
    otherwise."""
    if exact_for is None:
        if admin_email:
            raise click.UsageError("--admin goes with --exact-for.")
        return None
    if out.lower().endswith(".zip"):
        raise click.UsageError("Exact counts come as an .xlsx workbook only.")
    user = user_by_email(admin_email) if admin_email else None
    if user is None or user.role != "admin" or not user.active:
        raise click.UsageError("--exact-for needs --admin EMAIL, the email of an active admin.")
    return user


@click.command("report-cache")
@with_appcontext
def report_cache_command():
    """Sum closed months of the stock ledger for reports (``report`` does it first; run it
    nightly for the web page; safe to repeat).

    Reports stay exact without it; they read months that are missing or changed since from the
    ledger, which is slower for old periods.
    """
    started = time.perf_counter()
    counts = services.refresh_ledger_months()
    click.echo(f"Ledger months: {counts['summed']} summed, {counts['kept']} unchanged, "
               f"{counts['dropped']} dropped in {time.perf_counter() - started:.1f}s")


@click.command("report-indicators")
def report_indicators_command():
    """List the indicator names a form template may use, and the form templates."""
    from reports.form_indicators import REGISTRY

    for name, indicator in REGISTRY.items():
        kind = "text" if indicator.text else ("people" if indicator.person else "supply")
        click.echo(f"{name:<40} {kind:<7} {indicator.label}")


@click.command("report-forms")
@with_appcontext
def report_forms_command():
    """List the form templates; a broken one is shown with the reason (exit status 1)."""
    valid, broken = services.form_templates()
    for name, title in valid.items():
        click.echo(f"{name:<24} {title}")
    for name, why in broken.items():
        click.echo(f"{name:<24} BROKEN: {why}", err=True)
    if broken:
        raise SystemExit(1)


COMMANDS = [report_command, report_cache_command, report_indicators_command,
            report_forms_command]
