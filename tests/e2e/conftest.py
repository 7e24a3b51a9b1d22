"""End-to-end fixtures: a real PostgreSQL, the Operaton engine (one node on
its own database in the same cluster), the Odoo HTTP server and the job
worker, started once per test session in a throwaway directory. Nothing is
mocked.

The engine has no controllable clock: a test that needs a timer to fire
makes that one timer job due now through the engine's REST API
(``Stack.make_timer_due``) and the job executor fires it, as it fires every
due timer."""
from __future__ import annotations

import contextlib
import os
import sys
import time
import xmlrpc.client
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import VAR, Odoo, Operaton, Postgres, engine_client, stop_process, throwaway_stack  # noqa: E402, F401

from engine_rest import EngineRest  # noqa: E402

ADMIN_PASSWORD = "admin"
# How long the worker locks an external task: short, so the task of a
# killed worker comes back within seconds.
WORKER_LOCK_MS = 4000


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
    def __init__(self, pg: Postgres, engine: Operaton, odoo: Odoo, node: int = 0):
        """The tests' own engine calls go to node `node`."""
        self.pg, self.engine, self.odoo = pg, engine, odoo
        self.client = engine_client(engine.nodes[node].rest_url, engine.credentials, timeout_s=30)
        self.rest = EngineRest(self.client)

    def rpc(self, login: str = "admin", password: str | None = None) -> Rpc:
        return Rpc(self.odoo.url, self.odoo.db, login, password or (ADMIN_PASSWORD if login == "admin" else login))

    def sql(self, query: str) -> str:
        return self.pg.psql(self.odoo.db, query)

    @contextlib.contextmanager
    def number_counter_held(self, agency_id: int, category: str):
        """Holds the row lock of the agency's number counter of this year (Beijing
        time) while the block runs, so the handler that takes the next number
        blocks inside its transaction with its external task locked. Yields the
        counter's value before."""
        held = psycopg2.connect(host=self.pg.host, port=self.pg.port, user=self.pg.user, dbname=self.odoo.db)
        try:
            cur = held.cursor()
            cur.execute("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int")
            year = cur.fetchone()[0]
            cur.execute("""INSERT INTO enforcement_case_number_counter (agency_id, category, year, last_seq)
                           VALUES (%s, %s, %s, 0) ON CONFLICT DO NOTHING""", (agency_id, category, year))
            held.commit()
            cur.execute("SELECT last_seq FROM enforcement_case_number_counter WHERE agency_id = %s "
                        "AND category = %s AND year = %s FOR UPDATE", (agency_id, category, year))
            yield cur.fetchone()[0]
        finally:
            held.rollback()
            held.close()

    def wait_until_numbering_blocks(self, what: str, timeout: float = 60) -> None:
        self.wait_for(lambda: self.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                       "AND query LIKE '%enforcement_case_number_counter%'") != "0",
                      timeout=timeout, what=what)

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

    # -- the engine, asked directly --

    def case_ref(self, case_id: int) -> str:
        """The case reference: the business key of all the case's instances."""
        return self.sql(f"SELECT name FROM enforcement_case WHERE id = {case_id}")

    def instance_is_active(self, process_instance_id: str) -> bool:
        return self.rest.is_active(str(process_instance_id))

    def case_is_running(self, case_id: int) -> bool:
        """Any instance of the case (children included) still running."""
        return bool(self.rest.running_instances(self.case_ref(case_id)))

    def procedure_is_running(self, case_id: int, process_key: str = "enforcement_penalty_ordinary") -> bool:
        """The case's instance of one process (by default its penalty
        procedure; a publication runs on as a process of its own)."""
        return any(i["state"] == "ACTIVE" for i in self.rest.started_instances(self.case_ref(case_id), process_key))

    def make_timer_due(self, case_id: int, timer_id: str, timeout: float = 60) -> dict:
        """The case's timer event `timer_id` fires now: its job's due date is
        set to now and the engine's job executor runs it."""
        job = self.rest.make_timer_due(self.case_ref(case_id), timer_id, timeout)
        self.wait_for(lambda: self.rest.timer_fired(job["id"]), timeout=30, what=f"timer {timer_id} to fire")
        return job

    # -- processes killed and restarted --

    def kill_worker(self) -> None:
        self.odoo.kill_worker()

    def restart_worker(self):
        stop_process(self.odoo.worker_proc, "worker")
        self.odoo.start_worker("worker-restarted.log")

    def kill_engine_node(self, index: int = 0):
        node = self.engine.nodes[index]
        node.kill()
        return node

    def restart_engine_node(self, dead) -> None:
        """Start the node again on its port (the product's ENGINE_URL) and database."""
        self.engine.restart(dead)


def worker_conf() -> dict:
    # Engine incidents are imported every second: the tests wait for them.
    return {"engine_lock_duration_ms": WORKER_LOCK_MS, "engine_incident_sync_interval_s": 1}


@pytest.fixture(scope="session")
def stack():
    rundir = Path(os.environ.get("ENFORCEMENT_E2E_DIR", VAR / f"e2e-{int(time.time())}"))
    with throwaway_stack(rundir, "enforcement_e2e", keep=os.environ.get("ENFORCEMENT_KEEP_E2E") == "1",
                         durable=False, extra_conf=worker_conf()) as (pg, engine, odoo):
        odoo.start()
        odoo.start_worker()
        running = Stack(pg, engine, odoo)
        try:
            yield running
        finally:
            with contextlib.suppress(Exception):
                running.client.close()


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
    matter_id = admin("enforcement.matter", "create", {
        "code": "E2E-BUREAU-001", "name": "对经营超过保质期食品的行政处罚", "category": "penalty",
        "agency_id": agency_id})
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
        "matter_id": matter_id,
        "category_id": category_id,
        "area_id": area_id,
    }
