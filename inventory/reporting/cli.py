"""CLI: ``flask --app wsgi report (--quarter FY2027Q1 | --from D --to D) [--site CODE]...
[--template funder|naloxone] --out PATH``, and ``flask --app wsgi report-cache``.

Writes an .xlsx (or, when PATH ends in .zip, the sheets as CSV files in a zip) and prints its
progress. Exits with status 2 and a message for a bad period, site or template.
"""
import time

import click
from flask.cli import with_appcontext

from inventory.database import read_only_transactions
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.reporting import services
from reports.csvzip import write_csv_zip
from reports.xlsx import write_xlsx


@click.command("report")
@click.option("--quarter", help="Fiscal quarter, e.g. FY2027Q1.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First day, local.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day, local.")
@click.option("--site", "sites", multiple=True, help="Site code; repeat for several (default all).")
@click.option("--template", type=click.Choice(["funder", "naloxone"]), default="funder",
              show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the .xlsx (or .zip for CSV files).")
@with_appcontext
def report_command(quarter, date_from, date_to, sites, template, out):
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
        date_to=date_to.date() if date_to else None, sites=tuple(sites), template=template)
    try:
        # Cheap once filled: only closed months that are new or gained an event are summed.
        progress("Bringing the ledger month cache up to date")
        services.refresh_ledger_months()
        with read_only_transactions():
            report = services.make_report(req, progress=progress)
            db.session.rollback()
    except InvalidInput as exc:
        raise click.UsageError(exc.message) from None
    progress(f"Writing {len(report.sheets)} sheets to {out}")
    if out.lower().endswith(".zip"):
        write_csv_zip(report, out)
    else:
        write_xlsx(report, out)
    progress(f"Done: {report.title}")
    click.echo(out)


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


COMMANDS = [report_command, report_cache_command]
