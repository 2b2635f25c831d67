"""Encounter throughput: the real API against a bare Flask + SQLAlchemy insert, same run, same tool.

For each gunicorn worker class asked for, this starts two gunicorns (2 workers each) on 127.0.0.1,
serving

* the app (``wsgi:app``) on a fresh database (``seed-demo --events 0``, a benchmark admin and an API
  token from the CLI, stock received through ``POST /api/v1/receipts``), and wrk posts encounters of
  3 items to ``POST /api/v1/encounters`` with a bearer token, each with a new ``client_id``, the
  demo's handout sites taken in turn (``--one-site``: all at one site, the lock-contention worst
  case);
* ``benchmarks/bare_app.py`` on its own database, and wrk posts the same JSON bodies to an endpoint
  that inserts one row.

wrk (Debian's package) drives both: 16 connections, a warm-up each, then measured runs of the app
and the bare endpoint in turn (3 rounds by default), so that drift in a shared machine's speed hits
both alike. It reports requests/s (median of the rounds), the ratio app/bare (the median of the
rounds' ratios; target >= 50%), p50 and the worst p99 (target p99 < 100 ms), and the CPU per request
of gunicorn, PostgreSQL and wrk. Afterwards it checks that every 2xx made exactly one encounter and
that ``flask check-ledger`` passes. ``--floor`` adds a run with an unknown site (422, nothing
written): what token auth, validation and a look-up cost alone.

    python benchmarks/throughput.py                      # SQLite (WAL), sync and gthread workers
    python benchmarks/throughput.py --db postgres        # PostgreSQL at 127.0.0.1 (user postgres)
    python benchmarks/throughput.py --worker-class sync --one-site

Raw results also go to ``benchmarks/out/`` (ignored by git).
"""
import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (ROOT, WRK_LUA, Gunicorn, flask_cli, http,  # noqa: E402
                                postgres_cpu_seconds, run_wrk)
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1"
PG_APP_DB, PG_BARE_DB = "outreach_bench", "outreach_bench_bare"
BENCH_EMAIL = "bench-admin@example.org"

def prepare_databases(kind: str, workdir: Path) -> tuple[str, str]:
    """Fresh, empty databases for the app and the bare endpoint; returns their URLs."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'app.db'}", f"sqlite:///{workdir / 'bare.db'}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in (PG_APP_DB, PG_BARE_DB):
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{PG_SERVER}/{PG_APP_DB}", f"{PG_SERVER}/{PG_BARE_DB}"


def prepare_app(env: dict, kind: str) -> str:
    """Schema, demo program (no encounters), a benchmark admin and its API token."""
    if kind == "postgres":
        flask_cli(env, "db", "upgrade")
    flask_cli(env, "seed-demo", "--events", "0")
    flask_cli(env, "create-user", BENCH_EMAIL, "--role", "admin",
              "--password", secrets.token_urlsafe(16))
    return flask_cli(env, "create-token", BENCH_EMAIL).strip().splitlines()[-1].strip()


def pick_sites_and_items(base: str | None = None, token: str | None = None,
                         get=None) -> tuple[list[str], list[str]]:
    """The handout sites (every active site but warehouses) and one item of 3 categories.

    ``get(path)`` returns (status, JSON); by default a GET of ``base + path`` with ``token``.
    """
    if get is None:
        def get(path):
            return http("GET", f"{base}{path}", token)
    status, sites = get("/api/v1/sites")
    assert status == 200, (status, sites)
    status, items = get("/api/v1/items")
    assert status == 200, (status, items)
    handout_sites = [s["code"] for s in sites if s["kind"] != "warehouse"]
    chosen = []
    for category in ("syringe", "naloxone", "fentanyl_test_strip"):
        chosen.append(next(i["code"] for i in items if i["category"] == category))
    return handout_sites, chosen


def receipt_body(site: str, items: list[str]) -> dict:
    """Stock for the shelf: plenty of the first item, two lots each of the others, so that
    first-expired-first-out allocation walks real lots."""
    today = datetime.now(UTC).date()
    lines = [{"item": items[0], "quantity": 100_000}]
    for code in items[1:]:
        for n, days in ((1, 200), (2, 400)):
            lines.append({"item": code, "quantity": 50_000, "lot": f"BENCH-{code}-{n}",
                          "expires_on": (today + timedelta(days=days)).isoformat()})
    return {"client_id": str(uuid.uuid4()), "site": site,
            "occurred_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(), "lines": lines}


def receive_stock(base: str, token: str, site: str, items: list[str]) -> None:
    status, answer = http("POST", f"{base}/api/v1/receipts", token, receipt_body(site, items))
    if status != 201:
        print(f"warning: receipt failed ({status}): {answer}; encounters will drive stock negative")


def encounter_template(items: list[str]) -> str:
    body = {
        "client_id": "CLIENT_ID", "site": "SITE_CODE",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="seconds"),
        "encounter_type": "site", "participant_code": "PARTICIPANT_CODE",
        "items": [{"item": items[0], "quantity": 10}, {"item": items[1], "quantity": 1},
                  {"item": items[2], "quantity": 5}],
        "syringes_returned": 8, "returns_estimated": False, "secondary_people": 1,
        "naloxone_used": 0, "reversals_reported": 0, "referrals": ["medical"],
    }
    return json.dumps(body)


def count_rows(url: str, table: str, what: str = "count(*)") -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text(f"SELECT {what} FROM {table}")).scalar_one()
    engine.dispose()
    return count


def code_version() -> str:
    """The commit measured, with "-dirty" when the working tree has changes."""
    done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def measured(server: Gunicorn, run) -> dict:
    """``run()`` (a wrk run) with the CPU seconds per request it cost the gunicorn processes,
    wrk and the PostgreSQL server (0 on SQLite)."""
    workers, postgres = server.cpu_seconds(), postgres_cpu_seconds()
    result = run()
    answered = max(result["requests"], 1)
    result["cpu_ms"] = {"gunicorn": (server.cpu_seconds() - workers) / answered * 1000,
                        "postgres": (postgres_cpu_seconds() - postgres) / answered * 1000,
                        "wrk": result["wrk_cpu_s"] / answered * 1000}
    return result


def combine(runs: list[dict]) -> dict:
    """Several wrk runs as one: median requests/s, p50 and CPU; the worst p99 and maximum."""
    out = {key: sum(run[key] for run in runs)
           for key in ("requests", "connect_errors", "read_errors", "write_errors",
                       "status_errors", "timeouts")}
    out["rps"] = statistics.median(run["rps"] for run in runs)
    out["p50_us"] = statistics.median(run["p50_us"] for run in runs)
    out["p99_us"] = max(run["p99_us"] for run in runs)
    out["max_us"] = max(run["max_us"] for run in runs)
    out["cpu_ms"] = {key: statistics.median(run["cpu_ms"][key] for run in runs)
                     for key in runs[0]["cpu_ms"]}
    out["rounds"] = runs
    return out


def bench(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="outreach-bench-"))
    app_url, bare_url = prepare_databases(args.db, workdir)
    env = {**os.environ, "DATABASE_URL": app_url, "SECRET_KEY": secrets.token_hex(32),
           "PARTICIPANT_CODE_SECRET": secrets.token_hex(32), "BARE_DATABASE_URL": bare_url,
           "PYTHONPATH": str(ROOT)}
    env.pop("FLASK_DEBUG", None)
    token = prepare_app(env, args.db)
    # Create the bare table once, before two workers race to do it.
    subprocess.run([sys.executable, "-c", "import benchmarks.bare_app"], cwd=ROOT, env=env,
                   check=True)
    lua = workdir / "post.lua"
    lua.write_text(WRK_LUA)
    results = {"db": args.db, "duration_s": args.duration, "rounds": args.rounds,
               "connections": args.connections,
               "sites": "spread" if args.spread else "one",
               "when": datetime.now(UTC).isoformat(timespec="seconds"),
               "loadavg_before": os.getloadavg()[0], "code": code_version(), "runs": []}
    for worker_class in args.worker_class:
        with (Gunicorn("wsgi:app", env, worker_class, args.threads, "/api/v1/openapi.json") as srv,
              Gunicorn("benchmarks.bare_app:app", env, worker_class, args.threads,
                       "/rows/count") as bare_srv):
            sites, items = pick_sites_and_items(srv.url, token)
            sites = sites if args.spread else sites[:1]
            for site in sites:
                receive_stock(srv.url, token, site, items)
            body_file = workdir / "encounter.json"
            body_file.write_text(encounter_template(items))
            url, bare_url_ = f"{srv.url}/api/v1/encounters", f"{bare_srv.url}/rows"

            def app_run(seconds, codes=sites):
                return measured(srv, lambda: run_wrk(url, lua, body_file, codes, seconds,
                                                     args.connections, token))

            def bare_run(seconds):
                return measured(bare_srv, lambda: run_wrk(bare_url_, lua, body_file, sites,
                                                          seconds, args.connections, None))

            app_run(args.warmup)
            bare_run(args.warmup)
            before = count_rows(app_url, "encounter")
            # Rounds alternate app and bare, so drift in the machine's speed hits both alike.
            rounds = [(app_run(args.duration), bare_run(args.duration))
                      for _ in range(args.rounds)]
            # Every answered request must have made an encounter; none twice.
            made = count_rows(app_url, "encounter") - before
            # The same requests with a site nobody has: token auth, the body validated, one
            # look-up, a 422 problem+json; nothing written. What the stack costs alone.
            floor = app_run(args.duration, ["NO-SUCH-SITE"]) if args.floor else None
        app, bare = combine([a for a, _ in rounds]), combine([b for _, b in rounds])
        results["runs"].append({
            "worker_class": worker_class, "app": app, "bare": bare, "encounters_made": made,
            "ratio": statistics.median(a["rps"] / b["rps"] for a, b in rounds),
            "round_ratios": [a["rps"] / b["rps"] for a, b in rounds]})
        if floor is not None:
            results["runs"][-1].update(floor=floor, floor_ratio=floor["rps"] / bare["rps"])
    ledger = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "check-ledger"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    results["check_ledger_exit"] = ledger.returncode
    results["encounter_sites"] = count_rows(app_url, "encounter", "count(DISTINCT site_id)")
    results["loadavg_after"] = os.getloadavg()[0]
    if args.db == "sqlite":
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def report(results: dict, threads: int) -> bool:
    ok = results["check_ledger_exit"] == 0
    where = ("encounters spread over the handout sites" if results["sites"] == "spread"
             else "every encounter at one site")
    print(f"\n## {results['db']} · {results['connections']} connections · {where} · "
          f"{results['rounds']} rounds of {results['duration_s']} s, app and bare alternating · "
          f"{results['when']} · code {results['code']}")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, 1-min load average {results['loadavg_before']:.1f} "
          f"before, {results['loadavg_after']:.1f} after\n")
    print("| workers | endpoint | req/s | p50 ms | p99 ms | max ms | errors | CPU ms/req: "
          "gunicorn, PostgreSQL, wrk |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for run in results["runs"]:
        label = run["worker_class"] + (f" ×{threads} threads" if run["worker_class"] == "gthread"
                                       else "")
        for name in ("app", "floor", "bare"):
            if name not in run:
                continue
            r = run[name]
            keys = (["connect_errors", "read_errors", "write_errors", "timeouts"]
                    + (["status_errors"] if name != "floor" else []))
            errors = sum(r[k] for k in keys)
            endpoint = {"app": "POST /api/v1/encounters", "bare": "bare insert",
                        "floor": "same, unknown site (422, nothing written)"}[name]
            cpu = r["cpu_ms"]
            print(f"| {label} | {endpoint} | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} | "
                  f"{r['p99_us'] / 1000:.1f} | {r['max_us'] / 1000:.1f} | {errors} | "
                  f"{cpu['gunicorn']:.2f}, {cpu['postgres']:.2f}, {cpu['wrk']:.2f} |")
    print()
    for run in results["runs"]:
        app = run["app"]
        answered = app["requests"] - app["status_errors"]
        ratio_ok = run["ratio"] >= 0.5
        p99_ok = app["p99_us"] < 100_000
        ok = ok and ratio_ok and p99_ok
        rounds = ", ".join(f"{r:.0%}" for r in run["round_ratios"])
        print(f"- {run['worker_class']}: ratio {run['ratio']:.0%}, the median of the rounds' "
              f"{rounds} ({'meets' if ratio_ok else 'MISSES'}"
              f" ≥ 50%), app p99 {app['p99_us'] / 1000:.1f} ms ({'meets' if p99_ok else 'MISSES'} "
              f"< 100 ms); {run['encounters_made']} encounters made, {answered} non-error "
              f"answers counted by wrk (requests still in flight at the end are made, not counted)")
    for run in results["runs"]:
        if "floor" in run:
            print(f"- {run['worker_class']}: the framework floor (auth, validation, one look-up, "
                  f"no write) reaches {run['floor_ratio']:.0%} of the bare insert")
    print(f"- encounters recorded at {results['encounter_sites']} site(s); check-ledger after the "
          f"runs: exit {results['check_ledger_exit']}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), action="append")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="measured runs per endpoint, app and bare alternating")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--floor", action="store_true",
                        help="also post the same bodies with an unknown site (422): what token "
                             "auth, validation and one look-up cost without any ledger work")
    parser.add_argument("--one-site", dest="spread", action="store_false",
                        help="every encounter at the same site (worst case: one set of balance "
                             "rows, every request waits for the previous one's lock)")
    args = parser.parse_args()
    args.worker_class = args.worker_class or ["sync", "gthread"]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    results = bench(args)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (out / f"throughput-{args.db}-{stamp}.json").write_text(json.dumps(results, indent=2))
    return 0 if report(results, args.threads) else 1


if __name__ == "__main__":
    sys.exit(main())
