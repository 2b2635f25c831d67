"""Plain titles and explanations for the error page, by HTTP status (English message ids)."""
from inventory.labels import N_

ERROR_TEXTS = {
    400: (N_("Bad request"), N_("The request was not understood. Go back and try again.")),
    403: (N_("Not allowed"), N_("Your account may not open this page.")),
    404: (N_("Not found"), N_("There is nothing at this address.")),
    405: (N_("Not allowed"), N_("This page cannot be used that way.")),
    413: (N_("Too large"), N_("What was sent is too large.")),
    422: (N_("Cannot be saved"), N_("Something in the request is not valid.")),
    429: (N_("Too many requests"), N_("Wait a moment and try again.")),
    500: (N_("Something went wrong"), N_("Please try again in a moment.")),
    503: (N_("Busy"), N_("The server is busy; try again in a moment.")),
}


def error_texts(error) -> tuple[str, str]:
    """The error page's heading and sentence for ``error`` (an HTTPException, a DomainError or
    anything else), in the page's language. A domain error's own message is kept (translated
    when the catalogue has it): it says what to fix."""
    from flask_babel import gettext

    status = getattr(error, "code", None) or getattr(error, "status", None) or 500
    title, text = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    message = getattr(error, "message", None)
    return gettext(title), gettext(message) if message else gettext(text)
