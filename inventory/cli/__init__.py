"""The ``flask --app wsgi ...`` commands."""
from flask import Flask


def register_commands(app: Flask) -> None:
    pass
