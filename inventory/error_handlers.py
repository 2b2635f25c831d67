"""Error pages for people, problem+json for API clients."""
from flask import Flask, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from inventory.request_kind import is_api_request
from inventory.api.problems import (from_domain_error, from_http_exception, passed_on_headers,
                                    problem)
from inventory.database import READ, set_transaction_mode
from inventory.errors import DomainError
from inventory.extensions import db


def _is_locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig) or "deadlock detected" in str(exc.orig)


def _rollback() -> None:
    """Undo the request's writes; whatever the error page reads (the signed-in user) must not
    queue for SQLite's write lock again."""
    db.session.rollback()
    set_transaction_mode(READ)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if is_api_request():
            return from_http_exception(exc)
        if exc.code and exc.code >= 400:
            return render_template("error.html", error=exc), exc.code, passed_on_headers(exc)
        return exc

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        _rollback()
        if is_api_request():
            return from_domain_error(exc)
        return render_template("error.html", error=exc), exc.status

    @app.errorhandler(OperationalError)
    def _busy(exc: OperationalError):
        # Lock contention beyond the busy timeout is an overload, not a bug: ask the client to retry.
        if not _is_locked(exc):
            raise exc
        _rollback()
        if is_api_request():
            return problem(503, "Service busy", "The database is busy; retry shortly.",
                           headers={"Retry-After": "1"})
        return render_template("error.html", error=exc), 503
