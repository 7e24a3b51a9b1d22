"""End-to-end fixtures: a real PostgreSQL, Zeebe broker (with a controllable
clock), Odoo HTTP server and job worker, started once per test session in a
throwaway directory. Nothing is mocked."""
from __future__ import annotations

import asyncio
import os
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest
from pyzeebe import ZeebeClient, create_insecure_channel
from pyzeebe.errors import ProcessInstanceNotFoundError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))

from stack import VAR, Odoo, Postgres, Zeebe, throwaway_stack  # noqa: E402

ADMIN_PASSWORD = "admin"


class Rpc:
    """XML-RPC as an Odoo user, the way any client program talks to Odoo."""

    def __init__(self, url: str, db: str, login: str, password: str):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError(f"cannot log in as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model: str, method: str, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


class Stack:
    def __init__(self, pg: Postgres, zeebe: Zeebe, odoo: Odoo):
        self.pg, self.zeebe, self.odoo = pg, zeebe, odoo

    def rpc(self, login: str = "admin", password: str | None = None) -> Rpc:
        return Rpc(self.odoo.url, self.odoo.db, login, password or (ADMIN_PASSWORD if login == "admin" else login))

    def sql(self, query: str) -> str:
        return self.pg.psql(self.odoo.db, query)

    def wait_for(self, check, timeout: float = 60, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            worker = self.odoo.worker_proc
            if worker is not None and worker.poll() is not None and worker.returncode != -9:
                log = sorted(self.odoo.rundir.glob("worker*.log"))[-1].read_text(errors="replace")
                raise AssertionError(f"the worker exited ({worker.returncode}):\n{log[-3000:]}")
            value = check()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    def instance_is_active(self, key: int) -> bool:
        """Cancelling a finished instance answers NOT_FOUND; a probe of an
        active one would cancel it, so ask only once it should be done."""
        async def probe():
            channel = create_insecure_channel(grpc_address=self.zeebe.address)
            try:
                await ZeebeClient(channel).cancel_process_instance(key)
                return True
            except ProcessInstanceNotFoundError:
                return False
            finally:
                await channel.close()
        return asyncio.run(probe())

    def restart_worker(self):
        from stack import stop_process

        stop_process(self.odoo.worker_proc, "worker")
        self.odoo.start_worker("worker-restarted.log")


@pytest.fixture(scope="session")
def stack():
    rundir = Path(os.environ.get("ENFORCEMENT_E2E_DIR", VAR / f"e2e-{int(time.time())}"))
    with throwaway_stack(rundir, "enforcement_e2e", keep=os.environ.get("ENFORCEMENT_KEEP_E2E") == "1",
                         durable=False, controlled_clock=True,
                         # Short job timeouts so a killed worker's job comes back within seconds.
                         extra_conf={"zeebe_job_timeout_ms": 4000}) as (pg, zeebe, odoo):
        odoo.start()
        odoo.start_worker()
        yield Stack(pg, zeebe, odoo)


@pytest.fixture(scope="session")
def bureau(stack):
    """An agency with a leader and an officer, created through RPC as the
    bureau administrator would."""
    admin = stack.rpc()
    company_id = admin("res.company", "create", {"name": "城关县市场监督管理局（测试）"})
    admin("res.users", "write", [2], {"company_ids": [(4, company_id)]})
    agency_id = admin("enforcement.agency", "create", {
        "name": "城关县市场监督管理局（测试）", "short_name": "城关", "company_id": company_id,
    })

    def user(login, groups):
        group_ids = [admin("ir.model.data", "check_object_reference", "admin_enforcement", g)[1] for g in groups]
        return admin("res.users", "create", {
            "name": login, "login": login, "password": login,
            "company_id": company_id, "company_ids": [(6, 0, [company_id])],
            "groups_id": [(6, 0, group_ids)],
        })

    officer_user_id = user("e2e_officer", ["group_enforcement_officer"])
    category_id = admin("ir.model.data", "check_object_reference", "admin_enforcement",
                        "enforcement_category_market")[1]
    area_id = admin("enforcement.area", "create", {"code": "E2E330127", "name": "城关县（测试）"})
    officer_id = admin("enforcement.officer", "create", {
        "name": "张伟", "agency_id": agency_id, "user_id": officer_user_id})
    admin("enforcement.certificate", "create", {
        "number": "E2E-33-0001", "officer_id": officer_id, "issuing_body": "城关县人民政府",
        "category_ids": [(6, 0, [category_id])], "area_ids": [(6, 0, [area_id])],
        "valid_from": "2025-01-01", "valid_to": "2030-12-31",
    })
    return {
        "agency_id": agency_id,
        "company_id": company_id,
        "leader_id": user("e2e_leader", ["group_enforcement_leader"]),
        "officer_id": officer_user_id,
        "case_officer_id": officer_id,
        "category_id": category_id,
        "area_id": area_id,
    }


@pytest.fixture(autouse=True)
def engine_clock_released(request):
    """A test that moves the broker's clock leaves it running again: job
    back-offs and timers of later tests need time to pass."""
    yield
    if "stack" in request.fixturenames:
        request.getfixturevalue("stack").zeebe.reset_clock()
