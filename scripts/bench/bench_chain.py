"""Benchmark: verify a tamper-evident chain vs. plain SHA-256 of the same bytes.

Usage (from the repo root): python scripts/bench/bench_chain.py [N]   (default 1,000,000)

What is compared:
* build: canonical JSON of each record + content hash + link hash (once).
* verify: ``verify_chain`` over the stored entries. Each entry keeps its
  canonical payload bytes (as the database row does), so verification
  hashes those bytes (content hash) and the link string (prev hash,
  content hash, timestamp, actor), and compares three values per entry.
* plain: ``hashlib.sha256(payload).hexdigest()`` over exactly the same
  payload bytes, in the tightest Python loop: the floor any verifier in
  Python pays. Verify hashes the payload plus a ~170-byte link string, so
  the ratio plain/verify has a ceiling below 1; the target is >= 0.5.

Each timing is the best of several rounds, to keep scheduler noise out.
"""

import hashlib
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "addons" / "admin_enforcement"))

from enforcement_core.hashchain import build_chain, verify_chain  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = 3


def records(n):
    """Audio/video record metadata as domain.md §2.2 lists it (case, time, place, collector, purpose)."""
    for i in range(n):
        officer = f"officer-{i % 37:03d}"
        yield (
            {
                "case_ref": f"杭西市监处罚〔2026〕{i // 40 + 1}号",
                "stage": ("opening", "investigation", "review", "decision", "service")[i % 5],
                "record_type": "av" if i % 3 else "text",
                "captured_at": f"2026-03-{i % 28 + 1:02d}T{i % 24:02d}:{i % 60:02d}:00+08:00",
                "place": "浙江省杭州市西湖区文三路123号当事人经营场所",
                "collector": officer,
                "proves": "当事人货架上陈列超过保质期的食品",
                "file_name": f"REC_{i:08d}.mp4",
                "file_size": 10_000_000 + i,
                "file_sha256": hashlib.sha256(i.to_bytes(8, "big")).hexdigest(),
                "seq": i,
            },
            f"2026-03-{i % 28 + 1:02d}T{i % 24:02d}:{i % 60:02d}:{i % 59:02d}+08:00",
            officer,
        )


def best_of(function, *args):
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def plain_sha256(payloads):
    sha256 = hashlib.sha256
    for payload in payloads:
        sha256(payload).hexdigest()


def main():
    start = time.perf_counter()
    chain = build_chain(records(N))
    build_time = time.perf_counter() - start
    payloads = [entry.payload for entry in chain]
    payload_bytes = sum(map(len, payloads))

    verify_time, result = best_of(verify_chain, chain)
    if not result.ok:
        raise SystemExit(f"benchmark chain does not verify: {result.reason}")
    plain_time, _ = best_of(plain_sha256, payloads)

    print(f"records: {N:,}  payload: {payload_bytes / N:.0f} bytes/record avg, {payload_bytes / 2**20:.1f} MiB total")
    print(f"build (canonical JSON + 2 hashes/record): {build_time:.2f} s  ({N / build_time:,.0f} records/s)")
    print(f"verify_chain:                             {verify_time:.3f} s  ({N / verify_time:,.0f} records/s)")
    print(f"plain sha256 of the same payloads:        {plain_time:.3f} s  ({N / plain_time:,.0f} records/s)")
    print(f"ratio plain_time / verify_time: {plain_time / verify_time:.2f}  (target >= 0.5)")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
