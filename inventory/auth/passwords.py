"""Password hashing with argon2id, and the list of common passwords nobody may choose."""
import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# The 20,000 most common passwords (Royce Williams' list, as shipped by Django: lowercased,
# deduplicated; BSD licence), gzip'd beside this module.
_COMMON_FILE = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common(password: str) -> bool:
    """True when ``password`` (in any case, surrounding spaces ignored) is a common password."""
    return password.strip().lower() in _common_passwords()
