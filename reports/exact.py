"""Exact counts for a regulator: one workbook with suppression turned off, for a named recipient.

A state health department's form may need exact numbers. The workbook is then marked on every
printed page (header and footer), under every table and on the Notes sheet, with
:func:`marking`; who asked for it is recorded in the audit log by the caller (the reports page or
the ``report`` command, both admin-only).
"""
import re

from inventory.input_rules import bad_text

MAX_RECIPIENT = 80
# Control characters would break a header or footer line (and mean nothing in a name).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RecipientError(ValueError):
    """A recipient name that cannot be printed on the workbook."""


def clean_recipient(name: str | None) -> str:
    """The recipient's name, trimmed; RecipientError when empty, too long or not printable."""
    name = (name or "").strip()
    if not name:
        raise RecipientError("Name the regulator the exact counts are for.")
    if len(name) > MAX_RECIPIENT:
        raise RecipientError(f"The recipient's name may be at most {MAX_RECIPIENT} characters.")
    if bad_text(name) or _CONTROL.search(name):
        raise RecipientError("The recipient's name holds characters that cannot be printed.")
    return name


def marking(name: str) -> str:
    """The line printed on every page of an exact-count workbook."""
    return f"Exact counts for {name} — not for publication"


def notes_rows(name: str) -> list[tuple[str, str]]:
    return [
        ("Exact counts", f"{marking(name)}. Suppression is turned off for this workbook only: "
                         "every count is exact, small counts of people included. Keep it "
                         "between the program and the named recipient."),
    ]
