"""``flask --app wsgi stock-days`` (nightly cache of the look-back) and ``alerts``."""
import click
from flask.cli import with_appcontext

from inventory.cli import commit_or_fail


@click.command("stock-days")
@with_appcontext
def stock_days():
    """Re-sum the 90-day look-back for the stock dashboard and reorder (run nightly)."""
    from inventory.reorder.cache import refresh_stock_days

    done = commit_or_fail(refresh_stock_days)
    click.echo(f"stock days {done['first_day']}..{done['last_day']}: {done['rows']} rows, "
               f"events up to id {done['through_event_id']}")



@click.command("alerts")
@click.option("--email", is_flag=True, help="Also e-mail each coordinator (needs MAIL_SERVER).")
@with_appcontext
def alerts(email: bool):
    """List stock-outs, items below minimum, discrepancies and lots expiring within 30 days,
    per site. Exit status 0 (cron-friendly); nothing is changed."""
    from inventory.reorder.alerts import (alerts_text, email_coordinators, mail_configured,
                                          site_alerts)
    from inventory.settings.services import local_today

    today = local_today()
    text = alerts_text(site_alerts(today), today)
    click.echo(text, nl=False)
    if email:
        if not mail_configured():
            click.echo("MAIL_SERVER is not set: no e-mail sent.", err=True)
            return
        sent = email_coordinators(text, today)
        click.echo(f"E-mailed {len(sent)} coordinator(s).", err=True)


COMMANDS = [stock_days, alerts]
