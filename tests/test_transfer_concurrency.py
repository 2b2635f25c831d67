"""Two coordinators ship the last 10 units of one lot at the same moment: exactly one transfer is
made (201), the other is refused (422 Insufficient stock), and the ledger stays consistent.

Runs on the suite's database: SQLite (WAL file) by default, PostgreSQL when TEST_DATABASE_URL is
set. Each request runs in its own thread with its own app context, session and connection, as
two requests in two server workers would; a barrier starts them together.
"""

from inventory.stock.check import find_mismatches
from tests import factories
from tests.api_helpers import (assert_problem, bearer, ledger_mismatches, on_hand_total,
                               post_at_once, receipt_body, receipt_line)
from tests.test_transfers import transfer_body

NAL = "NARCAN-4MG"


def test_two_coordinators_ship_the_last_ten_units(app, db, client):
    factories.make_site("CW")
    factories.make_site("CA")
    factories.make_site("CB")
    db.session.commit()
    first, second = bearer("coordinator"), bearer("coordinator")
    stocked = client.post("/api/v1/receipts", headers=first, json=receipt_body(
        "CW", [receipt_line(NAL, 10, "LAST", "2031-03-31")]))
    assert stocked.status_code == 201, stocked.get_json()
    db.session.commit()  # the main thread holds no transaction while the threads run

    for round_ in range(3):  # a few rounds: the race must never let both through
        answers = post_at_once(app, [
            ("/api/v1/transfers", first, transfer_body("CW", "CA", [(NAL, "LAST", 10)])),
            ("/api/v1/transfers", second, transfer_body("CW", "CB", [(NAL, None, 10)])),
        ])
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201, 422], [a.get_data(as_text=True)[:200] for a in answers]
        loser = next(answer for answer in answers if answer.status_code == 422)
        assert assert_problem(loser, 422, "lines.0.quantity")["title"] == "Insufficient stock"
        assert on_hand_total("CW", NAL) == 0
        assert on_hand_total("CA", NAL) + on_hand_total("CB", NAL) == 0  # all in transit
        assert ledger_mismatches() == []
        assert list(find_mismatches()) == []
        db.session.rollback()
        check = app.test_cli_runner().invoke(args=["check-ledger"])
        assert check.exit_code == 0 and "Ledger OK" in check.output, check.output
        winner = next(answer for answer in answers if answer.status_code == 201).get_json()
        cancelled = client.post(f"/api/v1/transfers/{winner['id']}/cancel", headers=first,
                                json={})
        assert cancelled.status_code == 200, cancelled.get_json()
        assert on_hand_total("CW", NAL) == 10, round_
        db.session.commit()
