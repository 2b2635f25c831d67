"""Languages of the pages and the handout screen (Flask-Babel).

The locale is the one the person picked on this device (the ``lang`` cookie, set by
``/language/<code>``), else the best match of the browser's Accept-Language, else English.
"""
from pathlib import Path

from flask import Flask, has_request_context, request

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"
# Two years: the choice stays with the device, not with the signed-in person.
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600


def select_locale() -> str:
    """The request's language code (one of :data:`LANGUAGES`); English outside a request (CLI)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(tuple(LANGUAGES), DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the catalogues in ``translations/`` at the repository root (compiled
    ``.mo`` files are committed, so a fresh checkout needs no build step)."""
    from flask_babel import get_locale

    from inventory.extensions import babel

    root = Path(app.root_path).parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(root))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    babel.init_app(app, locale_selector=select_locale)

    from inventory.i18n.errors import error_texts

    app.jinja_env.globals["error_texts"] = error_texts

    @app.context_processor
    def _language() -> dict:
        return {"current_language": str(get_locale() or DEFAULT_LANGUAGE),
                "LANGUAGES": LANGUAGES}
