"""Runs the addon's Odoo tests (`--test-enable`) on a throwaway database
against the given PostgreSQL, and reports counts parsed from Odoo's log."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from stack import Odoo, Postgres

SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def run_odoo_tests(pg: Postgres, rundir: Path, tags: str = "/admin_enforcement") -> tuple[int, int, int]:
    """Returns (passed, failed, errors) and streams Odoo's test log to rundir/odoo-tests.log."""
    db = f"enforcement_test_{os.getpid()}_{int(time.time())}"
    odoo = Odoo(pg=pg, db=db, rundir=rundir)
    odoo.write_conf()
    log = rundir / "odoo-tests.log"
    args = odoo.odoo_cmd(
        "-c", str(odoo.conf), "-d", db, "-i", "admin_enforcement", "--test-enable",
        f"--test-tags={tags}", "--stop-after-init", "--logfile=", "--log-level=test",
        "--http-port", str(odoo.http_port),
    )
    with log.open("w") as out:
        done = subprocess.run(args, env=odoo.env(), stdout=out, stderr=subprocess.STDOUT)
    text = log.read_text(errors="replace")
    pg.drop_database(db)
    match = SUMMARY.search(text)
    if match:
        failed, errors, total = map(int, match.groups())
    else:
        total = len(re.findall(r"Starting \S+\.test_", text))
        failed = len(re.findall(r"^FAIL: ", text, re.M))
        errors = len(re.findall(r"^ERROR: ", text, re.M))
        if total == 0 or done.returncode != 0:
            errors = max(errors, 1)
    loading_errors = [l for l in text.splitlines() if " ERROR " in l and "odoo.addons.admin_enforcement.tests" not in l]
    if loading_errors and not (failed or errors):
        print("\n".join(loading_errors[:20]), file=sys.stderr)
        errors = max(errors, 1)
    return total - failed - errors, failed, errors
