"""Stock status, the dashboard and reorder suggestions over a large ledger (issue 12 targets).

Builds (or reuses) a database of 30 sites × 20 items with about 3 million ledger lines over a
year (bulk-written for the benchmark only: daily handouts of 3 lines, weekly receipts), then
measures in process, from the app's ``Server-Timing`` header:

- ``GET /api/v1/stock/status`` (every site × item)    target < 150 ms
- ``GET /stock`` (the dashboard page)                 target < 150 ms
- ``GET /api/v1/reorder/suggestions`` (every site)    target < 1 s

The 90-day look-back comes from the nightly cache (``flask stock-days``), completed from the
ledger with whatever it does not hold; the script also times one status request without it.

    python benchmarks/stock_status.py                  # SQLite in benchmarks/out/
    python benchmarks/stock_status.py --db postgres    # database outreach_bench_12b
    python benchmarks/stock_status.py --reuse          # keep the database built last time
"""
import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PG_DB = os.environ.get("BENCH_PG_DB", "outreach_bench_12b")
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1/{PG_DB}"
SITES, ITEMS, DAYS = 30, 20, 365
LINES_PER_HANDOUT = 3


def _reset(url: str, db: str) -> None:
    if db == "postgres":
        for sql in (f"DROP DATABASE IF EXISTS {PG_DB}", f"CREATE DATABASE {PG_DB}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)


def build(app, lines_wanted: int) -> None:
    """Sites, items, an admin and the ledger, bulk-written; balances summed from the ledger."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from inventory.auth.models import User
    from inventory.catalog.models import Item, Site
    from inventory.catalog.seed import seed_catalogue
    from inventory.demo import fill_balances
    from inventory.demo.bulk import BulkWriter
    from inventory.extensions import db
    from inventory.stock.models import StockEvent, StockEventLine
    from inventory.stock.seed import seed_reasons

    upgrade()
    seed_catalogue()
    seed_reasons()
    items = list(db.session.scalars(select(Item).order_by(Item.display_order)))[:ITEMS]
    sites = [Site(code=f"B{n:02d}", name=f"Bench site {n}", kind="fixed") for n in range(SITES)]
    db.session.add_all(sites)
    db.session.add(User(email="bench-admin@example.org", role="admin", active=True,
                        password_hash="not-a-password-hash"))
    db.session.flush()
    writer = BulkWriter(db.session.connection())
    rng = random.Random(12)
    event_id, line_id = writer.next_id("stock_event"), writer.next_id("stock_event_line")
    start = int((datetime.now(UTC) - timedelta(days=DAYS)).timestamp()) // 86400 * 86400
    handouts_per_day = lines_wanted // LINES_PER_HANDOUT // (SITES * DAYS)
    # Units a week of each item at a site (a line hands out 2.5 on average); receipts bring
    # 0.95 to 1.25 times that, so stock drifts from short to plenty across sites and items.
    weekly_use = handouts_per_day * 7 * LINES_PER_HANDOUT / ITEMS * 2.5
    supply = {(site.id, item.id): rng.uniform(0.95, 1.25) for site in sites for item in items}
    events, lines = [], []
    event_cols = ("id", "kind", "site_id", "occurred_at", "recorded_at", "client_id",
                  "discrepancy")
    line_cols = ("id", "event_id", "item_id", "lot_id", "quantity")

    def flush():
        writer.write("stock_event", event_cols, events)
        writer.write("stock_event_line", line_cols, lines)
        events.clear()
        lines.clear()

    with writer.foreign_keys_checked_after([StockEvent.__table__, StockEventLine.__table__]):
        for day in range(DAYS):
            for site in sites:
                midnight = start + day * 86400
                if day % 7 == 0:  # a weekly receipt of every item
                    ts = writer.ts(midnight + 8 * 3600)
                    events.append((event_id, "receipt", site.id, ts, ts,
                                   writer.uuid(uuid.uuid4()), False))
                    for item in items:
                        lines.append((line_id, event_id, item.id, None,
                                      int(weekly_use * supply[(site.id, item.id)])))
                        line_id += 1
                    event_id += 1
                for k in range(handouts_per_day):
                    ts = writer.ts(midnight + 9 * 3600 + k * 28800 // handouts_per_day)
                    events.append((event_id, "distribution", site.id, ts, ts,
                                   writer.uuid(uuid.uuid4()), False))
                    for item in rng.sample(items, LINES_PER_HANDOUT):
                        lines.append((line_id, event_id, item.id, None, -rng.randint(1, 4)))
                        line_id += 1
                    event_id += 1
            if len(lines) > 200_000:
                flush()
        flush()
    writer.fix_sequences(["stock_event", "stock_event_line"])
    fill_balances()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load; without statistics the planner guesses.
        # A plain engine: the app's opens a transaction on every connection (WRITE mode).
        from sqlalchemy import create_engine

        engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()


def timed(client, headers, url: str, n: int, cpu: list | None = None) -> list[float]:
    """Server time (ms) of ``n`` requests after 3 warm-ups; ``cpu`` gets this process's CPU
    time per request (ms): on a busy machine it shows the work apart from the waiting."""
    server = []
    for i in range(n + 3):
        started = time.process_time()
        response = client.get(url, headers=headers)
        spent = (time.process_time() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if i >= 3:  # warm-up
            server.append(float(response.headers["Server-Timing"].split("dur=")[1]))
            if cpu is not None:
                cpu.append(spent)
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--lines", type=int, default=3_000_000)
    parser.add_argument("--reuse", action="store_true", help="use the database built last time")
    parser.add_argument("-n", type=int, default=15, help="timed requests per measure")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    url = PG_URL if args.db == "postgres" else f"sqlite:///{OUT / 'stock_status.db'}"
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import delete, func, select

    from inventory import create_app
    from inventory.auth.models import User
    from inventory.auth.tokens import create_token
    from inventory.extensions import db
    from inventory.reorder.cache import refresh_stock_days
    from inventory.reorder.models import StockDayRefresh
    from inventory.stock.models import StockEventLine
    from tests.factories import sign_in

    if not args.reuse:
        _reset(url, args.db)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "AUTO_UPGRADE_SQLITE": False})
    with app.app_context():
        if not args.reuse:
            started = time.perf_counter()
            build(app, args.lines)
            print(f"built in {time.perf_counter() - started:.0f} s")
        lines = db.session.scalar(select(func.count()).select_from(StockEventLine))
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        token = create_token(admin.email)
        db.session.commit()

    gc.collect()
    gc.freeze()  # as wsgi.py does after building the app
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    page = app.test_client()
    with app.app_context():
        sign_in(page, db.session.scalar(select(User).where(User.role == "admin")))
        # First without the nightly cache: every figure summed from the ledger.
        db.session.execute(delete(StockDayRefresh))
        db.session.commit()
    plain = sorted(timed(api, headers, "/api/v1/stock/status", 3))
    with app.app_context():
        started = time.perf_counter()
        refresh_stock_days()
        db.session.commit()
        refresh_s = time.perf_counter() - started
    measures = [
        ("GET /api/v1/stock/status", api, headers, "/api/v1/stock/status", 150),
        ("GET /stock (dashboard page)", page, {}, "/stock", 150),
        ("GET /api/v1/reorder/suggestions", api, headers, "/api/v1/reorder/suggestions", 1000),
    ]
    rows = len(api.get("/api/v1/stock/status", headers=headers).get_json())
    suggested = len(api.get("/api/v1/reorder/suggestions", headers=headers).get_json())
    print(f"\n{args.db}: {lines:,} ledger lines, {rows} site × item rows, {suggested} suggested "
          f"(load average {os.getloadavg()[0]:.1f})")
    print("| measure | median ms | p95 ms | CPU ms (median, this process) | target ms | met |\n"
          "|---|---:|---:|---:|---:|---|")
    print(f"| GET /api/v1/stock/status without the nightly cache (ledger only, n=3) | "
          f"{statistics.median(plain):.0f} | {plain[-1]:.0f} | | 150 | "
          f"{'yes' if plain[-1] < 150 else 'NO'} |")
    print(f"| flask stock-days (nightly refresh of the cache), once | {refresh_s * 1000:.0f} | "
          f"| | | |")
    ok = True
    for name, client, hdrs, path, target in measures:
        cpu: list[float] = []
        server = sorted(timed(client, hdrs, path, args.n, cpu))
        p95 = server[max(0, int(len(server) * 0.95) - 1)]
        met = p95 < target
        ok &= met
        print(f"| {name} | {statistics.median(server):.1f} | {p95:.1f} | "
              f"{statistics.median(cpu):.1f} | {target} | {'yes' if met else 'NO'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
