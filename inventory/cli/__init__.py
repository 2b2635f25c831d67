"""The ``flask --app wsgi ...`` commands."""
from flask import Flask


def register_commands(app: Flask) -> None:
    from inventory.cli import demo, ledger, users
    from inventory.reporting import cli as reporting

    for module in (demo, ledger, users, reporting):
        for command in module.COMMANDS:
            app.cli.add_command(command)
