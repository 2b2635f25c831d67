"""CPU cost of one request, in process: the encounter API against the bare insert.

A companion to ``throughput.py`` for busy or shared machines, where requests/s mostly measure the
neighbours: this runs N requests one after another through Flask's test client (no HTTP, no
gunicorn, no concurrency) and reports the process CPU time and the SQL statements per request. The
ratio bare/app of CPU per request is the ceiling of the throughput ratio on CPU-bound hardware.

    python benchmarks/cpu_cost.py                 # SQLite (WAL)
    python benchmarks/cpu_cost.py --db postgres   # PostgreSQL at 127.0.0.1
"""
import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import (encounter_template, pick_sites_and_items,  # noqa: E402
                                   prepare_app, prepare_databases, receipt_body)


def measure(post, n: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per request over ``n`` calls of ``post`` after a warm-up."""
    for _ in range(20):
        post()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(n):
        post()
    return ((time.process_time() - cpu0) / n * 1000, (time.perf_counter() - wall0) / n * 1000)


def count_statements(app, extension_db, post) -> int | None:
    """Statements SQLite ran for one ``post()``, traced by SQLite itself (the hot statements run
    on the DBAPI cursor, past SQLAlchemy's events); None on PostgreSQL, which has no such hook."""
    with app.app_context():
        engine = extension_db.engine
    if engine.dialect.name != "sqlite":
        return None
    seen, traced = [], []

    def trace(dbapi_connection, _record, _proxy):
        traced.append(dbapi_connection)
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(engine, "checkout", trace)
    try:
        post()
    finally:
        event.remove(engine, "checkout", trace)
        for dbapi_connection in traced:
            dbapi_connection.set_trace_callback(None)
    return len(seen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("-n", type=int, default=300, help="requests per endpoint")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="outreach-cpu-"))
    app_url, bare_url = prepare_databases(args.db, workdir)
    env = {**os.environ, "DATABASE_URL": app_url, "SECRET_KEY": secrets.token_hex(32),
           "PARTICIPANT_CODE_SECRET": secrets.token_hex(32)}
    token = prepare_app(env, args.db)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY",
                                            "PARTICIPANT_CODE_SECRET")})
    os.environ["BARE_DATABASE_URL"] = bare_url

    from benchmarks.bare_app import app as bare_app
    from benchmarks.bare_app import db as bare_db
    from inventory import create_app
    from inventory.extensions import db as app_db

    app = create_app({"SQLALCHEMY_DATABASE_URI": app_url})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def get(path):
        response = client.get(path, headers=headers)
        return response.status_code, response.get_json()

    sites, items = pick_sites_and_items(get=get)  # through the test client, not HTTP
    site = sites[0]
    response = client.post("/api/v1/receipts", json=receipt_body(site, items), headers=headers)
    assert response.status_code == 201, response.get_json()
    template = encounter_template(items).replace("SITE_CODE", site)

    def body() -> dict:
        text = template.replace("CLIENT_ID", str(uuid.uuid4()))
        return json.loads(text.replace("PARTICIPANT_CODE", f"AB{secrets.randbelow(9999):04d}C"))

    def post_app():
        response = client.post("/api/v1/encounters", json=body(), headers=headers)
        assert response.status_code == 201, response.get_json()

    bare_client = bare_app.test_client()

    def post_bare():
        response = bare_client.post("/rows", json=body())
        assert response.status_code == 201

    results = {}
    for name, post, flask_app, ext in (("app", post_app, app, app_db),
                                       ("bare", post_bare, bare_app, bare_db)):
        cpu, wall = measure(post, args.n)
        results[name] = {"cpu_ms": cpu, "wall_ms": wall,
                         "statements": count_statements(flask_app, ext, post)}
    if args.db == "sqlite":
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n{args.db}: {args.n} sequential requests each, in process, "
          f"1-min load average {os.getloadavg()[0]:.1f}\n")
    print("| endpoint | CPU ms/request | wall ms/request | SQL statements/request |")
    print("|---|---:|---:|---:|")
    for name, label in (("app", "POST /api/v1/encounters"), ("bare", "bare insert")):
        r = results[name]
        statements = "n/a" if r["statements"] is None else r["statements"]
        print(f"| {label} | {r['cpu_ms']:.2f} | {r['wall_ms']:.2f} | {statements} |")
    print(f"\nCPU ratio bare/app: {results['bare']['cpu_ms'] / results['app']['cpu_ms']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
