"""A ``before_request`` hook holding every API request to :mod:`inventory.input_rules` before
any schema parses it, so each field of every endpoint, present or future, is covered once:

- a path segment with NUL or a lone surrogate: 422 naming it (on a page: 404, such a path names
  nothing); a query parameter (name or value) likewise: 422 naming the parameter (pages check
  their own query strings: forms show the message);
- a JSON body nested deeper than MAX_JSON_DEPTH, or so deep that Python's parser gives up:
  400 naming ``body``;
- a string (or key) in the JSON body with NUL or a lone surrogate: 422 naming its dotted path
  (``lines.0.item``).

A body that is not JSON at all is left to the schema parser, which answers 400 as before.
"""
import json

from flask import abort, request

from inventory.api.problems import problem
from inventory.input_rules import BAD_TEXT_MESSAGE, bad_text, first_bad_json
from inventory.request_kind import is_api_request


def _refuse(field: str, message: str, status: int = 422):
    title = "Bad Request" if status == 400 else "Unprocessable Entity"
    detail = "The request has invalid fields." if status == 422 else message
    return problem(status, title, detail, {field: [message]})


def check_input():
    """Refuse bad text and over-deep JSON in an API request (see the module docstring)."""
    api = is_api_request()
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and bad_text(value):
            if not api:
                abort(404)
            return _refuse(name, BAD_TEXT_MESSAGE)
    if not api:
        return None
    for name, value in request.args.items(multi=True):
        if bad_text(name) or bad_text(value):
            return _refuse(name if not bad_text(name) else "query", BAD_TEXT_MESSAGE)
    if request.method not in ("POST", "PUT", "PATCH") or not request.is_json:
        return None
    raw = request.get_data(cache=True)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except RecursionError:
        return _refuse("body", "JSON nested too deeply.", 400)
    except ValueError:
        return None  # not JSON: the schema parser says so, as for any malformed body
    found = first_bad_json(data)
    if found is not None:
        return _refuse(*found)
    return None
