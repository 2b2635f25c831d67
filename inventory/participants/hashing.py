"""Participant codes: normalised, then HMAC-SHA256 with a key kept outside the database."""
import hashlib
import hmac
import re

from flask import current_app

_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(raw: str) -> str:
    """Upper-case and strip everything but letters and digits: " ab 0312 c" -> "AB0312C"."""
    return _NOT_CODE.sub("", raw.upper())


def hash_code(raw: str, secret: str | None = None) -> str:
    """HMAC-SHA256 hex of the normalised code. Raises ValueError for a code with no letters or digits."""
    code = normalise_code(raw)
    if not code:
        raise ValueError("participant code is empty once normalised")
    key = (secret or current_app.config["PARTICIPANT_CODE_SECRET"]).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
