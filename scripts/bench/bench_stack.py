"""Measures the product as an administrator meets it, in a fresh clone:

1. cold `scripts/setup` (new .venv, the Operaton engine built with Maven, npm
   ci; the machine's package caches — pip, Maven, npm, apt — are as they are);
2. `scripts/run` until it prints "Ready": first run (creates the database with
   demo data) and second run (reuses it), and within each the engine's own
   start to ready (JVM start until its REST API answers the product's
   credentials; the first run also creates the engine's schema);
3. resident memory of each process at idle, the engine JVM included;
4. the slice's round trip over N cases: case created through RPC → its filing
   approval task visible in Odoo; median and p95.

Usage: .venv/bin/python scripts/bench/bench_stack.py [--cases 100] [--keep]
Prints figures only; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mib(pattern: str) -> tuple[float, int]:
    """Sum of RSS over the processes whose command line contains `pattern`."""
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    pids = [int(p) for p in out if int(p) != os.getpid()]
    return sum(rss_mib(p) for p in pids if Path(f"/proc/{p}").exists()), len(pids)


def start_run(clone: Path, env: dict) -> tuple[subprocess.Popen, float, float]:
    """scripts/run until Ready: (process, seconds to Ready, engine start to
    ready as scripts/run measured it)."""
    started = time.monotonic()
    proc = subprocess.Popen([str(clone / "scripts" / "run")], cwd=clone, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    engine_ready = float("nan")
    for line in proc.stdout:
        match = re.match(r"engine ready in ([\d.]+)s", line)
        if match:
            engine_ready = float(match.group(1))
        if line.startswith("Ready in"):
            return proc, time.monotonic() - started, engine_ready
        if line.startswith("error"):
            raise SystemExit(f"scripts/run failed: {line}")
    raise SystemExit("scripts/run exited before it was ready")


def stop_run(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(120)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def round_trips(url: str, db: str, cases: int) -> list[float]:
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    officer_uid = common.authenticate(db, "officer", "officer", {})
    leader_uid = common.authenticate(db, "leader", "leader", {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    agency = models.execute_kw(db, officer_uid, "officer", "enforcement.agency", "search", [[]], {"limit": 1})[0]
    samples = []
    for i in range(cases):
        t0 = time.monotonic()
        case_id = models.execute_kw(db, officer_uid, "officer", "enforcement.case", "create",
                                    [{"title": f"压测案件 {i}", "agency_id": agency, "party_name": "某某有限公司"}])
        while not models.execute_kw(db, leader_uid, "leader", "enforcement.task", "search_count",
                                    [[("case_id", "=", case_id)]]):
            if time.monotonic() - t0 > 60:
                raise SystemExit(f"case {case_id}: no task after 60 s")
            time.sleep(0.01)
        samples.append(time.monotonic() - t0)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the fresh clone")
    args = parser.parse_args()

    clone = Path(tempfile.mkdtemp(prefix="bench-clone-", dir="/var/tmp"))
    os.chmod(clone, 0o755)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone / "repo")], check=True)
    clone = clone / "repo"
    env = dict(os.environ, ODOO_HTTP_PORT=str(free_port()), ENGINE_PORT=str(free_port()))
    for variable in ("ENGINE_URL", "ENGINE_USER", "ENGINE_PASSWORD"):
        env.pop(variable, None)  # the clone starts and uses its own engine
    try:
        t0 = time.monotonic()
        subprocess.run([str(clone / "scripts" / "setup")], cwd=clone, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        setup_s = time.monotonic() - t0

        proc, first_ready, first_engine = start_run(clone, env)
        stop_run(proc)
        proc, second_ready, second_engine = start_run(clone, env)
        state = json.loads((clone / "var" / "run" / "state.json").read_text())
        time.sleep(20)  # idle
        memory = {
            "PostgreSQL (all backends)": tree_rss_mib(f"postgres -D {clone}/var/pg")[0]
            or tree_rss_mib(str(clone / "var" / "pg"))[0],
            "Operaton engine (JVM)": sum(rss_mib(pid) for pid in state["engine_pids"]),
            "Odoo HTTP server": rss_mib(state["odoo_pid"]),
            "job worker": rss_mib(state["worker_pid"]),
        }
        samples = round_trips(state["url"], state["db"], args.cases)
        stop_run(proc)
    finally:
        if not args.keep:
            shutil.rmtree(clone.parent, ignore_errors=True)

    print(f"fresh clone setup (warm package caches): {setup_s:7.1f} s")
    print(f"scripts/run to ready, first run (creates DB + demo): {first_ready:7.1f} s")
    print(f"scripts/run to ready, second run (reuses DB):         {second_ready:7.1f} s")
    print(f"engine start to ready, first run (creates its schema): {first_engine:6.1f} s")
    print(f"engine start to ready, second run:                     {second_engine:6.1f} s")
    print("resident memory at idle:")
    for name, mib in memory.items():
        print(f"  {name:<28} {mib:8.1f} MiB")
    print(f"  {'total':<28} {sum(memory.values()):8.1f} MiB")
    print(f"slice round trip, case created -> task visible in Odoo, {len(samples)} cases:")
    print(f"  median {statistics.median(samples) * 1000:7.1f} ms   p95 {percentile(samples, 0.95) * 1000:7.1f} ms"
          f"   max {max(samples) * 1000:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
