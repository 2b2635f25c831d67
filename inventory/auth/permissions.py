"""Who may do what. Staff see and write only their assigned sites, everywhere; reporters see
aggregates and reports only, never encounter rows; coordinators and admins see every site."""
from functools import cache, wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, select

from inventory.request_kind import is_api_request
from inventory.auth.models import ROLES
from inventory.errors import Forbidden
from inventory.labels import N_

STAFF, COORDINATOR, REPORTER, ADMIN = "staff", "coordinator", "reporter", "admin"
ALL_ROLES = ROLES
# Roles that may record handouts and stock movements (at the sites they can see).
WRITERS = (STAFF, COORDINATOR, ADMIN)
# Roles that may read individual encounter rows.
ENCOUNTER_READERS = (STAFF, COORDINATOR, ADMIN)
REPORT_READERS = (COORDINATOR, REPORTER, ADMIN)


def site_scope(user) -> set[int] | None:
    """The ids of the sites ``user`` may see, or None for every site."""
    if user.role == STAFF:
        from inventory.extensions import db

        return set(db.session.scalars(_assigned_sites(), {"user_id": user.id}))
    return None


@cache
def _assigned_sites():
    from inventory.auth.models import user_site

    return select(user_site.c.site_id).where(user_site.c.user_id == bindparam("user_id"))


def can_access_site(user, site_id: int) -> bool:
    scope = site_scope(user)
    return scope is None or site_id in scope


def ensure_site_access(user, site, field: str = "site") -> None:
    """Raise Forbidden unless ``user`` may work at ``site``."""
    if not can_access_site(user, site.id):
        raise Forbidden(N_("You are not assigned to site %(site)s."), field=field,
                        params={"site": site.code})


def require_roles(*roles: str):
    """Let only signed-in users with one of ``roles`` through.

    Anonymous: 401 under /api, else the login page. Wrong role: 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                if is_api_request():
                    abort(401)
                from inventory.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in roles:
                raise Forbidden(f"The {current_user.role} role cannot use this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
