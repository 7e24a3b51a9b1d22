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
    """Problems found by the project's own checks and by bpmnlint with the
    camunda-compat rules for Zeebe 8.5."""
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


def deploy(address: str, files: list[Path] | None = None) -> list[str]:
    files = files or sorted(BPMN_DIR.glob("*.bpmn"))
    problems = lint(files)
    if problems:
        raise DeployRefused("BPMN refused, nothing deployed:\n" + "\n".join(problems))
    from pyzeebe import ZeebeClient, create_insecure_channel

    async def send():
        channel = create_insecure_channel(grpc_address=address)
        try:
            result = await ZeebeClient(channel).deploy_resource(*map(str, files))
            return [f"{p.bpmn_process_id} v{p.version}" for p in result.deployments]
        finally:
            await channel.close()

    return asyncio.run(send())


if __name__ == "__main__":
    import argparse
    import os

    parser = argparse.ArgumentParser(description="Lint and deploy bpmn/*.bpmn to Zeebe")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--lint-only", action="store_true")
    parser.add_argument("--address", default=os.environ.get("ZEEBE_ADDRESS", ""))
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
            for line in deploy(args.address, files):
                print("deployed", line)
    except DeployRefused as err:
        raise SystemExit(str(err))
