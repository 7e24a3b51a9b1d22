"""`odoo-bin enforcement_verify_chain -c odoo.conf -d DB [--case REF] [--no-files] [--published FILE]`:
verify the hash chain of one case (or inspection, or inspection plan) or of every one, the signatures of its
entries and the daily anchors over it, optionally against anchors published
on the portal earlier (the JSON export of /enforcement/public/anchors.json).
Prints one line per broken case naming its first broken link; an anchor
problem breaks every case the anchor covers. Exits 1 if anything is broken."""
import argparse
import json
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
        parser.add_argument("--published", metavar="FILE",
                            help="anchors saved from the portal's anchors.json: each must still be in the database, "
                                 "unchanged")
        own, odoo_args = parser.parse_known_args(cmdargs)
        published = None
        if own.published:
            with open(own.published, encoding="utf-8") as handle:
                published = json.load(handle)["anchors"]
        config.parse_config(odoo_args, setup_logging=True)
        dbname = config["db_name"]
        if not dbname or "," in dbname:
            raise SystemExit("enforcement_verify_chain needs exactly one database: pass -d DB")
        registry = odoo.modules.registry.Registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            sys.exit(verify(env, own.case, check_files=not own.no_files, published=published))


def verify(env, case_ref=None, check_files=True, published=None):
    """Print the outcome and return the exit status."""
    # pylint: disable=print-used  # the command's report is its standard output
    Case = env["enforcement.case"].with_context(active_test=False)
    Chain = env["enforcement.chain.entry"]
    if case_ref:
        cases = Case.search(["|", ("name", "=", case_ref), ("number", "=", case_ref)])
        # An inspection's or an inspection plan's chain, by its reference.
        others = env["enforcement.inspection"].search([("name", "=", case_ref)]) or \
            env["enforcement.inspection.plan"].search([("name", "=", case_ref)])
        if not cases and not others:
            print(f"no case, inspection or inspection plan with reference or number {case_ref}")
            return 2
        results = Chain._verify_cases(cases, check_files=check_files, published=published) if cases else []
        results += Chain._verify_subjects(others, check_files=check_files) if others else []
    else:
        results = Chain._verify_all_subjects(check_files=check_files, published=published)
    broken = [result for result in results if not result["ok"]]
    for result in broken:
        print(f"BROKEN {result['case']}: first broken link at {result['reason']}")
    # What no case can be named for: anchors whose leaves are all gone, and
    # published anchors deleted from the database.
    anchor_problems = []
    if not case_ref:
        Anchor = env["enforcement.chain.anchor"]
        anchor_problems = Anchor.search([("leaf_ids", "=", False)])._verify(published)
        anchor_problems += Anchor._missing_published(published or [])
    for problem in anchor_problems:
        print(f"BROKEN {problem}")
    entries = sum(result["entries"] for result in results)
    print(f"{len(results)} chain(s) of cases, inspections and plans, {entries} chain entries: "
          f"{len(broken)} broken chain(s), {len(anchor_problems)} anchor problem(s) naming no case")
    return 1 if broken or anchor_problems else 0
