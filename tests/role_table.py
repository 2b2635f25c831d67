"""The role matrix's vocabulary: roles, the ``Route`` record and the route tables that other
modules add to. Each area of the app keeps its routes in ``tests/role_routes/<area>.py`` as a
``ROUTES`` dict; ``tests/test_role_matrix.py`` joins them with its own core table."""
import importlib
import pkgutil
from dataclasses import dataclass, field

ANON, STAFF, COORD, REPORTER, ADMIN = "anonymous", "staff", "coordinator", "reporter", "admin"
ROLES = (ANON, STAFF, COORD, REPORTER, ADMIN)
EVERYONE = frozenset({STAFF, COORD, REPORTER, ADMIN})
WRITERS = frozenset({STAFF, COORD, ADMIN})
ENCOUNTER_READERS = WRITERS
REPORT_READERS = frozenset({COORD, REPORTER, ADMIN})
ADMINS = frozenset({ADMIN})
ITEM = "SYR-1ML-28G"
SITE_A, SITE_B = "RMA", "RMB"
FORM_POST_OK = (200, 302, 400, 422)  # a form answered (re-shown or accepted), not refused


@dataclass(frozen=True)
class Route:
    url: str                      # may use {site}, {enc}, {user_id}, {site_id}, {item_id},
    #                               {token_id}
    allowed: frozenset            # roles that get an ``ok`` status
    ok: tuple = (200,)
    anon: str = "login"           # "login" (redirect), "401" (problem+json) or "public"
    anon_ok: tuple = (200,)       # statuses for anonymous when anon == "public"
    sited: bool = False           # try at site A and at site B
    body: object = None           # callable(site_code) -> JSON body (API POSTs)
    form: dict = field(default_factory=dict)  # form data (page POSTs)
    # callable(world, site_code) -> dict of extra URL placeholders, made before each call
    # (e.g. {"transfer": id} for a route written "/api/v1/transfers/{transfer}/cancel").
    prepare: object = None


def _api(url, allowed, ok=(200,), **kw):
    return Route(url=url, allowed=allowed, ok=ok, anon="401", **kw)




def area_routes() -> dict[tuple[str, str], Route]:
    """Every ``ROUTES`` dict in ``tests/role_routes/``, joined; a key defined twice is an error."""
    from tests import role_routes

    joined: dict[tuple[str, str], Route] = {}
    for info in sorted(pkgutil.iter_modules(role_routes.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"tests.role_routes.{info.name}")
        twice = set(joined) & set(module.ROUTES)
        assert not twice, f"{info.name} repeats routes: {sorted(twice)}"
        joined.update(module.ROUTES)
    return joined
