"""Benchmark: verify hash chains stored in PostgreSQL, as `scripts/verify-chain` does.

Usage (from the repo root): .venv/bin/python scripts/bench/bench_chain_verify_db.py [N] [CASES]
(default 1,000,000 entries over 1,000 cases)

scripts/bench/bench_chain.py measures the chain check in memory. This one
adds what the product really pays: the entries live in the
enforcement_chain_entry table of a throwaway database with the addon
installed, and are read back per case with the model's own query
(`enforcement.chain.entry._load_chain`) before `verify_chain` runs. It
prints the read time, the check time and plain SHA-256 over the same
payload bytes, and the ratio plain / check (target >= 0.5) and plain /
(read + check). Comparing the live record rows with their chained content
is left out: it is ORM work, not hashing.
"""
import hashlib
import io
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))
sys.path.insert(0, str(ROOT / "addons" / "admin_enforcement"))

from bench_chain import records  # noqa: E402
from enforcement_core.hashchain import ChainEntry, make_entry, verify_chain, GENESIS_HASH  # noqa: E402
from stack import throwaway_odoo  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
CASES = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000


def copy_escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def fill(conn, company_id, case_ids):
    """N chain entries spread over the cases, chained per case, loaded with COPY."""
    cur = conn.cursor()
    per_case = N // CASES
    buffer = io.StringIO()
    prev = {case_id: GENESIS_HASH for case_id in case_ids}
    for i, (content, timestamp, actor) in enumerate(records(per_case * CASES)):
        case_id = case_ids[i // per_case]
        entry = make_entry(prev[case_id], content, timestamp, actor)
        prev[case_id] = entry.entry_hash
        seq = i % per_case + 1
        buffer.write("\t".join((str(case_id), str(company_id), str(seq), "enforcement.record", str(i + 1),
                                copy_escape(entry.payload.decode()), entry.content_hash, entry.timestamp,
                                entry.actor, entry.prev_hash, entry.entry_hash)) + "\n")
    buffer.seek(0)
    cur.copy_from(buffer, "enforcement_chain_entry", columns=(
        "case_id", "company_id", "seq", "res_model", "res_id", "payload", "content_hash", "timestamp",
        "actor", "prev_hash", "entry_hash"))
    cur.execute("ANALYZE enforcement_chain_entry")
    conn.commit()


def main():
    import odoo
    from odoo.tools import config

    with throwaway_odoo("bench-chain-db", serve_http=False) as odoo_stack:
        pg = odoo_stack.pg
        config.parse_config(["-c", str(odoo_stack.conf)])
        registry = odoo.modules.registry.Registry(odoo_stack.db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            company = env["res.company"].create({"name": "基准测试市场监督管理局"})
            agency = env["enforcement.agency"].create({
                "name": "基准测试市场监督管理局", "short_name": "基准", "company_id": company.id})
            cases = env["enforcement.case"].create([
                {"title": f"基准测试案件{index}", "agency_id": agency.id} for index in range(CASES)])
            company_id, case_ids = company.id, cases.ids
        conn = psycopg2.connect(host=pg.host, port=pg.port, user=pg.user, password=pg.password or None,
                                dbname=odoo_stack.db)
        start = time.perf_counter()
        fill(conn, company_id, case_ids)
        print(f"loaded {N:,} entries over {CASES:,} cases in {time.perf_counter() - start:.1f} s", flush=True)
        conn.close()

        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            Entry = env["enforcement.chain.entry"]
            Case = env["enforcement.case"]
            read_time = check_time = plain_time = 0.0
            sha256 = hashlib.sha256
            for case_id in case_ids:
                start = time.perf_counter()
                rows = Entry._load_chain(Case.browse(case_id))
                entries = [ChainEntry(row[3].encode("utf-8"), *row[4:]) for row in rows]
                read_time += time.perf_counter() - start

                start = time.perf_counter()
                result = verify_chain(entries)
                check_time += time.perf_counter() - start
                if not result.ok:
                    raise SystemExit(f"case {case_id}: {result.reason}")

                payloads = [entry.payload for entry in entries]
                start = time.perf_counter()
                for payload in payloads:
                    sha256(payload).hexdigest()
                plain_time += time.perf_counter() - start

        print(f"read from PostgreSQL (model query + decode): {read_time:.2f} s")
        print(f"verify_chain:                                 {check_time:.2f} s  ({N / check_time:,.0f} entries/s)")
        print(f"plain sha256 of the same payloads:            {plain_time:.2f} s")
        print(f"ratio plain / verify_chain:          {plain_time / check_time:.2f}  (target >= 0.5)")
        print(f"ratio plain / (read + verify_chain): {plain_time / (read_time + check_time):.2f}")


if __name__ == "__main__":
    main()
