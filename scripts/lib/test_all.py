"""scripts/test: every test the project has, against real services started
here and thrown away afterwards. Prints one summary and exits non-zero on any
failure.

Stages: lint (the BPMN files, and the addon's Python through pylint with OCA's
pylint-odoo, .pylintrc), pure unit tests (no services), engine tests (PostgreSQL +
Operaton nodes driven through the product's engine client), Odoo tests
(--test-enable on a throwaway database), end-to-end tests (PostgreSQL +
Operaton + Odoo + worker).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

from deploy import lint
from odoo_tests import run_odoo_tests
from stack import ROOT, VAR, VENV_PY, Postgres

STAGES = ("lint", "unit", "engine", "odoo", "e2e")
PYTEST_COUNTS = re.compile(r"(\d+) (passed|failed|error|errors)")
ADDON = "addons/admin_enforcement"


def pylint_findings() -> list[str]:
    """What pylint with OCA's pylint-odoo checks for Odoo 18.0 (.pylintrc)
    finds in the addon; an empty list is the pass."""
    done = subprocess.run([str(VENV_PY), "-m", "pylint", "--rcfile", str(ROOT / ".pylintrc"), ADDON],
                          cwd=ROOT, capture_output=True, text=True)
    findings = [line for line in done.stdout.splitlines() if line.strip() and not line.startswith("*" * 13)]
    if done.returncode and not findings:  # a crash or a usage error is a failure too
        findings = [f"pylint exited with status {done.returncode}: {done.stderr.strip()[-3000:]}"]
    return findings


def pytest_stage(path: str, extra_env: dict | None = None) -> tuple[int, int]:
    env = dict(os.environ, **(extra_env or {}))
    done = subprocess.run([str(VENV_PY), "-m", "pytest", path, "-q", "-p", "no:cacheprovider", "-rfE"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    sys.stdout.write(done.stdout[-20000:])
    sys.stderr.write(done.stderr[-5000:])
    counts = {"passed": 0, "failed": 0, "error": 0, "errors": 0}
    last = [l for l in done.stdout.splitlines() if " in " in l and ("passed" in l or "failed" in l or "error" in l)]
    for n, kind in PYTEST_COUNTS.findall(last[-1] if last else ""):
        counts[kind] += int(n)
    failed = counts["failed"] + counts["error"] + counts["errors"]
    if done.returncode not in (0, 1) or (done.returncode == 1 and not failed):
        failed = max(failed, 1)
    if counts["passed"] == 0 and failed == 0:
        print(f"{path}: no test ran", file=sys.stderr)
        failed = 1
    return counts["passed"], failed


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/test", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stages", nargs="*", help=f"run only these stages, of: {' '.join(STAGES)}")
    stages = parser.parse_args().stages or list(STAGES)
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(sorted(unknown))}; choose from {' '.join(STAGES)}")
    results: dict[str, tuple[int, int]] = {}
    started = time.monotonic()
    workdir = VAR / f"test-{os.getpid()}"
    pg = None
    try:
        if "lint" in stages:
            print("== lint (BPMN files; the addon through pylint-odoo)", flush=True)
            files = sorted((ROOT / "bpmn").glob("*.bpmn"))
            problems = lint(files)
            for p in problems:
                print("bpmn:", p)
            findings = pylint_findings()
            for finding in findings:
                print("pylint:", finding)
            if findings:
                print(f"pylint: {len(findings)} finding(s) in {ADDON} (.pylintrc)")
            # one check per BPMN file (a problem fails one) and one for the addon's pylint run
            results["lint"] = (len(files) - (1 if problems else 0) + (0 if findings else 1),
                               (1 if problems else 0) + (1 if findings else 0))
        if "unit" in stages:
            print("== unit tests (pure Python, no services)", flush=True)
            results["unit"] = pytest_stage("tests/unit")
        if "engine" in stages:
            print("== engine tests (PostgreSQL + Operaton)", flush=True)
            results["engine"] = pytest_stage("tests/engine", {"ENFORCEMENT_ENGINE_TEST_DIR": str(workdir / "engine")})
        if "odoo" in stages:
            print("== Odoo tests (throwaway database)", flush=True)
            pg = Postgres(datadir=workdir / "pg", durable=False)
            pg.start()
            passed, failed, errors = run_odoo_tests(pg, workdir)
            if failed or errors:
                log = (workdir / "odoo-tests.log").read_text(errors="replace")
                # Odoo logs "<date> <time> <pid> ERROR <db> <logger>: FAIL: <test>" and the
                # traceback on the lines after, up to the next dated line.
                blocks = re.findall(r"^(?:\S+ \S+ \d+ ERROR \S+ \S+: )?(?:FAIL|ERROR): .*?(?=^\d{4}-\d\d-\d\d |\Z)",
                                    log, re.M | re.S)
                print("\n".join(b[:3000] for b in blocks[:10]) or log[-6000:])
            results["odoo"] = (passed, failed + errors)
        if "e2e" in stages:
            print("== end-to-end tests (PostgreSQL + Operaton + Odoo + worker)", flush=True)
            results["e2e"] = pytest_stage("tests/e2e", {"ENFORCEMENT_E2E_DIR": str(workdir / "e2e")})
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    passed = sum(p for p, _ in results.values())
    failed = sum(f for _, f in results.values())
    print(f"\n== summary ({time.monotonic() - started:.0f}s)")
    for stage, (p, f) in results.items():
        print(f"  {stage:<6} {p} passed, {f} failed")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
