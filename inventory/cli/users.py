"""``flask create-user``, ``create-token``, ``list-tokens`` and ``revoke-token``."""
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
@click.option("--name", default="", help="What the token is for (shown in the token lists).")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None,
              help="Days until the token stops working (default: never).")
def create_token_command(email: str, name: str, expires_days: int | None) -> None:
    """Create an API token for EMAIL and print it (alone, on the last line). Shown only once."""
    from inventory.auth.tokens import create_token

    token = commit_or_fail(lambda: create_token(email, name, expires_days))
    click.echo(f"API token for {email.strip().lower()} (store it now; it is not shown again):")
    click.echo(token)


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@click.command("list-tokens")
@click.argument("email", required=False)
def list_tokens_command(email: str | None) -> None:
    """List API tokens (of EMAIL, or everyone's): id, owner, name, prefix, status, dates."""
    from inventory.auth.services import user_by_email
    from inventory.auth.tokens import list_tokens

    user_id = None
    if email:
        user = user_by_email(email)
        if user is None:
            raise click.ClickException(f"No user with email {email.strip().lower()}.")
        user_id = user.id
    rows = list_tokens(user_id)
    if not rows:
        click.echo("No API tokens.")
        return
    click.echo(f"{'id':>5}  {'status':<8} {'prefix':<9} {'created (UTC)':<17} "
               f"{'expires (UTC)':<17} {'owner':<30} name")
    for row in rows:
        click.echo(f"{row.id:>5}  {row.status:<8} {row.prefix:<9} {_when(row.created_at):<17} "
                   f"{_when(row.expires_at):<17} {row.email:<30} {row.name}")


@click.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke the API token with TOKEN_ID (the id that list-tokens shows), at once."""
    from inventory.auth.tokens import revoke_token

    row = commit_or_fail(lambda: revoke_token(token_id), show_field=False)
    click.echo(f"Token {row.id} ({row.prefix}…) revoked.")


COMMANDS = [create_user_command, create_token_command, list_tokens_command,
            revoke_token_command]
