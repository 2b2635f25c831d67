"""RFC 9457 problem+json answers for every error under /api."""
from flask import Response, json, request
from werkzeug.exceptions import HTTPException

from inventory.errors import DomainError

PROBLEM_MIMETYPE = "application/problem+json"



def problem(status: int, title: str, detail: str | None = None,
            errors: dict[str, list[str]] | None = None, headers=None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def flatten_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turn webargs/marshmallow nested messages into ``{"items.0.quantity": [...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict)):
                flat.update(flatten_messages(value, path))
            elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
                for index, sub in enumerate(value):
                    flat.update(flatten_messages(sub, f"{path}.{index}"))
            else:
                flat[path] = value if isinstance(value, list) else [str(value)]
    elif isinstance(messages, list):
        flat[prefix or "_schema"] = [str(m) for m in messages]
    return flat


def passed_on_headers(exc: HTTPException) -> dict[str, str]:
    """The headers an HTTP error carries beyond its own body's (``Allow`` on a 405,
    ``Retry-After``…), for an answer that replaces its body."""
    return {key: value for key, value in exc.get_headers()
            if key.lower() not in ("content-type", "content-length")}


def from_http_exception(exc: HTTPException) -> Response:
    errors = None
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if messages:
        # webargs nests messages by location ("json", "query"); the field path is what matters.
        merged: dict = {}
        for location_messages in messages.values():
            merged.update(flatten_messages(location_messages))
        # A body that is not JSON at all has no field to name but the body itself.
        errors = {("body" if key == "_schema" else key): value for key, value in merged.items()}
    detail = {
        401: "Sign in, or send an API token as 'Authorization: Bearer <token>'.",
        413: f"The body is larger than the limit of {request.max_content_length} bytes.",
        415: "Send the body as JSON (Content-Type: application/json).",
        422: "The request has invalid fields.",
    }.get(exc.code, exc.description)
    if exc.code in (413, 415):
        errors = {"body": [detail]}  # the body as a whole is what is wrong
    headers = passed_on_headers(exc)
    if exc.code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem(exc.code or 500, exc.name, detail, errors, headers)


def from_domain_error(exc: DomainError) -> Response:
    return problem(exc.status, exc.title, exc.message, exc.errors or None)
