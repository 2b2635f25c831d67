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


COMMANDS = [stock_days]
