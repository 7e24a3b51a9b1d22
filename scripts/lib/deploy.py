"""Checks and deploys the BPMN processes to Zeebe. A malformed or
non-conforming file is refused by name before anything is deployed."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

from stack import ADDONS, ROOT

BPMN_DIR = ROOT / "bpmn"


class DeployRefused(RuntimeError):
    pass


def lint(files: list[Path]) -> list[str]:
    """Problems found by the project's own checks (enforcement_core.bpmn_lint)
    and by bpmnlint with the camunda-compat rules for Camunda 7.24 (Operaton)."""
    sys.path.insert(0, str(ADDONS / "admin_enforcement"))
    from enforcement_core.bpmn_lint import lint_file

    problems = [f"{f.name}: {p.element_id}: {p.message}" for f in files for p in lint_file(f)]
    npx = shutil.which("npx")
    if npx and (BPMN_DIR / "node_modules" / "bpmnlint").exists():
        done = subprocess.run([npx, "--no-install", "bpmnlint", *map(str, files)], cwd=BPMN_DIR,
                              capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(done.stdout.strip() or done.stderr.strip())
    elif not npx:
        problems.append("bpmnlint is not installed (npx missing): run scripts/setup")
    return problems


def deploy_processes(address: str, files: list[Path] | None = None) -> list[dict]:
    """Lint and deploy; returns each deployed process with its engine version
    and the XML Zeebe accepted (what the public flowcharts are drawn from)."""
    files = files or sorted(BPMN_DIR.glob("*.bpmn"))
    problems = lint(files)
    if problems:
        raise DeployRefused("BPMN refused, nothing deployed:\n" + "\n".join(problems))
    from pyzeebe import ZeebeClient, create_insecure_channel

    async def send():
        channel = create_insecure_channel(grpc_address=address)
        try:
            return (await ZeebeClient(channel).deploy_resource(*map(str, files))).deployments
        finally:
            await channel.close()

    by_name = {f.name: f for f in files}
    return [
        {
            "bpmn_process_id": p.bpmn_process_id, "version": p.version,
            "process_definition_key": str(p.process_definition_key), "resource_name": Path(p.resource_name).name,
            "xml": by_name[Path(p.resource_name).name].read_text(encoding="utf-8"),
        }
        for p in asyncio.run(send())
    ]


def deploy(address: str, files: list[Path] | None = None) -> list[str]:
    return [f"{p['bpmn_process_id']} v{p['version']}" for p in deploy_processes(address, files)]


def record_in_odoo(url: str, db: str, login: str, password: str, processes: list[dict]) -> int:
    """Store the deployed XML in Odoo (enforcement.process.definition) over
    XML-RPC as an administrator, so the portal draws what actually runs."""
    import xmlrpc.client

    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
    if not uid:
        raise DeployRefused(f"cannot log in to Odoo {url} (database {db}) as {login} to record the deployment")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    return len(models.execute_kw(db, uid, password, "enforcement.process.definition", "record_deployment",
                                 [processes]))


if __name__ == "__main__":
    import argparse
    import os

    parser = argparse.ArgumentParser(description="Lint and deploy bpmn/*.bpmn to Zeebe")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--lint-only", action="store_true")
    parser.add_argument("--address", default=os.environ.get("ZEEBE_ADDRESS", ""))
    parser.add_argument("--odoo-url", default=os.environ.get("ODOO_URL", ""),
                        help="also record the deployed XML in this Odoo (for the public flowcharts)")
    parser.add_argument("--odoo-db", default=os.environ.get("ODOO_DB", ""))
    parser.add_argument("--odoo-login", default=os.environ.get("ODOO_LOGIN", "admin"))
    parser.add_argument("--odoo-password", default=os.environ.get("ODOO_PASSWORD", ""))
    args = parser.parse_args()
    files = [f.resolve() for f in args.files] or sorted(BPMN_DIR.glob("*.bpmn"))
    try:
        if args.lint_only:
            problems = lint(files)
            if problems:
                raise DeployRefused("\n".join(problems))
            print(f"{len(files)} BPMN files pass")
        else:
            if not args.address:
                raise SystemExit("set ZEEBE_ADDRESS or pass --address host:port")
            processes = deploy_processes(args.address, files)
            for p in processes:
                print(f"deployed {p['bpmn_process_id']} v{p['version']}")
            if args.odoo_url:
                count = record_in_odoo(args.odoo_url, args.odoo_db, args.odoo_login, args.odoo_password, processes)
                print(f"recorded {count} process versions in Odoo {args.odoo_url}")
    except DeployRefused as err:
        raise SystemExit(str(err))
