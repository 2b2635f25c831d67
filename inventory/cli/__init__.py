"""The ``flask --app wsgi ...`` commands."""
import click
from flask import Flask

from inventory.errors import DomainError
from inventory.extensions import db


def register_commands(app: Flask) -> None:
    from inventory.cli import demo, ledger, maintenance, users
    from inventory.reorder import cli as reorder
    from inventory.reporting import cli as reporting

    for module in (demo, ledger, users, reporting, maintenance, reorder):
        for command in module.COMMANDS:
            app.cli.add_command(command)


def commit_or_fail(action, *, show_field: bool = True):
    """Run ``action`` (a service call), commit once; a domain error becomes a CLI error.

    The error's field is appended to its message in parentheses unless ``show_field`` is False.
    Any other exception rolls back and propagates.
    """
    try:
        result = action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        where = f" ({error.field})" if show_field and error.field else ""
        raise click.ClickException(f"{error.message}{where}") from error
    except BaseException:
        db.session.rollback()
        raise
    return result
