"""Sign-in throttling with Flask-Limiter: failed sign-ins are counted per account (the email
typed) and per client address; past either limit every sign-in to that account or from that
address is refused with 429, the right password included, until the window has passed.

Counters live in Redis when ``REDIS_URL`` is set (shared by every app process and server),
else in each process's memory. Limits come from ``LOGIN_LIMIT_ACCOUNT`` and
``LOGIN_LIMIT_ADDRESS`` (default: 5 per 15 minutes, 5 per minute).
"""
from flask import Flask, current_app, g, request
from flask_limiter.util import get_remote_address

from inventory.extensions import limiter


def _account_key() -> str:
    email = request.form.get("email", "")
    return "account:" + email.strip().lower()[:254].replace("\x00", "")


def _failed(_response) -> bool:
    """Only failed sign-ins count (the view sets ``g.sign_in_failed``)."""
    return bool(g.get("sign_in_failed"))


def mark_failed() -> None:
    g.sign_in_failed = True


def limit_sign_ins(view):
    """Decorate the sign-in view with the two limits (POST only)."""
    per_account = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"],
                                key_func=_account_key, methods=["POST"], deduct_when=_failed)
    per_address = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ADDRESS"],
                                key_func=get_remote_address, methods=["POST"],
                                deduct_when=_failed)
    return per_account(per_address(view))


def init_app(app: Flask) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        redis_url = app.config.get("REDIS_URL")
        app.config["RATELIMIT_STORAGE_URI"] = redis_url or "memory://"
    limiter.init_app(app)
