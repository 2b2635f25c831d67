"""Domain errors raised by services, and how they become HTTP answers.

Services raise these; the API turns them into ``application/problem+json`` and the HTML views
show the form again with the message. ``field`` names the offending input field (dotted path).

A message shown on a page is an English message id marked ``N_``; values in it are
``%(name)s`` placeholders filled from ``params``, so a page can translate the fixed text and
fill in the values (``inventory.i18n.errors.error_message``) while the API says it in English.
"""


class DomainError(Exception):
    status = 422
    title = "Unprocessable Entity"  # as webargs answers a schema error, so clients see one title

    def __init__(self, message: str, field: str | None = None, params: dict | None = None):
        self.template = message
        self.params = params or {}
        self.message = message % self.params if params else message
        super().__init__(self.message)
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]} if self.field else {}


class InvalidInput(DomainError):
    """Input that parses but breaks a rule (unknown code, future date, bad quantity)."""


class InsufficientStock(DomainError):
    """A transfer, disposal or adjustment would take a balance below zero."""

    title = "Insufficient stock"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    """A client_id reused with a different body, or a state change that already happened."""

    status = 409
    title = "Conflict"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
