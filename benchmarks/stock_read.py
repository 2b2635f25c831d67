"""GET /api/v1/stock over a large ledger: the server time of reading every site's balances.

Target (issue 2): under 50 ms server time with 3 million ledger lines, because balances are read
and the ledger is never scanned. The script builds (or reuses) a demo database with
``flask --app wsgi seed-demo --events N`` (1,000,000 encounters make about 3 million lines),
then asks for the whole stock table through the real API in process, reading the app's
``Server-Timing`` header, and in the same run times the ledger scan the endpoint avoids.

    python benchmarks/stock_read.py                          # SQLite in benchmarks/out/
    python benchmarks/stock_read.py --db postgres            # PostgreSQL database outreach_bench_stock
    python benchmarks/stock_read.py --reuse                  # keep the database built last time
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1/outreach_bench_stock"
LEDGER_SCAN = """
    SELECT e.site_id, l.item_id, l.lot_id, SUM(l.quantity)
    FROM stock_event_line l JOIN stock_event e ON e.id = l.event_id
    GROUP BY e.site_id, l.item_id, l.lot_id
"""


def build(url: str, events: int, db: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    if db == "postgres":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        "DROP DATABASE IF EXISTS outreach_bench_stock"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        "CREATE DATABASE outreach_bench_stock"], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "seed-demo",
                    "--events", str(events), "--password", "bench-password"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"seed-demo --events {events:,}: {time.perf_counter() - started:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="use the database built last time")
    parser.add_argument("-n", type=int, default=50, help="timed requests")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    url = PG_URL if args.db == "postgres" else f"sqlite:///{OUT / 'stock_read.db'}"
    if not args.reuse:
        build(url, args.events, args.db)

    sys.path.insert(0, str(ROOT))
    from sqlalchemy import func, select, text

    from inventory import create_app
    from inventory.auth.models import User
    from inventory.auth.tokens import create_token
    from inventory.extensions import db
    from inventory.stock.models import StockBalance, StockEventLine

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        lines = db.session.scalar(select(func.count()).select_from(StockEventLine))
        balances = db.session.scalar(select(func.count()).select_from(StockBalance))
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        token = create_token(admin.email)
        db.session.commit()
        started = time.perf_counter()
        db.session.execute(text(LEDGER_SCAN)).all()
        scan_ms = (time.perf_counter() - started) * 1000
        db.session.rollback()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    server, wall = [], []
    for i in range(args.n + 5):
        started = time.perf_counter()
        response = client.get("/api/v1/stock", headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.get_json()
        if i >= 5:  # warm-up
            server.append(float(response.headers["Server-Timing"].split("dur=")[1]))
            wall.append(elapsed)
    rows = len(response.get_json())
    server.sort()
    p95 = server[int(len(server) * 0.95) - 1]
    print(f"\n{args.db}: {lines:,} ledger lines, {balances:,} balance rows, {rows:,} rows returned"
          f" (load average {os.getloadavg()[0]:.1f})")
    print("| measure | ms |\n|---|---:|")
    print(f"| GET /api/v1/stock server time, median of {args.n} | {statistics.median(server):.1f} |")
    print(f"| GET /api/v1/stock server time, p95 | {p95:.1f} |")
    print(f"| GET /api/v1/stock in-process wall time, median | {statistics.median(wall):.1f} |")
    print(f"| the ledger scan it avoids (SUM over every line) | {scan_ms:.0f} |")
    target = "met" if p95 < 50 else "NOT met"
    print(f"\ntarget: under 50 ms server time -> {target} (p95)")
    return 0 if p95 < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
