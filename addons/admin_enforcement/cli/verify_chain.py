"""`odoo-bin enforcement_verify_chain -c odoo.conf -d DB [--case REF] [--no-files]`:
verify the hash chain of one case or of every case, and the daily anchors.
Prints one line per broken case naming its first broken link; exits 1 if
anything is broken."""
import argparse
import sys

import odoo
from odoo.cli import Command
from odoo.tools import config


class EnforcementVerifyChain(Command):
    """Verify case hash chains and daily anchors, naming the first broken link"""

    name = "enforcement_verify_chain"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog="enforcement_verify_chain", add_help=False)
        parser.add_argument("--case", help="case reference or number; all cases if omitted")
        parser.add_argument("--no-files", action="store_true", help="skip re-hashing the stored files")
        own, odoo_args = parser.parse_known_args(cmdargs)
        config.parse_config(odoo_args, setup_logging=True)
        dbname = config["db_name"]
        if not dbname or "," in dbname:
            raise SystemExit("enforcement_verify_chain needs exactly one database: pass -d DB")
        registry = odoo.modules.registry.Registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            sys.exit(verify(env, own.case, check_files=not own.no_files))


def verify(env, case_ref=None, check_files=True):
    """Print the outcome and return the exit status."""
    Case = env["enforcement.case"].with_context(active_test=False)
    cases = None
    if case_ref:
        cases = Case.search(["|", ("name", "=", case_ref), ("number", "=", case_ref)])
        if not cases:
            print(f"no case with reference or number {case_ref}")
            return 2
    results = env["enforcement.chain.entry"]._verify_cases(cases, check_files=check_files)
    broken = [result for result in results if not result["ok"]]
    for result in broken:
        print(f"BROKEN {result['case']}: first broken link at {result['reason']}")
    anchor_problems = env["enforcement.chain.anchor"].search([])._verify() if not case_ref else []
    for problem in anchor_problems:
        print(f"BROKEN {problem}")
    entries = sum(result["entries"] for result in results)
    print(f"{len(results)} case(s), {entries} chain entries: "
          f"{len(broken)} broken case(s), {len(anchor_problems)} anchor problem(s)")
    return 1 if broken or anchor_problems else 0
