"""Benchmark: upload a large video through Odoo's HTTP endpoint.

Usage (from the repo root): .venv/bin/python scripts/bench/bench_upload.py [MiB]   (default 500)

Starts a throwaway PostgreSQL and Odoo (threaded, as scripts/run does) with
the addon, logs in as an officer and PUTs a generated file of the given size
to /enforcement/record/upload, streaming the body from a generator. Prints
the wall time, the throughput, and the Odoo process's resident memory before
and at its peak during the upload (VmHWM after resetting it through
/proc/PID/clear_refs), and checks that the server's SHA-256 is right.
"""
import hashlib
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from stack import throwaway_odoo  # noqa: E402

MIB = 1024 * 1024
SIZE_MIB = int(sys.argv[1]) if len(sys.argv) > 1 else 500
BLOCK = hashlib.sha256(b"bench").digest() * (MIB // 32)  # 1 MiB


def status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak(pid):
    """Linux >= 4.0: writing 5 to clear_refs resets VmHWM to the current RSS."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main():
    with throwaway_odoo("bench-upload") as odoo:
        admin = requests.Session()
        login = admin.post(f"{odoo.url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "params": {"db": odoo.db, "login": "admin", "password": "admin"}})
        assert login.json().get("result", {}).get("uid"), login.text

        pid = odoo.proc.pid
        rss_before = status_kib(pid, "VmRSS")
        peak_reset = reset_peak(pid)
        expected = hashlib.sha256()
        for _ in range(SIZE_MIB):
            expected.update(BLOCK)

        start = time.perf_counter()
        response = admin.put(f"{odoo.url}/enforcement/record/upload", params={"filename": "bench.mp4"},
                             data=(BLOCK for _ in range(SIZE_MIB)), headers={"Content-Type": "video/mp4"})
        elapsed = time.perf_counter() - start
        response.raise_for_status()
        body = response.json()
        peak = status_kib(pid, "VmHWM")
        if body["sha256"] != expected.hexdigest() or body["size"] != SIZE_MIB * MIB:
            raise SystemExit(f"server stored something else: {body}")

        print(f"upload: {SIZE_MIB} MiB in {elapsed:.2f} s  ({SIZE_MIB / elapsed:.0f} MiB/s), SHA-256 by the server: ok")
        print(f"Odoo process RSS before upload: {rss_before / 1024:.0f} MiB")
        label = "peak RSS during upload" if peak_reset else "peak RSS since start (clear_refs unavailable)"
        print(f"Odoo process {label}: {peak / 1024:.0f} MiB  (+{(peak - rss_before) / 1024:.0f} MiB "
              f"for a {SIZE_MIB} MiB file)")


if __name__ == "__main__":
    main()
