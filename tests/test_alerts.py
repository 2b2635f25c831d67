"""``flask alerts``: per site stock-outs, below-min items, discrepancies and lots expiring within
30 days; ``--email`` sends each coordinator the list through a real SMTP server (aiosmtpd)."""
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from inventory.auth.models import User

from tests import factories
from tests.api_helpers import bearer, fast_user
from tests.test_reorder_formula import hand_out, receive

SYRINGE, CONDOM, NARCAN = "SYR-1ML-28G", "CONDOM-EXT", "NARCAN-4MG"


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def troubled_site(client, db):
    """Site AL: condoms out of stock (and handed out beyond the record), syringes below their
    minimum, a naloxone lot expiring in 20 days. Site OK: nothing wrong."""
    factories.make_site("AL", name="Alert Lane")
    factories.make_site("OK", name="Okay Street")
    db.session.commit()
    coord = bearer("coordinator")
    today = datetime.now(UTC).date()
    receive(client, coord, "AL", CONDOM, 10, days_ago=40)
    hand_out(client, coord, "AL", CONDOM, 12, days_ago=2)
    receive(client, coord, "AL", SYRINGE, 200, days_ago=80)
    hand_out(client, coord, "AL", SYRINGE, 180, days_ago=60)  # AMC 60.88: 20 left is 0.3 months
    receive(client, coord, "AL", NARCAN, 24, days_ago=10, lot="NX-SOON",
            expires=str(today + timedelta(days=20)))
    receive(client, coord, "OK", SYRINGE, 100, days_ago=5)
    return today


def test_alerts_list_each_site_and_exit_zero(app, troubled_site):
    result = app.test_cli_runner().invoke(args=["alerts"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Alert Lane (AL)" in text and "Okay Street" not in text
    section = text.split("Alert Lane (AL)")[1]
    assert "Out of stock:" in section and "External condom: -2 on hand" in section
    assert "Below minimum:" in section and "0.3 months of stock (minimum 1)" in section
    assert "Discrepancies:" in section and "External condom: handed out more than recorded" in section
    expiry = str(troubled_site + timedelta(days=20))
    assert f"lot NX-SOON: 24 expires {expiry}" in section


def test_alerts_email_each_coordinator(app, troubled_site, smtp_server, monkeypatch):
    port, inbox = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_SENDER", "stock@example.org")
    first = fast_user("coordinator", email="ana@example.org")
    second = fast_user("coordinator", email="ben@example.org")
    fast_user("staff", sites=["AL"], email="staff@example.org")
    result = app.test_cli_runner().invoke(args=["alerts", "--email"])
    assert result.exit_code == 0, result.output
    received = {tuple(e.rcpt_tos): message_from_bytes(e.content) for e in inbox.envelopes}
    coordinators = set(factories.db.session.scalars(
        select(User.email).where(User.role == "coordinator")))
    assert {first.email, second.email} <= coordinators
    assert set(received) == {(address,) for address in coordinators}
    message = received[(first.email,)]
    assert message["From"] == "stock@example.org"
    assert "stock alerts" in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "Alert Lane (AL)" in body and "External condom: -2 on hand" in body
    assert not any(e.rcpt_tos == ["staff@example.org"] for e in inbox.envelopes)


def test_alerts_email_without_a_server_sends_nothing(app, troubled_site):
    result = app.test_cli_runner().invoke(args=["alerts", "--email"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output
