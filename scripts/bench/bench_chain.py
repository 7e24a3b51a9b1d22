"""Benchmark: verify a signed tamper-evident chain vs. plain SHA-256 of the same bytes.

Usage (from the repo root): python scripts/bench/bench_chain.py [N]   (default 1,000,000)

What is compared:
* build: canonical JSON of each record + content hash + link hash (once).
* sign: the Ed25519 signature of each entry with the bureau's key (what
  every append pays, once).
* verify: ``verify_chain`` with the key ring over the stored entries. Each
  entry keeps its canonical payload bytes (as the database row does), so
  verification hashes those bytes (content hash) and the link string (prev
  hash, content hash, timestamp, actor), compares three values per entry,
  and verifies the last entry's signature, which vouches for the others.
  Also shown: the same entries cut into chains of 40 (a case), one
  signature each, and the walk that verifies every signature (one case's
  check, extrapolated from a sample).
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

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from enforcement_core.hashchain import build_chain, key_id, sign_entry, verify_chain  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = 3
CASE_LENGTH = 40
CHAIN_ID = "CASE-BENCH"
SAMPLE = 20_000


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


def sign_all(key, chains):
    return [[sign_entry(key, chain_id, seq, entry) for seq, entry in enumerate(chain, start=1)]
            for chain_id, chain in chains]


def verify_all(chains, keys, every_signature=False):
    for chain_id, chain in chains:
        result = verify_chain(chain, keys=keys, chain_id=chain_id, every_signature=every_signature)
        if not result.ok:
            raise SystemExit(f"benchmark chain {chain_id} does not verify: {result.reason}")


def main():
    key = Ed25519PrivateKey.generate()
    keys = {key_id(key.public_key()): key.public_key()}
    start = time.perf_counter()
    chain = build_chain(records(N))
    build_time = time.perf_counter() - start
    payloads = [entry.payload for entry in chain]
    payload_bytes = sum(map(len, payloads))

    start = time.perf_counter()
    (signed,) = sign_all(key, [(CHAIN_ID, chain)])
    sign_time = time.perf_counter() - start
    cases = [(f"CASE-{i}", build_chain(records(CASE_LENGTH))) for i in range(N // CASE_LENGTH)]
    cases = list(zip((chain_id for chain_id, _ in cases), sign_all(key, cases)))

    unsigned_time, _ = best_of(verify_chain, chain)
    verify_time, _ = best_of(verify_all, [(CHAIN_ID, signed)], keys)
    cases_time, _ = best_of(verify_all, cases, keys)
    sample = [(CHAIN_ID, signed[:SAMPLE])]
    every_time, _ = best_of(verify_all, sample, keys, True)
    every_time *= N / min(N, SAMPLE)
    plain_time, _ = best_of(plain_sha256, payloads)

    print(f"records: {N:,}  payload: {payload_bytes / N:.0f} bytes/record avg, {payload_bytes / 2**20:.1f} MiB total")
    print(f"build (canonical JSON + 2 hashes/record): {build_time:.2f} s  ({N / build_time:,.0f} records/s)")
    print(f"sign each entry (Ed25519):                {sign_time:.2f} s  ({sign_time / N * 1e6:.1f} us/entry, "
          f"paid once per append)")
    print(f"verify_chain, hashes only:                {unsigned_time:.3f} s  ({N / unsigned_time:,.0f} records/s)")
    print(f"verify_chain, signed, one chain:          {verify_time:.3f} s  ({N / verify_time:,.0f} records/s)")
    print(f"verify_chain, signed, chains of {CASE_LENGTH}:      {cases_time:.3f} s  ({N / cases_time:,.0f} records/s)")
    print(f"verify every signature (one case's check): {every_time:.1f} s  ({N / every_time:,.0f} records/s, "
          f"from {min(N, SAMPLE):,} entries)")
    print(f"plain sha256 of the same payloads:        {plain_time:.3f} s  ({N / plain_time:,.0f} records/s)")
    print(f"ratio plain_time / verify_time (signed, one chain): {plain_time / verify_time:.2f}  (target >= 0.5)")
    print(f"ratio plain_time / verify_time (signed, chains of {CASE_LENGTH}): {plain_time / cases_time:.2f}")
    print(f"ratio plain_time / verify_time (every signature): {plain_time / every_time:.3f}")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
