"""Two coordinators receive the same ordered reorder request at the same moment: exactly one
receipt is written (201), the other is refused (409), and the ledger stays consistent. On the
suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL); each request in its own thread,
started together by a barrier."""
import uuid

from tests import factories
from tests.api_helpers import (assert_problem, bearer, ledger_mismatches, now_iso, on_hand_total,
                               post_at_once)

SYRINGE = "SYR-1ML-28G"


def test_one_receipt_for_one_request(app, db, client):
    factories.make_site("RQ")
    db.session.commit()
    first, second = bearer("coordinator"), bearer("coordinator")
    for round_ in range(3):
        made = client.post("/api/v1/reorder/requests", headers=first, json={
            "client_id": str(uuid.uuid4()), "site": "RQ",
            "lines": [{"item": SYRINGE, "packs": 1}]}).get_json()
        for action in ("submit", "order"):
            assert client.post(f"/api/v1/reorder/requests/{made['id']}/{action}",
                               headers=first).status_code == 200
        db.session.commit()
        url = f"/api/v1/reorder/requests/{made['id']}/receive"
        answers = post_at_once(app, [
            (url, headers, {"client_id": str(uuid.uuid4()), "occurred_at": now_iso()})
            for headers in (first, second)])
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201, 409], [a.get_data(as_text=True)[:200] for a in answers]
        assert_problem(next(a for a in answers if a.status_code == 409), 409, "status")
        assert on_hand_total("RQ", SYRINGE) == 100 * (round_ + 1)
        assert ledger_mismatches() == []
        db.session.rollback()
