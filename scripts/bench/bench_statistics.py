"""Benchmark: the annual statistics report over a million decided cases.

Usage (from the repo root): .venv/bin/python scripts/bench/bench_statistics.py [N]
(default 1,000,000 cases)

The cases are generated in a throwaway database with the addon installed
(`stack.throwaway_odoo`), by one `INSERT … SELECT … generate_series` (no
ORM): a year of decided penalty cases of one agency, with fines, a hearing
on one in twenty, a legal review on one in five and one in a hundred
discussed collectively; then as many of another agency and of the year
before, which the report must leave out. The report is then created the
way the legal office creates it (the figures are computed on creation),
and its workbook built. It prints the time of each part, the figures, and
the peak resident memory of this process, which is the Odoo process here
(the registry is loaded in-process, as `enforcement_worker` loads it).
Target: creation + workbook < 30 s. Nothing here asserts on time.
"""
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from stack import throwaway_odoo  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
YEAR = 2026


def rss_mib():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generate(cr, agency_id, company_id, count, year, prefix):
    cr.execute("""
        INSERT INTO enforcement_case (name, title, agency_id, company_id, party_type, party_name, state,
                                      review_state, review_required, decision_kind, fine_amount, decision_date,
                                      decision_number, hearing_granted, hearing_record, filing_date,
                                      create_uid, write_uid, create_date, write_date)
        SELECT %(prefix)s || g, '基准案件' || g, %(agency)s, %(company)s, 'organisation', '某公司' || g, 'closed',
               CASE WHEN g %% 5 = 0 THEN 'passed' ELSE 'none' END, g %% 5 = 0,
               CASE WHEN g %% 10 = 0 THEN 'no_penalty' ELSE 'penalty' END,
               CASE WHEN g %% 10 = 0 THEN 0 ELSE 500 + (g %% 97) * 100 END,
               make_date(%(year)s, 1, 1) + (g %% 365),
               %(prefix)s || '罚决' || g,
               g %% 20 = 0, CASE WHEN g %% 20 = 0 THEN '听证笔录' END,
               make_date(%(year)s, 1, 1) + (g %% 365),
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) AS g
    """, {"prefix": prefix, "agency": agency_id, "company": company_id, "count": count, "year": year})


def main():
    import odoo
    from odoo.tools import config

    with throwaway_odoo("bench-statistics", serve_http=False) as odoo_stack:
        config.parse_config(["-c", str(odoo_stack.conf)])
        registry = odoo.modules.registry.Registry(odoo_stack.db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            agencies = []
            for name, short in (("基准测试市场监督管理局", "基准"), ("其他区市场监督管理局", "其他")):
                company = env["res.company"].create({"name": name})
                agencies.append(env["enforcement.agency"].create({
                    "name": name, "short_name": short, "company_id": company.id}))
            agency, other = agencies
            start = time.perf_counter()
            generate(cr, agency.id, agency.company_id.id, N, YEAR, "BENCH-")
            generate(cr, other.id, other.company_id.id, N // 10, YEAR, "OTHER-")
            generate(cr, agency.id, agency.company_id.id, N // 10, YEAR - 1, "LAST-")
            meeting = env["enforcement.collective.decision"].create({
                "agency_id": agency.id, "chair_id": env.user.id, "motion": "基准"})
            cr.execute("UPDATE enforcement_collective_decision SET state = 'signed' WHERE id = %s", (meeting.id,))
            cr.execute("""INSERT INTO enforcement_collective_decision_case_rel (decision_id, case_id)
                          SELECT %s, id FROM enforcement_case WHERE agency_id = %s AND id %% 100 = 0
                             AND name LIKE 'BENCH-%%'""", (meeting.id, agency.id))
            cr.execute("ANALYZE enforcement_case")
            cr.execute("ANALYZE enforcement_collective_decision_case_rel")
            cr.commit()
            print(f"generated {N:,} + {N // 10:,} + {N // 10:,} cases in {time.perf_counter() - start:.1f} s",
                  flush=True)
            agency_id = agency.id

        rss_before = rss_mib()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
            start = time.perf_counter()
            report = env["enforcement.statistics.report"].create({
                "agency_id": agency_id, "period_kind": "annual", "year": YEAR})
            penalty = report.line_ids.filtered(lambda line: line.category == "penalty")
            computed = time.perf_counter() - start
            start = time.perf_counter()
            content, _name = report._xlsx_content()
            workbook = time.perf_counter() - start
            figures = penalty._as_figures()
            cr.rollback()

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"annual report over {N:,} cases: {figures.cases:,} cases, fines {figures.fine_total:,.2f} yuan, "
              f"{figures.hearings:,} hearings, {figures.legal_reviews:,} legal reviews, "
              f"{figures.collective_decisions:,} collective decisions")
        print(f"compute (create with its figures): {computed:.2f} s")
        print(f"workbook ({len(content):,} bytes):        {workbook:.2f} s")
        print(f"total:                             {computed + workbook:.2f} s  (target < 30 s)")
        print(f"Odoo process RSS: {rss_before:.0f} MiB before the report, peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
