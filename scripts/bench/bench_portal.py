"""Benchmark: the public decision search with 100,000 published decisions.

Usage (from the repo root): .venv/bin/python scripts/bench/bench_portal.py [N] [CLIENTS] [REQUESTS]
(defaults 100000 decisions, 50 concurrent clients, 20 requests per client)

Starts a throwaway PostgreSQL and Odoo (threaded, as scripts/run does) with
the addon, inserts N published, redacted decisions in one SQL statement
(realistic masked party names, numbers, categories, dates over three years),
then lets CLIENTS concurrent clients on loopback fetch the search page with
a mix of searches (masked party, number, category + date range, plain
listing, a deep page). The same clients then fetch Odoo's own /web/login
page on the same server. Prints median and p95 latency and throughput of
both, and the ratio search/login. Nothing is asserted on time.
"""
import statistics
import sys
import threading
import time
import urllib.parse
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from stack import throwaway_odoo  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
CLIENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 50
REQUESTS = int(sys.argv[3]) if len(sys.argv) > 3 else 20
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"

INSERT = """
INSERT INTO enforcement_publication (
    agency_id, company_id, title, decision_number, decision_category, severity, decided_on, party_type,
    party_name, conclusion, public_title, public_party, public_conclusion, redaction_confirmed, state,
    publish_due, published_on, create_uid, create_date, write_uid, write_date)
SELECT __AGENCY__, __COMPANY__,
       t.party || '销售不合格商品案', '城关市监处罚〔' || (2024 + g % 3) || '〕' || lpad(g::text, 6, '0') || '号',
       (ARRAY['penalty', 'penalty', 'penalty', 'licence', 'other'])[1 + g % 5],
       (ARRAY['general', 'minor'])[1 + g % 2], d.day,
       CASE WHEN g % 3 = 0 THEN 'organisation' ELSE 'person' END,
       t.party, '罚款人民币' || (g % 50 + 1) * 1000 || '元。', t.party || '销售不合格商品案', t.party,
       '罚款人民币' || (g % 50 + 1) * 1000 || '元。', true, 'published', d.day + 10, d.day + 5,
       1, now(), 1, now()
FROM generate_series(1, __N__) AS g,
     LATERAL (SELECT DATE '2024-01-01' + (g % 1000) AS day) AS d,
     LATERAL (SELECT CASE WHEN g % 3 = 0
                 THEN '城关县' || substr(__SURNAMES__, 1 + g % 50, 1) || '记商贸有限公司' || g
                 ELSE substr(__SURNAMES__, 1 + g % 50, 1) || '某某' END AS party) AS t
"""


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def run_load(urls_for_client, label):
    latencies, errors = [], []
    lock = threading.Lock()

    def client(index):
        session = requests.Session()
        for url in urls_for_client(index):
            started = time.perf_counter()
            response = session.get(url, timeout=120)
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if response.status_code == 200 else errors).append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    wall = time.perf_counter() - started
    median, p95 = statistics.median(latencies), percentile(latencies, 95)
    print(f"{label:<14} {len(latencies):>5} ok {len(errors):>3} failed   median {median * 1000:8.1f} ms   "
          f"p95 {p95 * 1000:8.1f} ms   {len(latencies) / wall:7.1f} req/s", flush=True)
    return median, p95


def main():
    with throwaway_odoo("bench-portal") as odoo:
        pg = odoo.pg
        base = odoo.url
        common = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common")
        uid = common.authenticate(odoo.db, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/object", allow_none=True)
        company = models.execute_kw(odoo.db, uid, "admin", "res.company", "create", [{"name": "城关县市场监督管理局"}])
        agency = models.execute_kw(odoo.db, uid, "admin", "enforcement.agency", "create", [{
            "name": "城关县市场监督管理局", "short_name": "城关", "company_id": company}])
        started = time.perf_counter()
        pg.psql(odoo.db, INSERT.replace("__AGENCY__", str(agency)).replace("__COMPANY__", str(company))
                .replace("__N__", str(N)).replace("__SURNAMES__", f"'{SURNAMES}'"))
        pg.psql(odoo.db, "ANALYZE enforcement_publication")
        count = pg.psql(odoo.db, "SELECT count(*) FROM enforcement_publication WHERE state = 'published'")
        print(f"inserted {count} published decisions in {time.perf_counter() - started:.1f}s", flush=True)
        base = odoo.url

        def search_urls(index):
            for request_no in range(REQUESTS):
                kind = (index + request_no) % 5
                surname = SURNAMES[(index * 7 + request_no) % len(SURNAMES)]
                params = [
                    {"party": f"{surname}某某"},
                    {"number": f"{(index * REQUESTS + request_no) % N:06d}"},
                    {"category": "penalty", "date_from": "2025-03-01", "date_to": "2025-06-30"},
                    {},
                    {"party": surname, "page": "40"},
                ][kind]
                yield f"{base}/enforcement/public/decisions?{urllib.parse.urlencode(params)}"

        def login_urls(_index):
            return [f"{base}/web/login"] * REQUESTS

        requests.get(f"{base}/enforcement/public/decisions", timeout=120)  # compile templates once
        requests.get(f"{base}/web/login", timeout=120)
        print(f"{CLIENTS} concurrent clients × {REQUESTS} requests, loopback, Odoo threaded on this machine:")
        search_median, search_p95 = run_load(search_urls, "decision search")
        login_median, login_p95 = run_load(login_urls, "/web/login")
        print(f"ratio search/login: median {search_median / login_median:.2f}, p95 {search_p95 / login_p95:.2f}")


if __name__ == "__main__":
    main()
