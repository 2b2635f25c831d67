"""What kind of request this is. A leaf module: every layer may import it, it imports none."""
from flask import request


def is_api_request() -> bool:
    """Whether this request is for the JSON API (problem+json answers, bearer tokens)."""
    return request.path.startswith("/api/")
