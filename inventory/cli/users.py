"""``flask create-user`` and ``flask create-token``."""
import click

from inventory.auth.models import ROLES
from inventory.cli import commit_or_fail


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--site", "sites", multiple=True, metavar="CODE",
              help="A site the user works at (repeat for several; staff see only these).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The password (asked for, twice, when not given).")
def create_user_command(email: str, role: str, sites: tuple[str, ...], password: str) -> None:
    """Create a user with ROLE, optionally assigned to sites."""
    from inventory.auth.services import create_user

    user = commit_or_fail(lambda: create_user(email, role, list(sites), password))
    where = f" at {', '.join(s.code for s in user.sites)}" if user.sites else ""
    click.echo(f"Created {user.role} {user.email}{where}.")


@click.command("create-token")
@click.argument("email")
def create_token_command(email: str) -> None:
    """Create an API token for EMAIL and print it (alone, on the last line). Shown only once."""
    from inventory.auth.services import create_token

    token = commit_or_fail(lambda: create_token(email))
    click.echo(f"API token for {email.strip().lower()} (store it now; it is not shown again):")
    click.echo(token)


COMMANDS = [create_user_command, create_token_command]
