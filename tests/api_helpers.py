"""Builders and checks shared by the API tests: request bodies in the v1 contract, problem+json
assertions, row counts and an independent ledger check (plain SQL, not the code under test)."""
import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from inventory.extensions import db

PROBLEM = "application/problem+json"
# Tables a create request writes to; a refused request must leave all of them unchanged.
WRITTEN_TABLES = (
    "stock_event", "stock_event_line", "stock_balance", "lot", "encounter", "encounter_item",
    "encounter_referral", "participant",
)


def now_iso(delta: timedelta = timedelta(minutes=-1)) -> str:
    """An ISO-8601 timestamp with offset, ``delta`` from now (a minute ago by default)."""
    return (datetime.now(UTC) + delta).isoformat()


def encounter_body(site: str, items: list[tuple[str, int]], client_id: str | None = None,
                   **fields) -> dict:
    body = {
        "client_id": client_id or str(uuid.uuid4()),
        "site": site,
        "occurred_at": now_iso(),
        "encounter_type": "site",
        "items": [{"item": code, "quantity": qty} for code, qty in items],
        "syringes_returned": 0,
        "returns_estimated": False,
        "secondary_people": 0,
        "naloxone_used": 0,
        "reversals_reported": 0,
        "referrals": [],
    }
    body.update(fields)
    return body


def receipt_body(site: str, lines: list[dict], client_id: str | None = None, **fields) -> dict:
    body = {"client_id": client_id or str(uuid.uuid4()), "site": site, "occurred_at": now_iso(),
            "lines": lines}
    body.update(fields)
    return body


def receipt_line(item: str, quantity: int, lot: str = "LOT-1",
                 expires_on: str | None = "2031-12-31") -> dict:
    return {"item": item, "quantity": quantity, "lot": lot, "expires_on": expires_on}


def adjustment_body(site: str, reason: str, lines: list[tuple[str, str | None, int]],
                    client_id: str | None = None, **fields) -> dict:
    body = {"client_id": client_id or str(uuid.uuid4()), "site": site, "occurred_at": now_iso(),
            "reason": reason,
            "lines": [{"item": item, "lot": lot, "quantity": qty} for item, lot, qty in lines]}
    if reason == "other":
        body.setdefault("note", "test note")
    body.update(fields)
    return body


def assert_problem(response, status: int | tuple[int, ...], field: str | None = None) -> dict:
    """Assert a problem+json answer with ``status`` whose ``errors`` names ``field``."""
    statuses = status if isinstance(status, tuple) else (status,)
    body = response.get_data(as_text=True)
    assert response.status_code in statuses, (response.status_code, body)
    assert response.mimetype == PROBLEM, (response.mimetype, body)
    problem = response.get_json(force=True)
    assert problem["status"] == response.status_code, problem
    assert problem.get("title"), problem
    if field is not None:
        errors = problem.get("errors") or {}
        assert field in errors, (field, problem)
        assert errors[field] and all(isinstance(m, str) and m for m in errors[field]), problem
    return problem


def row_counts(tables=WRITTEN_TABLES) -> dict[str, int]:
    db.session.rollback()  # see what other connections committed
    return {t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


_LEDGER_SQL = """
SELECT e.site_id, l.item_id, coalesce(l.lot_id, 0) AS lot_key, sum(l.quantity) AS total
FROM stock_event_line l JOIN stock_event e ON e.id = l.event_id {where}
GROUP BY e.site_id, l.item_id, coalesce(l.lot_id, 0)
"""


def _sites_clause(column: str, site_ids) -> str:
    return "" if site_ids is None else f"WHERE {column} IN ({', '.join(map(str, site_ids))})"


def ledger_sums(site_ids=None) -> dict[tuple[int, int, int], int]:
    """Sum of ledger lines per (site_id, item_id, lot_key), computed straight from the ledger
    (optionally only for ``site_ids``)."""
    db.session.rollback()
    sql = _LEDGER_SQL.format(where=_sites_clause("e.site_id", site_ids))
    return {(s, i, k): int(t) for s, i, k, t in db.session.execute(text(sql))}


def balances(site_ids=None) -> dict[tuple[int, int, int], int]:
    db.session.rollback()
    sql = ("SELECT site_id, item_id, lot_key, on_hand FROM stock_balance "
           + _sites_clause("site_id", site_ids))
    return {(s, i, k): int(q) for s, i, k, q in db.session.execute(text(sql))}


def ledger_mismatches(site_ids=None) -> list:
    """Every (site, item, lot) whose balance differs from its ledger sum (empty when consistent).

    Uses our own SQL; for the whole database (``site_ids`` None) it also runs
    ``inventory.stock.check.find_mismatches`` when that exists, which must give the same answer.
    """
    sums, held = ledger_sums(site_ids), balances(site_ids)
    ours = sorted((key, sums.get(key, 0), held.get(key, 0)) for key in set(sums) | set(held)
                  if sums.get(key, 0) != held.get(key, 0))
    if site_ids is not None:
        return ours
    try:
        from inventory.stock.check import find_mismatches
    except ImportError:
        return ours
    theirs = list(find_mismatches())
    db.session.rollback()
    assert bool(theirs) == bool(ours), ("find_mismatches disagrees with plain SQL", theirs, ours)
    return ours


def site_id(code: str) -> int:
    return db.session.execute(text("SELECT id FROM site WHERE code = :c"), {"c": code}).scalar_one()


def item_id(code: str) -> int:
    return db.session.execute(text("SELECT id FROM item WHERE code = :c"), {"c": code}).scalar_one()


def on_hand_total(site: str, item: str) -> int:
    """Ledger sum for (site, item) across all lots."""
    sid, iid = site_id(site), item_id(item)
    return sum(v for (s, i, _), v in ledger_sums().items() if s == sid and i == iid)


# Argon2 costs ~0.2 s a hash; these users never sign in with a password, so a placeholder will do
# (verify_password answers False for it).
_NO_PASSWORD = "not-a-password-hash"


def fast_user(role: str, sites=(), email: str | None = None):
    """A committed user of ``role`` assigned to ``sites`` (codes; created when missing)."""
    from inventory.auth.models import User
    from tests import factories

    user = User(email=email or f"{role}-{uuid.uuid4().hex[:12]}@example.org", role=role,
                password_hash=_NO_PASSWORD, active=True)
    user.sites = [factories.make_site(code) for code in sites]
    db.session.add(user)
    db.session.commit()
    return user


def bearer(role: str, sites=()) -> dict:
    """Bearer headers for a new user of ``role`` (committed)."""
    from tests import factories

    user = fast_user(role, sites)
    token = factories.make_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def stocked_site(client, site: str, item: str, quantity: int) -> dict:
    """A new site that has received ``quantity`` of ``item`` (lot LOT-1), through the API;
    returns the coordinator's bearer headers used. Commits, so the test's own session holds
    nothing while the requests under test run."""
    from tests import factories

    factories.make_site(site)
    db.session.commit()
    headers = bearer("coordinator")
    response = client.post("/api/v1/receipts", headers=headers,
                           json=receipt_body(site, [receipt_line(item, quantity)]))
    assert response.status_code == 201, response.get_json()
    db.session.commit()
    return headers


def in_own_context(app, work):
    """Run ``work()`` in a thread: its own app context and session, as a real request has."""
    outcome = {}

    def target():
        try:
            outcome["value"] = work()
        except Exception as exc:  # pragma: no cover - re-raised below
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def post_at_once(app, calls):
    """POST every ``(url, headers, body)`` at the same moment, each from its own thread with its
    own test client (app context, session, connection), as two server workers would; a barrier
    starts them together. Returns the answers in order."""
    barrier = threading.Barrier(len(calls))
    answers, errors = [None] * len(calls), []

    def target(index, url, headers, body):
        try:
            client = app.test_client()
            barrier.wait(timeout=30)
            answers[index] = client.post(url, headers=headers, json=body)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=target, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return answers
