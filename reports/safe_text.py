"""Text that a spreadsheet program must never read as a formula (CSV/formula injection).

A site, item or program name is typed by an admin; written as it is, ``=HYPERLINK(...)`` or
``@SUM(A1)`` would become a live formula when the file is opened. OWASP lists the characters
that start one: ``=``, ``+``, ``-``, ``@``, tab and carriage return.
"""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """True for a string a spreadsheet program could take as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value):
    """``value`` for a CSV cell: risky text gets a leading single quote, as OWASP recommends;
    numbers and other text pass unchanged."""
    return "'" + value if looks_like_formula(value) else value
