"""Many servers, one database: two gunicorn instances on two ports share one PostgreSQL database
and are driven together with a mix of real work, then the ledger is checked.

    python benchmarks/two_servers.py                 # 60 s, 8 client threads
    python benchmarks/two_servers.py --seconds 20 --threads 4

The program is a fresh ``seed-demo --events 0`` in the database ``outreach_two_servers`` at
127.0.0.1 (user postgres); each instance runs 2 sync workers with the same secrets. Client threads
send each request to one of the two ports in turn:

* handouts (``POST /api/v1/encounters``), 10% of them replays of a handout already confirmed,
  sent to the *other* server, which must answer 200 with the same encounter;
* receipts, transfers (ship, then receive in full at the destination), counts and stock reads.

A request whose answer is lost (timeout, reset) is sent again with the same body, as the handout
screen does. At the end: no 5xx (nor any answer the operation should not get) from either server, exactly one encounter per confirmed client_id
(none lost, none doubled), and ``flask check-ledger`` exits 0. Exit 0 when all hold. Every loop is
bounded by ``--seconds`` and the traffic goes to 127.0.0.1 only.
"""
import argparse
import json
import os
import random
import secrets
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Gunicorn, flask_cli, http  # noqa: E402
from benchmarks.throughput import BENCH_EMAIL, PG_SERVER, pick_sites_and_items  # noqa: E402

DATABASE = "outreach_two_servers"
# Share of each operation in the mix; a tenth of the handouts are replays.
MIX = {"handout": 60, "receipt": 8, "transfer": 12, "count": 5, "stock_read": 15}
# The answers each operation may get; any other is a failure (a 422 on a transfer: the source
# ran short under load, a fair answer).
EXPECTED = {"handout": {200, 201}, "handout_replay": {200}, "receipt": {201},
            "transfer": {201, 422}, "transfer_receive": {200, 201}, "count": {201},
            "stock_read": {200}}


def fresh_database() -> str:
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return f"{PG_SERVER}/{DATABASE}"


def now_iso(minutes_ago: int = 1) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(timespec="seconds")


class Load:
    """The client threads' shared state: answers by operation, confirmed handouts, failures."""

    def __init__(self, urls: list[str], token: str, sites: list[str], items: list[str],
                 deadline: float, seed: int):
        self.urls, self.token, self.sites, self.items = urls, token, sites, items
        self.deadline, self.seed = deadline, seed
        self.lock = threading.Lock()
        self.latency_ms: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.per_server: dict[str, int] = defaultdict(int)
        self.confirmed: dict[str, tuple[dict, int]] = {}  # client_id -> (body, encounter id)
        self.failures: list[str] = []

    def send(self, op: str, method: str, path: str, body: dict | None, server: int):
        """One request, sent again with the same body while its answer is lost (at most 5
        tries); records the status and latency. Returns (status, answer)."""
        url = self.urls[server % len(self.urls)]
        for _ in range(5):
            started = time.perf_counter()
            try:
                status, answer = http(method, url + path, self.token, body)
            except OSError as exc:  # the answer was lost: the same body again
                with self.lock:
                    self.statuses[op][-1] += 1
                last = exc
                continue
            with self.lock:
                self.latency_ms[op].append((time.perf_counter() - started) * 1000)
                self.statuses[op][status] += 1
                self.per_server[url] += 1
                if status not in EXPECTED[op]:
                    self.failures.append(f"{op} {method} {path} -> {status}: {answer}")
            return status, answer
        with self.lock:
            self.failures.append(f"{op} {method} {path}: no answer after 5 tries ({last})")
        return None, None

    def handout(self, rng: random.Random, server: int) -> None:
        with self.lock:
            replay = rng.random() < 0.10 and self.confirmed
            if replay:
                client_id = rng.choice(list(self.confirmed))
                body, encounter_id = self.confirmed[client_id]
        if replay:
            status, answer = self.send("handout_replay", "POST", "/api/v1/encounters", body,
                                       server + 1)
            if status != 200 or answer.get("id") != encounter_id:
                with self.lock:
                    self.failures.append(f"replay of {client_id} -> {status}: {answer}")
            return
        body = {
            "client_id": str(uuid.uuid4()), "site": rng.choice(self.sites),
            "occurred_at": now_iso(), "encounter_type": "site",
            "participant_code": f"{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}"
                                f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}X",
            "items": [{"item": self.items[0], "quantity": 10},
                      {"item": self.items[1], "quantity": 1}],
            "syringes_returned": rng.randint(0, 10), "referrals": [],
        }
        status, answer = self.send("handout", "POST", "/api/v1/encounters", body, server)
        if status in (200, 201):
            with self.lock:
                self.confirmed[body["client_id"]] = (body, answer["id"])

    def receipt(self, rng: random.Random, server: int) -> None:
        body = {"client_id": str(uuid.uuid4()), "site": rng.choice(self.sites),
                "occurred_at": now_iso(), "lines": [{"item": self.items[0], "quantity": 200}]}
        self.send("receipt", "POST", "/api/v1/receipts", body, server)

    def transfer(self, rng: random.Random, server: int) -> None:
        source, destination = rng.sample(self.sites, 2)
        body = {"client_id": str(uuid.uuid4()), "from_site": source, "to_site": destination,
                "occurred_at": now_iso(2), "lines": [{"item": self.items[0], "quantity": 5}]}
        status, answer = self.send("transfer", "POST", "/api/v1/transfers", body, server)
        if status != 201:
            return  # 422: the source ran short, a fair answer under load
        receive = {"client_id": str(uuid.uuid4()), "occurred_at": now_iso(1),
                   "lines": [{"item": self.items[0], "quantity": 5}]}
        self.send("transfer_receive", "POST", f"/api/v1/transfers/{answer['id']}/receive",
                  receive, server + 1)

    def count(self, rng: random.Random, server: int) -> None:
        # A count of the third item only: nothing else moves it, so variances stay meaningful.
        body = {"client_id": str(uuid.uuid4()), "site": rng.choice(self.sites),
                "occurred_at": now_iso(), "lines": [{"item": self.items[2],
                                                     "counted": rng.randint(0, 50)}]}
        self.send("count", "POST", "/api/v1/counts", body, server)

    def stock_read(self, rng: random.Random, server: int) -> None:
        self.send("stock_read", "GET", f"/api/v1/stock?site={rng.choice(self.sites)}", None,
                  server)

    def worker(self, number: int) -> None:
        rng = random.Random(self.seed * 1000 + number)
        ops, weights = list(MIX), list(MIX.values())
        server = number
        while time.monotonic() < self.deadline:
            getattr(self, rng.choices(ops, weights)[0])(rng, server)
            server += 1


def check_encounters(url: str, confirmed: dict) -> list[str]:
    """Exactly one encounter per confirmed client_id: none lost, none doubled, none extra."""
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = [str(row[0]) for row in conn.execute(text("SELECT client_id FROM encounter"))]
    engine.dispose()
    problems = []
    if len(stored) != len(set(stored)):
        problems.append(f"{len(stored) - len(set(stored))} client_ids stored twice")
    missing = set(confirmed) - set(stored)
    extra = set(stored) - set(confirmed)
    if missing:
        problems.append(f"{len(missing)} confirmed handouts lost")
    if extra:
        problems.append(f"{len(extra)} encounters nobody was told of")
    return problems


def summary(load: Load, seconds: float) -> dict:
    ops = {}
    for op, values in sorted(load.latency_ms.items()):
        values = sorted(values)
        ops[op] = {"answers": len(values), "statuses": dict(load.statuses[op]),
                   "p50_ms": round(statistics.median(values), 1),
                   "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))], 1)}
    total = sum(len(v) for v in load.latency_ms.values())
    return {"seconds": seconds, "requests": total, "requests_per_s": round(total / seconds, 1),
            "per_server": dict(load.per_server), "operations": ops,
            "confirmed_handouts": len(load.confirmed)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    url = fresh_database()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
           "PARTICIPANT_CODE_SECRET": secrets.token_hex(32)}
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "seed-demo", "--events", "0")
    flask_cli(env, "create-user", BENCH_EMAIL, "--role", "admin",
              "--password", secrets.token_urlsafe(16))
    token = flask_cli(env, "create-token", BENCH_EMAIL).strip().splitlines()[-1].strip()

    with Gunicorn("wsgi:app", env, "sync", 1, "/login") as one, \
            Gunicorn("wsgi:app", env, "sync", 1, "/login") as two:
        sites, items = pick_sites_and_items(one.url, token)
        for n, site in enumerate(sites):  # a shelf at every site, through either server
            http("POST", f"{(one, two)[n % 2].url}/api/v1/receipts", token, {
                "client_id": str(uuid.uuid4()), "site": site, "occurred_at": now_iso(5),
                "lines": [{"item": code, "quantity": 5000} for code in items]})
        started = time.monotonic()
        load = Load([one.url, two.url], token, sites, items, started + args.seconds, args.seed)
        threads = [threading.Thread(target=load.worker, args=(n,)) for n in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started

    result = summary(load, elapsed)
    problems = load.failures + check_encounters(url, load.confirmed)
    ledger = "clean"
    try:
        flask_cli(env, "check-ledger")
    except SystemExit as exc:
        ledger = str(exc)
        problems.append("check-ledger failed")
    result.update(check_ledger=ledger, problems=problems[:20], problem_count=len(problems))
    print(json.dumps(result, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
