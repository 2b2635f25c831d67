"""``flask seed-demo``: a demo program with a year of realistic data."""
import click
from flask_migrate import upgrade

from inventory.cli import commit_or_fail


@click.command("seed-demo")
@click.option("--events", default=5000, show_default=True, type=click.IntRange(min=0),
              help="Encounters to create over the past 12 months (0: sites and users only).")
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--password", default=None,
              help="Password for every demo user (default: a random one each, printed).")
def seed_demo_command(events: int, seed: int, password: str | None) -> None:
    """Create a demo program: sites, catalogue, one user per role, and N encounters with stock."""
    from inventory.demo import seed_demo

    # Any database, SQLite or PostgreSQL: bring the schema to head first (a no-op when it is).
    upgrade()
    click.echo(f"Seeding a demo program with {events:,} encounters...")
    result = commit_or_fail(
        lambda: seed_demo(events, seed=seed, password=password, echo=click.echo),
        show_field=False)
    for table, rows in sorted(result.written.items()):
        click.echo(f"  {table}: {rows:,} rows")
    click.echo(f"Done in {result.seconds:.1f} s. Demo logins:")
    for login in result.logins:
        sites = f"  (sites: {', '.join(login.sites)})" if login.sites else ""
        click.echo(f"  {login.role:<12} {login.email:<32} password: {login.password}{sites}")


COMMANDS = [seed_demo_command]
