"""Benchmark: upload a large video through Odoo's HTTP endpoint.

Usage (from the repo root): .venv/bin/python scripts/bench/bench_upload.py [MiB]   (default 4096)

Starts a throwaway PostgreSQL and Odoo (threaded, as scripts/run does) with
the addon, logs in and PUTs a file of the given size to
/enforcement/record/upload twice: chunked, streaming the body from a
generator, and with a Content-Length, streaming a sparse file (the path
Odoo's own 128 MiB limit used to cap). Prints for each the wall time, the
throughput, and the Odoo process's resident memory before and at its peak
during the upload (VmHWM after resetting it through /proc/PID/clear_refs),
and checks that the server's SHA-256 is right.
"""
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from stack import throwaway_odoo  # noqa: E402

MIB = 1024 * 1024
SIZE_MIB = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
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


def upload(odoo, session, label, body, expected, headers=()):
    pid = odoo.proc.pid
    rss_before = status_kib(pid, "VmRSS")
    peak_reset = reset_peak(pid)
    start = time.perf_counter()
    response = session.put(f"{odoo.url}/enforcement/record/upload", params={"filename": f"bench-{label}.mp4"},
                           data=body, headers={"Content-Type": "video/mp4", **dict(headers)})
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    stored = response.json()
    peak = status_kib(pid, "VmHWM")
    if stored["sha256"] != expected or stored["size"] != SIZE_MIB * MIB:
        raise SystemExit(f"server stored something else: {stored}")
    print(f"{label}: {SIZE_MIB} MiB in {elapsed:.2f} s  ({SIZE_MIB / elapsed:.0f} MiB/s), SHA-256 by the server: ok")
    peak_label = "peak RSS during upload" if peak_reset else "peak RSS since start (clear_refs unavailable)"
    print(f"  Odoo process RSS before: {rss_before / 1024:.0f} MiB; {peak_label}: {peak / 1024:.0f} MiB  "
          f"(+{(peak - rss_before) / 1024:.0f} MiB for a {SIZE_MIB} MiB file)")


def main():
    with throwaway_odoo("bench-upload") as odoo:
        admin = requests.Session()
        login = admin.post(f"{odoo.url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "params": {"db": odoo.db, "login": "admin", "password": "admin"}})
        assert login.json().get("result", {}).get("uid"), login.text

        expected = hashlib.sha256()
        for _ in range(SIZE_MIB):
            expected.update(BLOCK)
        upload(odoo, admin, "chunked", (BLOCK for _ in range(SIZE_MIB)), expected.hexdigest())

        zeros = hashlib.sha256()
        zero_block = bytes(MIB)
        for _ in range(SIZE_MIB):
            zeros.update(zero_block)
        with tempfile.NamedTemporaryFile(prefix="bench-upload-") as sparse:
            os.truncate(sparse.name, SIZE_MIB * MIB)  # no blocks on disk
            with open(sparse.name, "rb") as body:
                upload(odoo, admin, "Content-Length", body, zeros.hexdigest(),
                       headers=[("Content-Length", str(SIZE_MIB * MIB))])


if __name__ == "__main__":
    main()
