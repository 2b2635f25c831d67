"""Handout screen: the pages (writers; staff at their sites), the service worker and manifest
(public files, like /static)."""
from tests.role_table import EVERYONE, WRITERS, Route

ROUTES = {
    ("/handout", "GET"): Route("/handout", WRITERS),
    ("/sites/<code>/handout", "GET"): Route("/sites/{site}/handout", WRITERS, sited=True),
    ("/sw.js", "GET"): Route("/sw.js", EVERYONE, anon="public"),
    ("/manifest.webmanifest", "GET"): Route("/manifest.webmanifest", EVERYONE, anon="public"),
}
