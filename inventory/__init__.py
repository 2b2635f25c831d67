"""Outreach Supply Tracker: the Flask application."""
from flask import Flask

from inventory import setup_steps as steps


def create_app(config: dict | None = None) -> Flask:
    """Build the application. ``config`` overrides settings (tests pass their database here)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    steps.load_config(app, config)
    steps.register_extensions(app)
    steps.register_i18n(app)
    steps.register_database(app)
    steps.register_auth(app)
    steps.register_errors(app)
    steps.register_blueprints(app)
    steps.register_api(app)
    steps.register_cli(app)
    steps.register_first_run(app)
    return app
