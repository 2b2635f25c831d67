"""What no input may contain, whatever the field: the bounds every API body, query string, path
and form is held to before anything reaches the database. A leaf module (imports no layer).

- Text: no NUL character (PostgreSQL cannot store it; SQLite would) and no lone UTF-16
  surrogate (it cannot be encoded as UTF-8, so it can be neither stored nor answered).
- Whole numbers that name rows or pages: at most :data:`MAX_DB_INT` (a 32-bit integer column).
- Dates: from :data:`DATE_MIN` to :data:`DATE_MAX`; beyond, Python's calendar overflows as soon
  as a time-zone offset or a day is added, and no supply was handed out then anyway.
- JSON: nested at most :data:`MAX_JSON_DEPTH` deep (Python's parser recurses: about 1,000
  levels exhaust its stack).
"""
import re
from datetime import UTC, date, datetime

from inventory.labels import N_  # a marker only: pages translate the message

MAX_DB_INT = 2**31 - 1
MAX_JSON_DEPTH = 32
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
BAD_TEXT_MESSAGE = N_("Contains a character that is not allowed (NUL or a lone surrogate).")
DATE_MESSAGE = f"Must be a date from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}."


def bad_text(value: str) -> bool:
    """Whether ``value`` holds a NUL character or a lone surrogate."""
    return _BAD_TEXT.search(value) is not None


def date_in_range(value: date) -> bool:
    """Whether the calendar day ``value`` (a date, or a datetime's own local day, and that day in
    UTC) lies within DATE_MIN..DATE_MAX."""
    days = [value.date() if isinstance(value, datetime) else value]
    if isinstance(value, datetime) and value.tzinfo is not None:
        if not DATE_MIN <= days[0] <= DATE_MAX:
            return False
        try:
            days.append(value.astimezone(UTC).date())
        except OverflowError:
            return False
    return all(DATE_MIN <= day <= DATE_MAX for day in days)


def first_bad_json(data, path: str = "") -> tuple[str, str, int] | None:
    """The first place in parsed JSON ``data`` that breaks a rule, as ``(field path, message,
    status)``: nesting deeper than MAX_JSON_DEPTH (400, the body), or a string or key with bad
    text (422, its dotted path as in the API's ``errors``). None when all is well."""
    stack = [(data, path, 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                return "body", f"JSON nested deeper than {MAX_JSON_DEPTH} levels.", 400
            pairs = value.items() if isinstance(value, dict) else enumerate(value)
            children = []
            for key, child in pairs:
                child_path = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and bad_text(key):
                    return (where or "body"), BAD_TEXT_MESSAGE, 422
                children.append((child, child_path, depth + 1))
            stack.extend(reversed(children))
        elif isinstance(value, str) and bad_text(value):
            return (where or "body"), BAD_TEXT_MESSAGE, 422
    return None
