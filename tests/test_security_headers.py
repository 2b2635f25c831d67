"""Security headers on pages, API answers, downloads, static files and errors (issue 14,
point 4), and templates that need no inline script or style to work under that policy."""
import re
from pathlib import Path

import pytest

from inventory.security_headers import CONTENT_SECURITY_POLICY
from tests import factories

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# What the policy must say, directive by directive.
DIRECTIVES = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "frame-ancestors": "'none'", "object-src": "'none'", "base-uri": "'none'",
    "form-action": "'self'",
}


@pytest.fixture
def answers(client, db, api_headers):
    """One answer of each kind: name -> callable(base_url) returning the response."""
    admin = factories.make_user(role="admin")
    db.session.commit()
    factories.sign_in(client, admin)
    token = api_headers("admin")

    def closed(get):
        def fetch(base):
            response = get(base)
            response.close()  # a static file is streamed from an open file
            return response
        return fetch

    return {name: closed(get) for name, get in {
        "sign-in page": lambda base: client.get("/login", base_url=base),
        "home page": lambda base: client.get("/", base_url=base),
        "admin form": lambda base: client.get("/admin/users/new", base_url=base),
        "API list": lambda base: client.get("/api/v1/items", headers=token, base_url=base),
        "API 401": lambda base: client.get("/api/v1/items", base_url=base,
                                           headers={"Authorization": "Bearer nope"}),
        "OpenAPI": lambda base: client.get("/api/v1/openapi.json", base_url=base),
        "xlsx download": lambda base: client.get(
            "/reports/download.xlsx?period=month&month=2026-10", base_url=base),
        "csv zip download": lambda base: client.get(
            "/reports/download.zip?period=month&month=2026-10", base_url=base),
        "static file": lambda base: client.get("/static/css/app.css", base_url=base),
        "404 page": lambda base: client.get("/no/such/page", base_url=base),
    }.items()}


KINDS = ["sign-in page", "home page", "admin form", "API list", "API 401", "OpenAPI",
         "xlsx download", "csv zip download", "static file", "404 page"]


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.parametrize("kind", KINDS)
def test_content_security_policy(answers, kind):
    response = answers[kind]("http://localhost")
    assert response.status_code < 500
    policy = _directives(response.headers["Content-Security-Policy"])
    for name, value in DIRECTIVES.items():
        assert policy[name] == value, (name, policy)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("header", sorted(EXPECTED))
def test_fixed_headers(answers, kind, header):
    assert answers[kind]("http://localhost").headers.get(header) == EXPECTED[header]


@pytest.mark.parametrize("kind", KINDS)
def test_hsts_only_over_tls(answers, kind):
    assert "Strict-Transport-Security" not in answers[kind]("http://localhost").headers
    secure = answers[kind]("https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_downloads_are_what_they_say(answers):
    xlsx = answers["xlsx download"]("http://localhost")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    assert xlsx.headers["X-Content-Type-Options"] == "nosniff"


def test_the_policy_constant_is_what_is_sent(answers):
    assert answers["home page"]("http://localhost").headers["Content-Security-Policy"] \
        == CONTENT_SECURITY_POLICY


# --- Templates: nothing inline for the policy to block -------------------------------------------

INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"<script(?![^>]*\bsrc=)", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{path.name}: {found}"
