"""Checks and deploys the BPMN processes to the Operaton engine through the
product's engine client. A malformed or non-conforming file is refused by
name before anything is deployed. The deployed XML can then be recorded in
Odoo (enforcement.process.definition), which draws the public flowcharts
from it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

from stack import ADDONS, ROOT, EngineCredentials, engine_client, engine_credentials

BPMN_DIR = ROOT / "bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


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


def executable_processes(path: Path) -> list[str]:
    """Ids of the executable processes a BPMN file defines."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    return [p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("isExecutable") == "true"]


def deploy_processes(engine_url: str, files: list[Path] | None = None,
                     credentials: EngineCredentials | None = None) -> list[dict]:
    """Lint, then deploy `files` (default bpmn/*.bpmn) as one deployment to
    the engine at `engine_url` (…/engine-rest; one node of a cluster is
    enough, they share the database). Unchanged files keep their version.

    Returns each process as the engine now runs it, for record_in_odoo:
    {bpmn_process_id, version, process_definition_key (the engine's
    definition id), resource_name, xml}."""
    files = files or sorted(BPMN_DIR.glob("*.bpmn"))
    problems = lint(files)
    if problems:
        raise DeployRefused("BPMN refused, nothing deployed:\n" + "\n".join(problems))
    client = engine_client(engine_url, credentials or engine_credentials(), timeout_s=60)
    try:
        client.deploy(files)
        processes = []
        for path in files:
            for key in executable_processes(path):
                # The latest version of each key: new ones were just deployed,
                # unchanged ones kept theirs (duplicate filtering).
                definition = client.latest_process_definition(key)
                processes.append({
                    "bpmn_process_id": key, "version": definition.version,
                    "process_definition_key": definition.id, "resource_name": path.name,
                    "xml": path.read_text(encoding="utf-8"),
                })
        return processes
    finally:
        client.close()


def deploy(engine_url: str, files: list[Path] | None = None,
           credentials: EngineCredentials | None = None) -> list[str]:
    return [f"{p['bpmn_process_id']} v{p['version']}" for p in deploy_processes(engine_url, files, credentials)]


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

    from stack import engine_urls

    parser = argparse.ArgumentParser(description="Lint and deploy bpmn/*.bpmn to the Operaton engine")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--lint-only", action="store_true")
    parser.add_argument("--engine-url", default=os.environ.get("ENGINE_URL", ""),
                        help="the engine's REST base URL (…/engine-rest); default ENGINE_URL")
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
            urls = engine_urls(args.engine_url)
            if not urls:
                raise SystemExit("no engine: start the product with scripts/run, or set ENGINE_URL "
                                 "(or pass --engine-url http://host:port/engine-rest)")
            processes = deploy_processes(urls[0], files)
            for p in processes:
                print(f"deployed {p['bpmn_process_id']} v{p['version']}")
            if args.odoo_url:
                count = record_in_odoo(args.odoo_url, args.odoo_db, args.odoo_login, args.odoo_password, processes)
                print(f"recorded {count} process versions in Odoo {args.odoo_url}")
    except DeployRefused as err:
        raise SystemExit(str(err))
    except Exception as err:  # the engine client's errors, said in one line
        if type(err).__module__.endswith("engine_client"):
            raise SystemExit(f"deployment failed: {err}")
        raise
