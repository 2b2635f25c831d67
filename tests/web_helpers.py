"""Helpers shared by the server-rendered page tests (tests/test_web_*.py)."""
import re
from contextlib import contextmanager

from inventory.first_run import forget_setup_state

PASSWORD = "correct horse battery"  # tests.factories.make_user's default
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no csrf_token field"
    return match.group(1)


@contextmanager
def config(app, **values):
    """Temporarily override app.config keys (restored afterwards, even on failure)."""
    missing = object()
    saved = {key: app.config.get(key, missing) for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is missing:
                app.config.pop(key, None)
            else:
                app.config[key] = value


@contextmanager
def setup_redirect_on(app):
    """Turn on the first-run redirect (off under TESTING) with no cached "setup done" flag."""
    with config(app, SETUP_REDIRECT=True):
        forget_setup_state()
        try:
            yield
        finally:
            forget_setup_state()
