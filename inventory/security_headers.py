"""Security headers on every answer: pages, API, downloads, static files and errors.

One small after-request hook rather than Flask-Talisman: the app needs five fixed headers and
one condition (HSTS over TLS only), Talisman would add HTTPS redirects, session-cookie and
nonce machinery that the app does not use (the cookie flags live in inventory.auth.sessions;
the TLS proxy does the redirect), and a wrong default of its would be one more thing to audit.

The Content-Security-Policy allows no inline script or style at all: every script and style
sheet comes from /static, so an injected ``<script>`` or ``style=`` does nothing.
"""
from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # the empty data: favicon that stops a /favicon.ico request
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    max_age = int(app.config.get("HSTS_MAX_AGE", 31_536_000))

    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # Over plain HTTP the header is ignored by browsers; behind a TLS proxy, is_secure
        # comes from X-Forwarded-Proto (PROXY_FIX_X_PROTO, inventory.auth.sessions).
        if request.is_secure and max_age:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
        return response
