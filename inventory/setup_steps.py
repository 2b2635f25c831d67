"""The ``register_*`` steps that :func:`inventory.create_app` runs, in order."""
import os
import secrets
import time
from pathlib import Path

from flask import Flask, g, request
from sqlalchemy import event

from inventory.config import Config
from inventory.extensions import api, csrf, db, login_manager, migrate


def _instance_secret(app: Flask, filename: str) -> str:
    """Read a secret from the instance folder, creating it (mode 600) on first run."""
    path = Path(app.instance_path) / filename
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(app: Flask, config: dict | None) -> None:
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = Path(app.instance_path) / "outreach.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        from inventory.sqlite_writers import engine_options

        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if uri.startswith("postgresql://"):  # psycopg 3, whatever the URL says
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app, "secret_key")
    if not app.config.get("PARTICIPANT_CODE_SECRET"):
        app.config["PARTICIPANT_CODE_SECRET"] = _instance_secret(app, "participant_code_secret")


def register_extensions(app: Flask) -> None:
    import inventory.models  # noqa: F401  (the whole schema, for Alembic and the API spec)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    # CSRF is checked in register_auth: forms and cookie-authenticated API calls need it,
    # bearer-token API calls do not.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    from inventory import routing

    routing.init_app(app, api)  # before any blueprint adds an <int:...> route


def _sqlite_checkpointer(app: Flask, engine):
    """A background WAL checkpointer for a file database, started by the first request a
    process serves (so never in CLI commands); None when SQLITE_CHECKPOINT_INTERVAL is 0."""
    from inventory.database import sqlite_file
    from inventory.sqlite_checkpoints import Checkpointer

    interval, path = app.config["SQLITE_CHECKPOINT_INTERVAL"], sqlite_file(engine)
    if not interval or path is None:
        return None
    checkpointer = app.extensions["sqlite_checkpointer"] = Checkpointer(path, interval)
    app.before_request(checkpointer.ensure_running)
    return checkpointer


def register_i18n(app: Flask) -> None:
    """Flask-Babel: English and Spanish pages, chosen per device (inventory.i18n)."""
    from inventory import i18n

    i18n.init_app(app)


def register_database(app: Flask) -> None:
    from inventory.request_kind import is_api_request
    from inventory.database import (DEFERRED, READ, WRITE, configure_postgresql,
                                    configure_sqlite, refuse_deferred_flush,
                                    set_transaction_mode)

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                             background_checkpoints=_sqlite_checkpointer(app, engine) is not None)
        elif engine.dialect.name == "postgresql":
            configure_postgresql(engine)
    if not event.contains(db.session, "before_flush", refuse_deferred_flush):
        event.listen(db.session, "before_flush", refuse_deferred_flush)

    @app.before_request
    def _transaction_mode():
        # Reads see one snapshot; form posts take SQLite's write lock up front (unless the view
        # is marked reads_only); API writes take it late, in the service (begin_write).
        view = app.view_functions.get(request.endpoint)
        if request.method in ("GET", "HEAD", "OPTIONS") or getattr(view, "reads_only", False):
            set_transaction_mode(READ)
        else:
            set_transaction_mode(DEFERRED if is_api_request() else WRITE)
        g.request_started = time.perf_counter()

    @app.teardown_request
    def _default_transaction_mode(_exc):
        set_transaction_mode(WRITE)  # code run after a request (CLI, tests) writes safely

    @app.after_request
    def _server_timing(response):
        # Server time of each request, for clients and the benchmarks (Server-Timing header).
        started = g.get("request_started")
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response


def register_auth(app: Flask) -> None:
    from inventory import security_headers
    from inventory.auth import loaders, sessions, throttle

    security_headers.init_app(app)
    throttle.init_app(app)
    sessions.init_app(app)
    loaders.init_app(app)


def register_errors(app: Flask) -> None:
    from inventory import error_handlers

    error_handlers.init_app(app)


def register_blueprints(app: Flask) -> None:
    from inventory.account.views import bp as account_bp
    from inventory.activity.views import bp as activity_bp
    from inventory.admin.views import bp as admin_bp
    from inventory.auth.views import bp as auth_bp
    from inventory.handout.views import bp as handout_bp
    from inventory.i18n.views import bp as i18n_bp
    from inventory.kits.views import bp as kits_bp
    from inventory.main.views import bp as main_bp
    from inventory.reorder.views import bp as reorder_bp
    from inventory.reporting.views import bp as reporting_bp
    from inventory.stock.pages import blueprints as stock_pages  # issue 12: receive … counts
    from inventory.stock.status_views import bp as stock_status_bp
    from inventory.onsite.views import bp as onsite_bp  # issue 15: services, sharps
    from inventory.survey.views import bp as survey_bp  # issue 15: point-in-time survey

    for blueprint in (auth_bp, main_bp, admin_bp, reporting_bp, account_bp, i18n_bp, kits_bp,
                      handout_bp, *stock_pages(), stock_status_bp, reorder_bp, onsite_bp,
                      survey_bp, activity_bp):
        app.register_blueprint(blueprint)


def register_api(app: Flask) -> None:
    from inventory.api import check_body, register_resources

    api.init_app(app)
    register_resources(api)
    app.before_request(check_body)
    from inventory.api.docs import bp as api_docs
    from inventory.api.guard import check_input

    app.before_request(check_input)
    app.register_blueprint(api_docs)


def register_cli(app: Flask) -> None:
    from inventory.cli import register_commands

    register_commands(app)


def register_first_run(app: Flask) -> None:
    """On an embedded SQLite database, apply migrations and seed the catalogue at start-up."""
    from inventory.first_run import prepare_database

    if app.config["AUTO_UPGRADE_SQLITE"]:
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                prepare_database()
