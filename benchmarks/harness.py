"""Load-test plumbing shared by the benchmarks: gunicorn on 127.0.0.1, wrk with a Lua script that
posts JSON bodies with fresh ``client_id``s, and small HTTP and ``flask`` CLI helpers."""
import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# wrk script: a fresh client_id per request (run prefix, wrk thread, counter: unique without relying
# on per-thread random seeds), a participant code drawn from a pool of a few thousand, and the
# sites taken in turn.
WRK_LUA = r"""
local threads = {}
local counter = 0
local prefix, template, sites
local letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  prefix = args[1]
  local f = assert(io.open(args[2], "r"))
  template = f:read("*a")
  f:close()
  sites = {}
  for code in string.gmatch(args[3], "[^,]+") do table.insert(sites, code) end
  math.randomseed(os.time() + tid * 7919)
end

local function letter()
  local i = math.random(1, 26)
  return letters:sub(i, i)
end

function request()
  counter = counter + 1
  local id = string.format("%s-%04x-4000-8000-%012x", prefix, tid, counter)
  local code = string.format("%s%s%02d%02d%s", letter(), letter(), math.random(1, 12),
                             math.random(1, 28), letter())
  local site = sites[(counter + tid) % #sites + 1]
  local body = template:gsub("CLIENT_ID", id, 1):gsub("PARTICIPANT_CODE", code, 1)
                       :gsub("SITE_CODE", site, 1)
  return wrk.format("POST", nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, from /proc (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU used so far by every PostgreSQL server process on this machine (Linux /proc)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _cpu_seconds(int(entry.name))
            except OSError:
                continue
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method: str, url: str, token: str | None = None, body: dict | None = None):
    """A small JSON request; returns (status, parsed body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def flask_cli(env: dict, *args: str) -> str:
    """Run ``flask --app wsgi ARGS`` in the repository; returns stdout, raises on failure."""
    cmd = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


class Gunicorn:
    """gunicorn with 2 workers on 127.0.0.1:<free port>, stopped on exit."""

    def __init__(self, target: str, env: dict, worker_class: str, threads: int, ready_path: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "gunicorn", "-w", "2", "-k", worker_class,
               "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "60"]
        if worker_class == "gthread":
            cmd += ["--threads", str(threads)]
        self.proc = subprocess.Popen(cmd + [target], cwd=ROOT, env=env)
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn on {self.url} not ready after 60 s")

    def cpu_seconds(self) -> float:
        """CPU used so far by the gunicorn master and its workers."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        pids = [self.proc.pid, *map(int, children.read_text().split())]
        return sum(_cpu_seconds(pid) for pid in pids)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_wrk(url: str, lua: Path, body_file: Path, sites: list[str], seconds: int,
            connections: int, token: str | None) -> dict:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
           "-s", str(lua), "-H", "Content-Type: application/json"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    cmd += [url, "--", uuid.uuid4().hex[:8], str(body_file), ",".join(sites)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    result = json.loads(line[len("WRKJSON "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result
