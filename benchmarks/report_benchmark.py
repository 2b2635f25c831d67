"""Benchmark: the quarterly funder workbook over a large database, against a bare SQL GROUP BY.

    python benchmarks/report_benchmark.py build   --url sqlite:////tmp/bench/report.db
    python benchmarks/report_benchmark.py measure --url sqlite:////tmp/bench/report.db
    python benchmarks/report_benchmark.py all     --url postgresql://postgres@127.0.0.1/bench
    python benchmarks/report_benchmark.py prepare --url ...   # existing database: migrate, cache

``build`` migrates an empty database and bulk-loads 1,000,000 encounters (about 3 million lines)
across 30 sites and 15 items (benchmarks/report_data.py). ``measure`` runs in its own process:
it times a bare ``SELECT site, item, SUM(quantity) ... GROUP BY`` over the quarter's ledger lines
and the whole workbook (every query + pandas + openpyxl, written to a file), alternating, and
reports the first (cold) workbook and bare query after opening the database, the medians, their
ratio, the process's peak RSS and the tracemalloc peak of one build. ``build`` and ``prepare`` end
by refreshing the report ledger month cache (``flask report-cache``), as a nightly job would.
Targets (issue 3): workbook < 5 s, < 500 MB peak, <= 4x the bare query.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _app(url: str):
    from inventory import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "AUTO_UPGRADE_SQLITE": False,
                       "SECRET_KEY": "bench", "PARTICIPANT_CODE_SECRET": "bench"})


def build(url: str, encounters: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from benchmarks.report_data import build as load
    from inventory.catalog.seed import seed_catalogue
    from inventory.extensions import db
    from inventory.settings.models import ProgramSettings
    from inventory.stock.seed import seed_reasons

    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = _app(url)
    started = time.perf_counter()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        seed_catalogue()
        seed_reasons()
        db.session.add(ProgramSettings(program_name="Benchmark", timezone="America/New_York",
                                       fiscal_year_start_month=7, suppression_threshold=11))
        db.session.commit()
        conn = db.session.connection()
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -500000")
        counts = load(conn, encounters,
                      say=lambda m: print(f"[{time.perf_counter() - started:7.1f}s] {m}",
                                          flush=True))
        db.session.commit()
        print(f"[{time.perf_counter() - started:7.1f}s] analyze", flush=True)
        if db.engine.dialect.name == "sqlite":
            db.session.connection().exec_driver_sql("ANALYZE")
            db.session.commit()
        else:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE")
    print(f"[{time.perf_counter() - started:7.1f}s] report ledger month cache", flush=True)
    refreshed = prepare(url)
    print(json.dumps({"built_in_s": round(time.perf_counter() - started, 1), **counts,
                      **refreshed}))


def prepare(url: str) -> dict:
    """Migrate an existing benchmark database to head and refresh the ledger month cache."""
    from flask_migrate import upgrade

    from inventory.reporting import services

    app = _app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        counts = services.refresh_ledger_months()
    return {"cache_refresh_s": round(time.perf_counter() - started, 1),
            **{f"months_{k}": v for k, v in counts.items()}}


def empty_cache(url: str) -> None:
    """Delete the ledger month cache, to time reports that read the whole ledger."""
    from inventory.extensions import db
    from reports.ledger_months import MONTH, TOTAL

    with _app(url).app_context(), db.engine.begin() as conn:
        conn.execute(TOTAL.delete())
        conn.execute(MONTH.delete())


def _bare(conn, period):
    from sqlalchemy import func, select

    from reports.queries import EVENT, LINE

    stmt = select(EVENT.c.site_id, LINE.c.item_id, func.sum(LINE.c.quantity)).select_from(
        LINE.join(EVENT, LINE.c.event_id == EVENT.c.id)).where(
        EVENT.c.occurred_at >= period.start_utc, EVENT.c.occurred_at < period.end_utc).group_by(
        EVENT.c.site_id, LINE.c.item_id)
    return conn.execute(stmt).all()


def measure(url: str, quarter: str, repeat: int, out: str) -> dict:
    import reports
    from inventory.database import read_only_transactions
    from inventory.extensions import db
    from reports.periods import parse_quarter
    from reports.xlsx import write_xlsx

    app = _app(url)
    with app.app_context(), read_only_transactions(), db.engine.connect() as conn:
        settings = reports.load_settings(conn)
        period = parse_quarter(quarter, settings.fiscal_year_start_month, settings.timezone)
        lines = conn.exec_driver_sql("SELECT count(*) FROM stock_event_line").scalar()
        encounters = conn.exec_driver_sql("SELECT count(*) FROM encounter").scalar()

        def workbook():
            report = reports.build_report(conn, "funder", period, settings=settings)
            write_xlsx(report, out)
            return report

        cached_months = conn.exec_driver_sql("SELECT count(*) FROM report_ledger_month").scalar()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Cold: the first workbook after opening the database, then the first bare query.
        started = time.perf_counter()
        workbook()
        cold_workbook = time.perf_counter() - started
        started = time.perf_counter()
        _bare(conn, period)
        cold_bare = time.perf_counter() - started
        bare_times, report_times, bare_cpu, report_cpu = [], [], [], []
        for _ in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            rows = _bare(conn, period)
            bare_times.append(time.perf_counter() - started)
            bare_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            report = workbook()
            report_times.append(time.perf_counter() - started)
            report_cpu.append(time.process_time() - cpu)
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        workbook()
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        in_quarter = sum(r[2] for r in rows)
        summary = dict(zip(report.sheet("Summary").frame["Indicator"],
                           report.sheet("Summary").frame["Value"]))
    bare, full = statistics.median(bare_times), statistics.median(report_times)
    return {
        "load_average_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
        "database": db_name(url), "quarter": period.label, "encounters_in_db": encounters,
        "cached_months": cached_months, "cold_workbook_s": round(cold_workbook, 3),
        "cold_bare_s": round(cold_bare, 3), "cold_ratio": round(cold_workbook / bare, 2),
        "ledger_lines_in_db": lines, "encounters_in_quarter": summary["Encounters"],
        "net_units_in_quarter": in_quarter, "repeat": repeat,
        "bare_group_by_s": round(bare, 3), "workbook_s": round(full, 3),
        "ratio": round(full / bare, 2),
        "best_bare_s": round(min(bare_times), 3), "best_workbook_s": round(min(report_times), 3),
        "ratio_of_best": round(min(report_times) / min(bare_times), 2),
        # SQLite runs inside this process, so CPU time covers the queries too and hardly depends
        # on what else the machine is doing; on PostgreSQL it leaves out the server's work.
        "bare_cpu_s": round(statistics.median(bare_cpu), 3),
        "workbook_cpu_s": round(statistics.median(report_cpu), 3),
        "cpu_ratio": round(statistics.median(report_cpu) / statistics.median(bare_cpu), 2),
        "peak_rss_mb": round(rss_peak, 1),
        "rss_before_report_mb": round(rss_before, 1), "tracemalloc_peak_mb": round(traced_peak, 1),
        "all_bare_s": [round(t, 3) for t in bare_times],
        "all_workbook_s": [round(t, 3) for t in report_times],
    }


def db_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["build", "prepare", "measure", "all"])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL",
                                                        "sqlite:////tmp/bench/report.db"))
    parser.add_argument("--encounters", type=int, default=1_000_000)
    parser.add_argument("--quarter", action="append",
                        help="Fiscal quarter(s) to time (default FY2026Q4 and FY2025Q3).")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default="/tmp/report-benchmark.xlsx")
    parser.add_argument("--empty-cache", action="store_true",
                        help="measure: delete the ledger month cache first ('prepare' refills it).")
    args = parser.parse_args()
    quarters = args.quarter or ["FY2026Q4", "FY2025Q3"]
    if args.action in ("build", "all"):
        build(args.url, args.encounters)
    if args.action == "prepare":
        print(json.dumps(prepare(args.url)))
    if args.action == "measure" and args.empty_cache:
        empty_cache(args.url)
    if args.action == "measure":
        for quarter in quarters:
            print(json.dumps(measure(args.url, quarter, args.repeat, args.out)), flush=True)
    if args.action == "all":
        # A fresh process per measurement, so peak RSS is the report's, not the loader's.
        for quarter in quarters:
            subprocess.run([sys.executable, __file__, "measure", "--url", args.url, "--quarter",
                            quarter, "--repeat", str(args.repeat), "--out", args.out], check=True)


if __name__ == "__main__":
    main()
