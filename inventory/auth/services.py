"""Users: create, update, passwords, sign-ins and sessions. Services flush; the caller commits.

Errors: :class:`inventory.errors.InvalidInput` naming the field (``email``, ``role``, ``sites``,
``password``) for bad input; :class:`inventory.errors.NotFound` for an unknown user.
"""
import re
from collections.abc import Iterable
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from inventory.audit.services import record
from inventory.auth.models import ROLES, User, new_session_token
from inventory.auth.passwords import hash_password, is_common, verify_password
from inventory.catalog.models import Site
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db
from inventory.labels import N_

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_email(email: str, exclude_id: int | None = None) -> str:
    email = normalise_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise InvalidInput(N_("Enter a valid email address."), field="email")
    query = select(User.id).where(User.email == email)  # stored lowercased (create_user)
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise InvalidInput(f"A user with email {email} already exists.", field="email")
    return email


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", field="role")
    return role


def _check_password(password: str | None) -> str:
    """``password`` when it is long enough and not a common one; else InvalidInput(password)."""
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
                           field="password")
    if is_common(password):
        raise InvalidInput(N_("This password is on a list of common passwords; choose another."),
                           field="password")
    return password


def sites_by_code(site_codes: Iterable[str]) -> list[Site]:
    """The sites named by ``site_codes``; raises InvalidInput(field="sites") for an unknown code."""
    codes = sorted({c.strip() for c in site_codes if c and c.strip()})
    if not codes:
        return []
    sites = list(db.session.scalars(select(Site).where(Site.code.in_(codes)).order_by(Site.code)))
    missing = set(codes) - {s.code for s in sites}
    if missing:
        raise InvalidInput(f"Unknown site: {', '.join(sorted(missing))}.", field="sites")
    return sites


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.", field="user")
    return user


def user_by_email(email: str) -> User | None:
    """The user with ``email``, in any case: emails are stored normalised (see create_user)."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users() -> list[User]:
    """Every user by email, with their sites loaded (the users page lists them)."""
    return list(db.session.scalars(
        select(User).options(selectinload(User.sites)).order_by(User.email)))


def create_user(email: str, role: str, site_codes: Iterable[str] = (), password: str | None = None,
                actor=None) -> User:
    """Create an active user with ``role`` at the sites named by ``site_codes``; audited.

    Raises InvalidInput for a bad or duplicate email, unknown role, unknown site or short password.
    """
    email = _check_email(email)
    role = _check_role(role)
    sites = sites_by_code(site_codes)
    password = _check_password(password)
    user = User(email=email, role=role, password_hash=hash_password(password), active=True)
    user.sites = sites
    db.session.add(user)
    db.session.flush()
    record("create", "user", user.id,
           {"email": email, "role": role, "sites": [s.code for s in sites]}, actor)
    return user


def update_user(user: User, role: str, site_codes: Iterable[str], active: bool, actor=None) -> User:
    """Change a user's role, sites and active flag; audited with what changed.

    Raises InvalidInput for an unknown role or site, or when an admin would remove the last
    active admin (field ``role`` or ``active``).
    """
    role = _check_role(role)
    sites = sites_by_code(site_codes)
    if user.role == "admin" and user.active and (role != "admin" or not active):
        others = db.session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != user.id))
        if not others:
            raise InvalidInput("This is the last active admin; keep them an active admin.",
                               field="role" if role != "admin" else "active")
    before = {"role": user.role, "sites": [s.code for s in user.sites], "active": user.active}
    after = {"role": role, "sites": [s.code for s in sites], "active": bool(active)}
    user.role, user.sites, user.active = role, sites, bool(active)
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    record("update", "user", user.id, {"email": user.email, "changes": changes}, actor)
    return user


def set_password(user: User, password: str, actor=None, require_change: bool = False) -> None:
    """Replace a user's password and end all their sessions; audited (without the password).

    ``require_change``: the user must choose a new one at next sign-in (an admin's reset).
    Raises InvalidInput(password) for a short or common password.
    """
    user.password_hash = hash_password(_check_password(password))
    user.must_change_password = bool(require_change)
    user.session_token = new_session_token()
    record("reset_password", "user", user.id,
           {"email": user.email, "require_change": bool(require_change)}, actor)


def change_own_password(user: User, current: str, new: str) -> None:
    """A signed-in user replaces their password. Ends their other sessions (the caller signs
    this one in again). Raises InvalidInput: ``current_password`` wrong, ``password`` short,
    common or unchanged."""
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput(N_("Your current password is not right."), field="current_password")
    if new == current:
        raise InvalidInput(N_("Choose a password different from the current one."),
                           field="password")
    user.password_hash = hash_password(_check_password(new))
    user.must_change_password = False
    user.session_token = new_session_token()
    record("change_password", "user", user.id, {"email": user.email}, user)


def require_password_change(user: User, actor=None) -> None:
    """Make ``user`` choose a new password at next sign-in, and end their sessions; audited."""
    user.must_change_password = True
    user.session_token = new_session_token()
    record("require_password_change", "user", user.id, {"email": user.email}, actor)


def end_sessions(user: User, actor=None) -> None:
    """Sign ``user`` out on every device: every session cookie issued so far stops working."""
    user.session_token = new_session_token()
    record("end_sessions", "user", user.id, {"email": user.email}, actor)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None (same answer for every failure)."""
    user = user_by_email(email)
    if user is None:
        # Spend the same time as a real check so timing does not reveal which emails exist.
        verify_password(_dummy_hash(), password or "")
        return None
    if not verify_password(user.password_hash, password or "") or not user.active:
        return None
    return user


def record_sign_in(email: str, user: User | None, address: str | None) -> None:
    """Audit a sign-in: ``login`` for ``user``, ``login_failed`` when None (the email as typed,
    cut to 254 characters; never the password)."""
    if user is not None:
        record("login", "user", user.id, {"email": user.email, "address": address}, user)
    else:
        typed = normalise_email(email if isinstance(email, str) else "")[:254]
        # NUL and lone surrogates cannot be stored (PostgreSQL, UTF-8): keep the rest.
        typed = typed.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
        record("login_failed", "user", None, {"email": typed, "address": address})


def admin_exists() -> bool:
    """True once any active admin user exists."""
    return db.session.scalar(
        select(User.id).where(User.role == "admin", User.active.is_(True)).limit(1)) is not None


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
