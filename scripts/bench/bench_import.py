"""Benchmark: import officers with their certificates through Odoo's own import.

Usage (from the repo root):
    .venv/bin/python scripts/bench/bench_import.py [OFFICERS] [--format xlsx|csv] [--tracemalloc]
(default 10,000 officers from an .xlsx sheet)
    .venv/bin/python scripts/bench/bench_import.py --parties [PARTIES] [--format xlsx|csv]
(the register of inspected parties, default 10,000: see below)

Starts a throwaway PostgreSQL, installs the addon without demo data into a
throwaway database, creates one agency (城关县市场监督管理局) with its areas and
a bureau administrator, then imports a generated sheet exactly as the import
dialog does: ``base_import.import`` ``parse_preview`` to map the columns,
then ``execute_import`` in batches of 2,000 rows (the dialog's default
"limit"), each batch in its own transaction and with tracking disabled (the
dialog's default). A 1,000-officer sheet is imported first for comparison.

The sheet looks like a bureau's: Chinese names, units and posts, mobile
numbers, 1 or 2 certificates per officer (numbers, issuing body, categories
and areas by code, validity dates as date cells in .xlsx).

Each import runs in its own Python process (the registry is loaded there),
so its peak RSS (``getrusage`` maxrss) belongs to that import alone; the RSS
after loading the registry is printed as the baseline. With --tracemalloc the
import is repeated under tracemalloc (which slows Python down, so that run is
not timed) to report the peak of Python allocations. Everything (database,
cluster, files) is removed at the end. No assertions: this reports figures.

With --parties it imports the register of inspected parties (检查对象名录库)
instead, as the market-entity register exports it (companies by USCC, one in
ten a natural person by resident ID, area by code, industry, risk and credit
grade), through the same dialog calls. That register is imported in one
transaction whatever the dialog's batch size (``enforcement.inspection.party.load``),
so one call imports the whole file: timed for a clean file, then for the same
file with three bad rows (the time until the refusal naming them, nothing
imported).
"""
import argparse
import csv
import datetime
import io
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from stack import VENV_PY, Odoo, throwaway_odoo  # noqa: E402

AGENCY = "城关县市场监督管理局"
AREAS = [  # (code, name, parent code)
    ("330127", "城关县", None),
    ("330127001", "城关镇", "330127"),
    ("330127002", "城东街道", "330127"),
    ("330127101", "青山镇", "330127"),
    ("330127102", "河桥镇", "330127"),
    ("330127201", "石门乡", "330127"),
]
CATEGORIES = ["market", "food_drug", "quality", "price", "advertising"]
HEADER = [
    "name", "agency_id", "unit", "post", "mobile", "certificate_ids/number", "certificate_ids/issuing_body",
    "certificate_ids/category_ids", "certificate_ids/area_ids", "certificate_ids/valid_from",
    "certificate_ids/valid_to",
]
BATCH_ROWS = 2000  # the import dialog's default batch size ("limit")
OPTIONS = {
    "quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8", "advanced": True,
    "date_format": "%Y-%m-%d", "datetime_format": "", "float_decimal_separator": ".",
    "float_thousand_separator": ",", "keep_matches": False, "import_skip_records": [],
    "import_set_empty_fields": [], "fallback_values": {}, "name_create_enabled_fields": {},
    "tracking_disable": True,
}
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰飞鹏辉宇浩然婷雪琳晨阳欣怡子涵博文思远佳琪梓萱俊杰诗雨"
UNITS = ["食品安全监管科", "药品医疗器械监管科", "价格监督检查科", "广告监督管理科", "质量发展科",
         "特种设备安全监察科", "网络交易监管科", "综合执法大队一中队", "综合执法大队二中队", "城关市场监管所",
         "青山市场监管所", "河桥市场监管所"]
POSTS = ["科员", "科员", "科员", "执法队员", "执法队员", "副科长", "科长", "副所长", "所长", "四级主任科员"]
ISSUERS = ["城关县人民政府", "城关县人民政府", "杭州市人民政府", "浙江省人民政府"]


def realistic_rows(officers: int, first_number: int):
    """Sheet rows (without header): an officer's first certificate on its row, a second on the next."""
    rng = random.Random(20260115)  # fixed: every run imports the same people
    number = first_number
    for _ in range(officers):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        officer = [name, AGENCY, rng.choice(UNITS), rng.choice(POSTS),
                   f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"]
        for index in range(1 if rng.random() < 0.8 else 2):
            start = datetime.date(rng.randrange(2021, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
            end = start.replace(year=start.year + 5) - datetime.timedelta(days=1)
            areas = ["330127"] if rng.random() < 0.7 else rng.sample([a[0] for a in AREAS[1:]], rng.randrange(1, 3))
            categories = ["market", *rng.sample(CATEGORIES[1:], rng.randrange(0, 3))]
            number += 1
            certificate = [f"33012799{number:06d}", rng.choice(ISSUERS), ",".join(categories), ",".join(areas),
                           start, end]
            yield (officer if index == 0 else [""] * len(officer)) + certificate


def sheet_bytes(rows, file_format: str) -> bytes:
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows([value.isoformat() if isinstance(value, datetime.date) else value for value in row]
                         for row in rows)
        return buffer.getvalue().encode()
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("执法人员及执法证")
    sheet.write_row(0, 0, HEADER)
    for rowx, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(rowx, col, datetime.datetime.combine(value, datetime.time()), date_format)
            elif value:
                sheet.write_string(rowx, col, value)
    book.close()
    return buffer.getvalue()


# ----------------------------------------------------------------------
# The register of inspected parties (--parties)
# ----------------------------------------------------------------------
PARTY_HEADER = ["name", "party_type", "uscc", "id_number", "agency_id", "area_id", "industry", "risk_grade",
                "credit_grade", "legal_representative", "address"]
PARTY_KINDS = ["食品销售", "餐饮服务", "百货商贸", "建材", "农资", "电子科技", "服装", "药品零售", "物流", "印刷"]
PARTY_INDUSTRIES = ["F5221 百货零售", "H6210 正餐服务", "F5126 食品批发", "F5274 农资零售",
                    "C2319 包装装潢印刷", "F5251 药品零售", "G5430 道路货物运输", "I6510 软件开发"]
TOWNS = [code for code, _name, parent in AREAS if parent]


def party_rows(parties: int, first_serial: int, bad: bool = False):
    """Sheet rows (without header); with ``bad`` three rows are wrong (check character, a person
    without ID number, a USCC twice)."""
    from stdnum.cn import ric, uscc

    rng = random.Random(20261201 + first_serial)  # each run its own people: codes are unique per agency
    rows = []
    for index in range(parties):
        serial = first_serial + index
        town = rng.choice(TOWNS)
        owner = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if index % 10 == 9:
            # one person per birth day within a run, each run its own order code: no number twice
            born = datetime.date(1960, 1, 1) + datetime.timedelta(days=index // 10)
            body = f"330127{born:%Y%m%d}{first_serial // 1_000_000 % 1000:03d}"
            rows.append([f"{owner}（个体工商户）", "person", "", body + ric.calc_check_digit(body + "0"), AGENCY, town,
                         rng.choice(PARTY_INDUSTRIES), rng.choice("ABBBCCD"), rng.choice(["trustworthy", "ordinary"]),
                         owner, f"{rng.choice(['人民路', '解放路', '青山街', '河桥路'])}{rng.randrange(1, 300)}号"])
            continue
        body = f"91330127{serial:09d}"
        rows.append([f"城关县{owner}{rng.choice(PARTY_KINDS)}有限公司{serial}", "organisation",
                     body + uscc.calc_check_digit(body + "0"), "", AGENCY, town, rng.choice(PARTY_INDUSTRIES),
                     rng.choice("ABBBCCD"), rng.choice(["trustworthy", "ordinary", "ordinary", "abnormal"]),
                     owner, f"{rng.choice(['人民路', '解放路', '青山街', '河桥路'])}{rng.randrange(1, 300)}号"])
    if bad:
        rows[len(rows) // 3][2] = rows[len(rows) // 3][2][:-1] + "0"
        rows[len(rows) // 2][1:4] = ["person", "", ""]
        rows[-1][2] = rows[0][2]
    return rows


def party_sheet_bytes(rows, file_format: str) -> bytes:
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(PARTY_HEADER)
        writer.writerows(rows)
        return buffer.getvalue().encode()
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("检查对象名录库")
    sheet.write_row(0, 0, PARTY_HEADER)
    for rowx, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(rowx, col, value)
    book.close()
    return buffer.getvalue()


def child_parties(conf: str, db: str, parties: int, first_serial: int, file_format: str, bad: bool) -> None:
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    with registry.cursor() as cr:
        uid = ensure_bureau(api.Environment(cr, SUPERUSER_ID, {})).id
    rows = party_rows(parties, first_serial, bad=bad)
    content = party_sheet_bytes(rows, file_format)
    context = {"lang": "zh_CN", "tz": "Asia/Shanghai", "tracking_disable": True}
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, context)
        importer = env["base_import.import"].create({
            "res_model": "enforcement.inspection.party", "file": content, "file_type": MIMETYPES[file_format],
            "file_name": f"检查对象名录库.{file_format}",
        })
        preview = importer.parse_preview(dict(OPTIONS))
        if preview.get("error"):
            raise SystemExit(f"preview failed: {preview['error']}")
        matches = preview["matches"] or {}
        fields = ["/".join(matches[i]) if i in matches else False for i in range(len(preview["headers"]))]
        preview_time = time.perf_counter() - start
        # The dialog's first call, with its batch size: the register takes the whole file at once.
        result = importer.execute_import(fields, preview["headers"], dict(OPTIONS, limit=BATCH_ROWS, skip=0))
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with registry.cursor() as cr:
        imported = api.Environment(cr, SUPERUSER_ID, {})["enforcement.inspection.party"].search_count(
            [("uscc", "like", "91330127%")] if not bad else [("id", "in", result.get("ids") or [])])
    errors = [m for m in result["messages"] if m["type"] == "error"]
    print(json.dumps({
        "rows": len(rows), "ids": len(result.get("ids") or []), "in_db": imported,
        "nextrow": result.get("nextrow"), "errors": [e["message"] for e in errors[:5]],
        "bytes": len(content), "preview_s": preview_time, "elapsed_s": elapsed,
        "cpu_s": usage.ru_utime + usage.ru_stime - cpu_start, "maxrss_kib": usage.ru_maxrss,
    }, ensure_ascii=False))


def run_parties(odoo: Odoo, parties: int, first_serial: int, file_format: str, bad: bool) -> dict:
    args = [str(VENV_PY), __file__, "--parties", "--child", str(odoo.conf), odoo.db, str(parties),
            str(first_serial), "--format", file_format] + (["--bad"] if bad else [])
    done = subprocess.run(args, env=odoo.env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"import of {parties} parties failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main_parties(args) -> None:
    with throwaway_odoo("bench-import", serve_http=False, language="zh_CN") as odoo:
        print(f"importing the register of inspected parties from .{args.format} through base_import "
              f"(the dialog's first call, batch size {BATCH_ROWS:,})", flush=True)
        clean = run_parties(odoo, args.officers, 0, args.format, bad=False)
        if clean["errors"] or clean["ids"] != args.officers or clean["nextrow"]:
            raise SystemExit(f"the clean import did not import everything in one call: {clean}")
        print(f"{args.officers:,} parties ({clean['bytes'] / 2**20:.1f} MiB sheet): all imported by one call in "
              f"{clean['elapsed_s']:.1f} s wall (preview {clean['preview_s']:.1f} s), "
              f"{clean['rows'] / clean['elapsed_s']:,.0f} rows/s, CPU of the importing process "
              f"{clean['cpu_s']:.1f} s, peak RSS {clean['maxrss_kib'] / 1024:.0f} MiB")
        bad = run_parties(odoo, args.officers, 1_000_000, args.format, bad=True)
        if bad["ids"] or bad["in_db"] or len(bad["errors"]) != 3:
            raise SystemExit(f"the file with three bad rows was not refused as a whole: {bad}")
        print(f"the same size with 3 bad rows: refused, nothing imported, in {bad['elapsed_s']:.1f} s wall "
              f"(CPU {bad['cpu_s']:.1f} s); the errors:")
        for message in bad["errors"]:
            print(f"  {message}")


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ----------------------------------------------------------------------
# Inside the importing process (Odoo registry loaded)
# ----------------------------------------------------------------------
def ensure_bureau(env):
    """The agency, its areas and its bureau administrator (who runs the import)."""
    agency = env["enforcement.agency"].search([("name", "=", AGENCY)])
    if not agency:
        company = env["res.company"].create({"name": AGENCY})
        agency = env["enforcement.agency"].create({
            "name": AGENCY, "short_name": "城关", "company_id": company.id, "uscc": "111101010000000197",
        })
    Area = env["enforcement.area"]
    for code, name, parent in AREAS:
        if not Area.search([("code", "=", code)]):
            Area.create({"code": code, "name": name,
                         "parent_id": parent and Area.search([("code", "=", parent)]).id})
    user = env["res.users"].search([("login", "=", "bench_bureau_admin")])
    if not user:
        user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "基础数据管理员", "login": "bench_bureau_admin",
            "company_id": agency.company_id.id, "company_ids": [(6, 0, agency.company_id.ids)],
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("admin_enforcement.group_enforcement_admin").id])],
        })
    return user


def child(conf: str, db: str, officers: int, first_number: int, file_format: str, traced: bool) -> None:
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    with registry.cursor() as cr:
        uid = ensure_bureau(api.Environment(cr, SUPERUSER_ID, {})).id
    rows = list(realistic_rows(officers, first_number))
    content = sheet_bytes(rows, file_format)
    rss_before = rss_kib()
    if traced:
        tracemalloc.start()

    context = {"lang": "zh_CN", "tz": "Asia/Shanghai", "tracking_disable": True}
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    with registry.cursor() as cr:  # the dialog's upload + preview call
        env = api.Environment(cr, uid, context)
        importer = env["base_import.import"].create({
            "res_model": "enforcement.officer", "file": content, "file_type": MIMETYPES[file_format],
            "file_name": f"执法人员.{file_format}",
        })
        preview = importer.parse_preview(dict(OPTIONS))
        if preview.get("error"):
            raise SystemExit(f"preview failed: {preview['error']}")
        importer_id = importer.id
        # The columns the dialog maps automatically (all of them: the headers are field paths).
        matches = preview["matches"] or {}
        fields = ["/".join(matches[i]) if i in matches else False for i in range(len(preview["headers"]))]
    preview_time = time.perf_counter() - start

    ids, batches, skip, errors = [], 0, 0, []
    while True:  # one call (and one transaction) per batch, as the dialog does
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, context)
            result = env["base_import.import"].browse(importer_id).execute_import(
                fields, preview["headers"], dict(OPTIONS, limit=BATCH_ROWS, skip=skip))
        batches += 1
        ids += result.get("ids") or []
        errors += [m for m in result["messages"] if m["type"] == "error"]
        if errors or not result.get("nextrow"):
            break
        skip = result["nextrow"]
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_start

    traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        certificates = env["enforcement.certificate"].search_count([("officer_id", "in", ids)])
    print(json.dumps({
        "rows": len(rows), "officers": len(ids), "certificates": certificates, "batches": batches,
        "errors": [e["message"] for e in errors[:5]], "bytes": len(content),
        "preview_s": preview_time, "elapsed_s": elapsed, "cpu_s": cpu,
        "rss_before_kib": rss_before, "maxrss_kib": usage.ru_maxrss,
        "traced_peak_bytes": traced_peak,
    }))


# ----------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------
def run_import(odoo: Odoo, officers: int, first_number: int, file_format: str, traced: bool = False) -> dict:
    args = [str(VENV_PY), __file__, "--child", str(odoo.conf), odoo.db, str(officers), str(first_number),
            "--format", file_format] + (["--tracemalloc"] if traced else [])
    done = subprocess.run(args, env=odoo.env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"import of {officers} officers failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["errors"] or result["officers"] != officers:
        raise SystemExit(f"import of {officers} officers did not import everything: {result}")
    return result


def report(label: str, r: dict) -> None:
    mib = 1 / 1024
    print(f"{label}: {r['rows']:,} rows ({r['officers']:,} officers, {r['certificates']:,} certificates, "
          f"{r['bytes'] / 2**20:.1f} MiB sheet, {r['batches']} batches)")
    print(f"  wall time {r['elapsed_s']:.1f} s (preview {r['preview_s']:.1f} s)  "
          f"{r['rows'] / r['elapsed_s']:,.0f} rows/s  {r['officers'] / r['elapsed_s']:,.0f} officers/s")
    # On a shared machine the wall time includes waiting for a core; the CPU time does not
    # (PostgreSQL's own work is in the wall time only).
    print(f"  CPU time of the importing process {r['cpu_s']:.1f} s")
    print(f"  importing process RSS: {r['rss_before_kib'] * mib:.0f} MiB after loading the registry, "
          f"peak {r['maxrss_kib'] * mib:.0f} MiB (+{(r['maxrss_kib'] - r['rss_before_kib']) * mib:.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("officers", nargs="?", type=int, default=10_000)
    parser.add_argument("first_number", nargs="?", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--tracemalloc", action="store_true", help="also report the peak of Python allocations")
    parser.add_argument("--child", nargs=2, metavar=("CONF", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--parties", action="store_true",
                        help="import the register of inspected parties instead of officers")
    parser.add_argument("--bad", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parties:
        if args.child:
            child_parties(*args.child, args.officers, args.first_number, args.format, args.bad)
        else:
            main_parties(args)
        return
    if args.child:
        child(*args.child, args.officers, args.first_number, args.format, args.tracemalloc)
        return

    with throwaway_odoo("bench-import", serve_http=False, language="zh_CN") as odoo:
        print(f"importing from .{args.format} through base_import (batches of {BATCH_ROWS:,} rows)", flush=True)
        # Each run numbers its certificates apart: numbers are unique across runs.
        small = run_import(odoo, 1_000, 0, args.format)
        report("1,000 officers", small)
        large = run_import(odoo, args.officers, 100_000, args.format)
        report(f"{args.officers:,} officers", large)
        print(f"  {large['elapsed_s'] / small['elapsed_s']:.1f}x the time of 1,000 officers for "
              f"{large['officers'] / small['officers']:.0f}x the officers")
        if args.tracemalloc:
            traced = run_import(odoo, args.officers, 300_000, args.format, traced=True)
            print(f"  tracemalloc peak of Python allocations during the {args.officers:,}-officer import "
                  f"(separate, untimed run): {traced['traced_peak_bytes'] / 2**20:.0f} MiB")

if __name__ == "__main__":
    main()
