"""Soak with faults: cases through the real product (PostgreSQL, Operaton
nodes, Odoo, the worker) while the worker, Odoo, an engine node and
PostgreSQL are SIGKILLed at random moments and started again; then every
case is compared between Odoo and the engine's history.

Each case is created through RPC as an officer would (the outbox starts its
process), and worked by simulated staff:

* `--flow filing` (default): filing approval refused, so the procedure ends
  at 不予立案: a process start, an external task (filing number), a user task
  and its completion per case.
* `--flow decision`: filing approved, investigation, report, prior notice,
  statements closed, decision; the case must then wait at service.

Found per case, after the faults stop and the stack settles:

* lost: no process instance for the case, an instance that did not reach
  where the flow ends, an engine user task without its Odoo task (or open in
  one and finished in the other), an outbox command never delivered, a
  completed external task without Odoo's handler record;
* duplicated: two process instances for one case, a user task opened twice
  (engine or Odoo), an external task's step handled twice (two handler
  records for one activity instance or one step).

Everything runs on 127.0.0.1 in a throwaway directory; every loop is bounded
in count and time, and the script stops by itself. Exit status 1 when a step
was lost or duplicated, 2 when the run could not complete (a case the
simulated staff could not finish in time is reported, not counted as lost).

Usage (from the repo root):
    .venv/bin/python scripts/bench/soak_faults.py [--cases 200] [--concurrency 6]
        [--flow filing|decision] [--faults worker,odoo,engine,postgres]
        [--fault-gap 8 20] [--max-faults 40] [--engine-nodes 2] [--seed N]
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.parsers.expat import ExpatError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from stack import VAR, StackError, engine_client, throwaway_stack  # noqa: E402

from penalty_flow import Actors, setup_penalty_bureau  # noqa: E402

ROOT_PROCESS = "enforcement_penalty_ordinary"
# How long a killed worker's external tasks stay locked: short, so the soak
# sees them handed out again within its run (the product's default is 60 s).
LOCK_MS = 15_000
TRANSIENT_MARKERS = ("OperationalError", "InterfaceError", "psycopg2", "could not connect", "server closed",
                     "terminating connection", "SerializationFailure", "could not serialize",
                     "connection already closed", "the database system is", "ConnectionPool",
                     "deadlock detected", "concurrent update", "LockNotAvailable")


class Transient(Exception):
    """Odoo or its database is down or restarting: the call may be repeated
    once it is known whether it took effect."""


class Rpc:
    """XML-RPC as one user, like any client; connection failures and
    database errors of a restarting stack become Transient."""

    def __init__(self, url: str, db: str, login: str, password: str, deadline: float):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.uid = None
        self.deadline = deadline

    def _login(self):
        self.uid = patiently(lambda: self._authenticate(), f"log in as {self.login}", self.deadline)

    def _authenticate(self):
        try:
            uid = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common", allow_none=True).authenticate(
                self.db, self.login, self.password, {})
        except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError, ExpatError) as err:
            raise Transient(str(err))
        except xmlrpc.client.Fault as err:
            raise Transient(err.faultString[-300:])
        if not uid:
            raise RuntimeError(f"{self.login} cannot log in")
        return uid

    def __call__(self, model: str, method: str, *args, **kwargs):
        if self.uid is None:
            self._login()
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        try:
            return proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)
        except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError, ExpatError) as err:
            raise Transient(f"{model}.{method}: {err}")
        except xmlrpc.client.Fault as err:
            if any(marker in err.faultString for marker in TRANSIENT_MARKERS):
                raise Transient(f"{model}.{method}: {err.faultString[-300:]}")
            raise


def patiently(call, what: str, deadline: float, pause: float = 0.5):
    """Repeat a call that may safely be repeated until it answers or the
    deadline passes (bounded)."""
    last = None
    while time.monotonic() < deadline:
        try:
            return call()
        except Transient as err:
            last = err
            time.sleep(pause)
    raise TimeoutError(f"{what}: no answer before the deadline ({last})")


class Soak:
    def __init__(self, args, pg, engine, odoo):
        self.args, self.pg, self.engine, self.odoo = args, pg, engine, odoo
        self.random = random.Random(args.seed)
        self.stop_faults = threading.Event()
        self.lock = threading.RLock()  # one restart at a time, and none while checking
        self.faults = collections.Counter()
        self.self_exits = collections.Counter()
        self.downtime = collections.defaultdict(list)
        self.worker_logs = 0
        self.events: list[str] = []
        self.deadline = time.monotonic() + args.max_minutes * 60

    def log(self, text: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {text}"
        self.events.append(line)
        print(line, flush=True)

    # -- the services --

    def restart_worker(self) -> None:
        self.worker_logs += 1
        self.odoo.start_worker(f"worker-{self.worker_logs}.log")

    def start_odoo(self) -> None:
        for attempt in range(10):
            try:
                self.odoo.start()
                return
            except StackError as err:
                self.log(f"Odoo did not start (attempt {attempt + 1}): {str(err)[:200]}")
                self.odoo.kill()
                time.sleep(2)
        raise StackError("Odoo did not start again after 10 attempts")

    def start_postgres(self) -> None:
        for attempt in range(20):
            try:
                self.pg.start()
                return
            except Exception as err:  # pg_ctl refuses while the old backends still hold shared memory
                self.log(f"PostgreSQL did not start (attempt {attempt + 1}): {str(err)[:200]}")
                time.sleep(1)
        raise StackError("PostgreSQL did not start again after 20 attempts")

    def inject(self, target: str) -> None:
        pause = self.random.uniform(0, self.args.down_max)
        with self.lock:
            began = time.monotonic()
            if target == "worker":
                self.odoo.kill_worker()
                time.sleep(pause)
                self.restart_worker()
                what = "worker"
            elif target == "odoo":
                self.odoo.kill()
                time.sleep(pause)
                self.start_odoo()
                what = "Odoo"
            elif target == "engine":
                node = self.random.choice(self.engine.nodes)
                node.kill()
                time.sleep(pause)
                self.engine.restart(node)
                what = f"engine node {node.name}"
            elif target == "postgres":
                self.pg.kill()
                time.sleep(pause)
                self.start_postgres()
                what = "PostgreSQL"
            else:
                raise ValueError(target)
            self.faults[target] += 1
            self.downtime[target].append(time.monotonic() - began)
        self.log(f"kill -9 {what}, down {time.monotonic() - began:.1f}s")

    def revive(self) -> None:
        """Start again whatever died by itself (a worker stops on a failure
        of one of its loops, by design: its supervisor restarts it)."""
        with self.lock:
            worker = self.odoo.worker_proc
            if worker is not None and worker.poll() is not None:
                self.self_exits["worker"] += 1
                self.log(f"the worker exited by itself ({worker.returncode}); starting it again")
                self.restart_worker()
            if self.odoo.proc is not None and self.odoo.proc.poll() is not None:
                self.self_exits["odoo"] += 1
                self.log(f"Odoo exited by itself ({self.odoo.proc.returncode}); starting it again")
                self.start_odoo()
            for node in list(self.engine.nodes):
                if not node.alive():
                    self.self_exits["engine"] += 1
                    self.log(f"engine node {node.name} exited by itself; starting it again")
                    self.engine.restart(node)

    def fault_loop(self) -> None:
        targets = self.args.faults
        while not self.stop_faults.is_set() and sum(self.faults.values()) < self.args.max_faults:
            if self.stop_faults.wait(self.random.uniform(*self.args.fault_gap)):
                break
            if time.monotonic() > self.deadline:
                break
            try:
                self.inject(self.random.choice(targets))
            except Exception as err:
                self.log(f"fault injection failed: {err}")
                break

    def monitor_loop(self) -> None:
        while not self.stop_faults.wait(2):
            try:
                self.revive()
            except Exception as err:
                self.log(f"could not start a service again: {err}")

    # -- the staff --

    def rpc_factory(self):
        deadline = self.deadline
        return lambda login: Rpc(self.odoo.url, self.odoo.db, login, login, deadline)

    def open_task(self, actors: Actors, case_id: int, step: str, role: str, timeout: float) -> dict:
        rpc = actors.rpc(role)
        end = min(time.monotonic() + timeout, self.deadline)
        while time.monotonic() < end:
            try:
                found = rpc("enforcement.task", "search_read",
                            [("case_id", "=", case_id), ("step_code", "=", step), ("state", "=", "open")],
                            fields=["id"])
            except Transient:
                found = None
            if found:
                return found[0]
            time.sleep(0.5)
        raise TimeoutError(f"no open {step} task within {timeout:.0f}s")

    def complete(self, actors: Actors, case_id: int, step: str, role: str, values: dict) -> None:
        """Fill in and complete a task, once: after a failed call, look
        whether it took effect before calling again."""
        rpc = actors.rpc(role)
        for _ in range(30):
            task = self.open_task(actors, case_id, step, role, self.args.step_timeout)
            try:
                if values:
                    rpc("enforcement.task", "write", [task["id"]], values)
                rpc("enforcement.task", "action_complete", [task["id"]])
                return
            except Transient:
                state = patiently(lambda: rpc("enforcement.task", "read", [task["id"]], ["state"])[0]["state"],
                                  "read the task", self.deadline)
                if state != "open":
                    return
                time.sleep(1)
        raise RuntimeError(f"{step}: not completed after 30 attempts")

    def create_case(self, actors: Actors, title: str) -> int:
        rpc = actors.rpc("officer1")
        for _ in range(30):
            try:
                return actors.create_case(title=title)
            except Transient:
                found = patiently(lambda: rpc("enforcement.case", "search", [("title", "=", title)]),
                                  "look for the case", self.deadline)
                if found:
                    return found[0]
                time.sleep(1)
        raise RuntimeError("case not created after 30 attempts")

    def run_case(self, actors: Actors, number: int) -> dict:
        title = f"浸泡测试案件 {self.args.run_id}-{number:04d}"
        result = {"number": number, "title": title, "error": None}
        try:
            case_id = result["case_id"] = self.create_case(actors, title)
            if self.args.flow == "filing":
                self.complete(actors, case_id, "filing_approval", "leader",
                              {"filing_approved": False, "approval_comment": "不予立案（浸泡测试）"})
            else:
                steps = [("filing_approval", "leader"), ("investigation", "officer1"),
                         ("investigation_report", "officer1"), ("prior_notice", "officer1")]
                for step, role in steps:
                    self.complete(actors, case_id, step, role, actors.step_values(step))
                rpc = actors.rpc("officer1")
                for _ in range(30):
                    try:
                        rpc("enforcement.case", "action_close_statements", [case_id])
                        break
                    except Transient:
                        time.sleep(1)
                    except xmlrpc.client.Fault:
                        break  # already closed by the try that seemed to fail
                self.complete(actors, case_id, "decision", "leader", actors.step_values("decision"))
                self.open_task(actors, case_id, "service", "officer1", self.args.step_timeout)
        except Exception as err:
            result["error"] = f"{type(err).__name__}: {err}"
        return result

    # -- the comparison --

    def compare(self, results: list[dict]) -> dict:
        client = engine_client(self.engine.rest_url, self.engine.credentials, timeout_s=60)
        ids = [r["case_id"] for r in results if r.get("case_id")]
        names = dict(row.split("|", 1) for row in self.pg.psql(
            self.odoo.db, f"SELECT id, name FROM enforcement_case WHERE id IN ({','.join(map(str, ids)) or 0})"
        ).splitlines() if row)
        problems: dict[int, list[tuple[str, str]]] = {}
        self.compared = collections.Counter()

        def sql_rows(query: str) -> list[list[str]]:
            return [line.split("|") for line in self.pg.psql(self.odoo.db, query).splitlines() if line]

        odoo_tasks = collections.defaultdict(list)
        for case_id, step, job_key, state in sql_rows(
                f"SELECT case_id, step_code, job_key, state FROM enforcement_task WHERE case_id IN "
                f"({','.join(map(str, ids)) or 0})"):
            odoo_tasks[int(case_id)].append((step, job_key, state))
        job_logs = collections.defaultdict(list)
        for case_id, job_key, element_id, activity_instance, state in sql_rows(
                f"SELECT case_id, job_key, coalesce(element_id, ''), coalesce(element_instance_key, ''), state "
                f"FROM enforcement_job_log WHERE case_id IN ({','.join(map(str, ids)) or 0})"):
            job_logs[int(case_id)].append((job_key, element_id, activity_instance, state))
        outbox = collections.defaultdict(list)
        for case_id, command, identity, state in sql_rows(
                f"SELECT case_id, command, identity_key, state FROM enforcement_outbox WHERE case_id IN "
                f"({','.join(map(str, ids)) or 0})"):
            outbox[int(case_id)].append((command, identity, state))

        for result in results:
            found: list[tuple[str, str]] = []
            problems[result["number"]] = found
            if result["error"]:
                # Not the product's loss by itself: the comparison below
                # says whether Odoo and the engine still agree.
                found.append(("unfinished", f"the staff could not finish: {result['error']}"))
            case_id = result.get("case_id")
            if not case_id:
                continue
            key = names.get(str(case_id))
            instances = client._call("GET", "/history/process-instance", params={"processInstanceBusinessKey": key})
            roots = [i for i in instances if i.get("processDefinitionKey") == ROOT_PROCESS]
            if not roots:
                found.append(("lost", "no process instance in the engine"))
            if len(roots) > 1:
                found.append(("duplicated", f"{len(roots)} process instances of {ROOT_PROCESS}"))
            for root in roots[:1]:
                if self.args.flow == "filing":
                    ended = client._call("GET", "/history/activity-instance",
                                         params={"processInstanceId": root["id"], "activityId": "EndEvent_NotFiled"})
                    if root.get("state") != "COMPLETED" or not ended:
                        found.append(("lost", f"instance {root['id']} is {root.get('state')}, not ended at 不予立案"))
            self.compared["engine process instances"] += len(instances)
            per_definition = collections.Counter(i.get("processDefinitionKey") for i in instances)
            for definition, count in per_definition.items():
                if definition != ROOT_PROCESS and count > 1:
                    found.append(("duplicated", f"{count} instances of {definition}"))
            engine_tasks = client._call("GET", "/history/task", params={"processInstanceBusinessKey": key})
            self.compared["engine user tasks"] += len(engine_tasks)
            self.compared["Odoo tasks"] += len(odoo_tasks[case_id])
            self.compared["Odoo handler records"] += len(job_logs[case_id])
            self.compared["outbox commands"] += len(outbox[case_id])
            by_definition = collections.Counter(t["taskDefinitionKey"] for t in engine_tasks)
            for definition, count in by_definition.items():
                if count > 1:
                    found.append(("duplicated", f"user task {definition} opened {count} times in the engine"))
            odoo_by_step = collections.Counter(step for step, _, _ in odoo_tasks[case_id])
            for step, count in odoo_by_step.items():
                if count > 1:
                    found.append(("duplicated", f"user task {step} opened {count} times in Odoo"))
            odoo_by_key = {job_key: state for _, job_key, state in odoo_tasks[case_id]}
            for task in engine_tasks:
                state = odoo_by_key.get(task["id"])
                if state is None:
                    found.append(("lost", f"engine user task {task['taskDefinitionKey']} has no Odoo task"))
                elif task.get("endTime") and state == "open":
                    found.append(("lost", f"{task['taskDefinitionKey']} ended in the engine, open in Odoo"))
                elif not task.get("endTime") and state != "open":
                    found.append(("lost", f"{task['taskDefinitionKey']} open in the engine, {state} in Odoo"))
            handled = collections.Counter(activity for _, _, activity, _ in job_logs[case_id] if activity)
            for activity, count in handled.items():
                if count > 1:
                    found.append(("duplicated", f"external task of activity instance {activity} handled {count} times"))
            per_step = collections.Counter(element for _, element, _, state in job_logs[case_id]
                                           if element and state == "done")
            for element, count in per_step.items():
                if count > 1:
                    found.append(("duplicated", f"step {element} handled {count} times"))
            logged = {job_key for job_key, _, _, _ in job_logs[case_id]}
            for instance in instances:
                for entry in client._call("GET", "/history/external-task-log",
                                          params={"processInstanceId": instance["id"], "successLog": "true"}):
                    self.compared["engine external task completions"] += 1
                    if entry["externalTaskId"] not in logged:
                        found.append(("lost", f"external task {entry['activityId']} completed in the engine "
                                              "without Odoo's handler record"))
            for command, identity, state in outbox[case_id]:
                if state != "sent":
                    found.append(("lost", f"outbox {command} {identity} is {state}"))
        client.close()
        return problems

    def settled(self, results: list[dict]) -> bool:
        """Nothing left to deliver: no pending outbox row, and every case of
        the filing flow ended in the engine."""
        ids = [str(r["case_id"]) for r in results if r.get("case_id")]
        if not ids:
            return True
        pending = self.pg.psql(self.odoo.db, "SELECT count(*) FROM enforcement_outbox WHERE state = 'pending' "
                                             f"AND case_id IN ({','.join(ids)})")
        if pending != "0":
            return False
        if self.args.flow != "filing":
            return True
        client = engine_client(self.engine.rest_url, self.engine.credentials, timeout_s=30)
        try:
            active = client._call("GET", "/process-instance/count",
                                  params={"processDefinitionKey": ROOT_PROCESS})["count"]
        finally:
            client.close()
        return active == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=6, help="cases worked at once")
    parser.add_argument("--flow", choices=("filing", "decision"), default="filing")
    parser.add_argument("--faults", type=lambda s: s.split(","), default=["worker", "odoo", "engine", "postgres"],
                        help="what to kill, comma-separated (worker, odoo, engine, postgres)")
    parser.add_argument("--fault-gap", type=float, nargs=2, default=(8.0, 20.0), metavar=("MIN", "MAX"),
                        help="seconds between two faults, drawn uniformly")
    parser.add_argument("--down-max", type=float, default=3.0, help="longest pause before a restart, seconds")
    parser.add_argument("--max-faults", type=int, default=40)
    parser.add_argument("--engine-nodes", type=int, default=2)
    parser.add_argument("--step-timeout", type=float, default=240, help="longest wait for one task, seconds")
    parser.add_argument("--settle", type=float, default=240, help="longest wait after the faults, seconds")
    parser.add_argument("--max-minutes", type=float, default=60, help="the whole run stops by then")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    unknown = set(args.faults) - {"worker", "odoo", "engine", "postgres"}
    if unknown:
        parser.error(f"unknown fault target(s): {', '.join(sorted(unknown))}")
    args.seed = args.seed if args.seed is not None else random.randrange(10**6)
    args.run_id = f"{int(time.time()) % 100000:05d}"
    # A terminated soak still stops the services it started (the with below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    socket.setdefaulttimeout(60)  # XML-RPC calls to a frozen Odoo give up
    print(f"soak: {args.cases} cases ({args.flow}), {args.concurrency} at once, faults {','.join(args.faults)} "
          f"every {args.fault_gap[0]:g}-{args.fault_gap[1]:g}s (at most {args.max_faults}), "
          f"{args.engine_nodes} engine nodes, seed {args.seed}", flush=True)

    rundir = VAR / f"soak-{int(time.time())}"
    started = time.monotonic()
    with throwaway_stack(rundir, "enforcement_soak", keep=os.environ.get("ENFORCEMENT_KEEP_SOAK") == "1",
                         # Durable: a SIGKILLed PostgreSQL with asynchronous
                         # commit would lose acknowledged commits, which is the
                         # test's artefact, not the product's.
                         durable=True, engine_nodes=args.engine_nodes,
                         extra_conf={"engine_lock_duration_ms": LOCK_MS}) as (pg, engine, odoo):
        print(f"stack up in {time.monotonic() - started:.0f}s", flush=True)
        odoo.start()
        odoo.start_worker("worker-0.log")
        soak = Soak(args, pg, engine, odoo)
        bureau = setup_penalty_bureau(Rpc(odoo.url, odoo.db, "admin", "admin", soak.deadline), "soak")
        factory = soak.rpc_factory()
        local = threading.local()

        def actors() -> Actors:
            if not hasattr(local, "actors"):
                local.actors = Actors(factory, bureau, timeout=args.step_timeout, poll=0.5)
            return local.actors

        faults = threading.Thread(target=soak.fault_loop, name="faults", daemon=True)
        monitor = threading.Thread(target=soak.monitor_loop, name="monitor", daemon=True)
        faults.start()
        monitor.start()
        t0 = time.monotonic()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda n: soak.run_case(actors(), n), range(1, args.cases + 1)))
        worked_s = time.monotonic() - t0
        soak.stop_faults.set()
        faults.join(timeout=300)
        monitor.join(timeout=60)
        soak.revive()
        soak.log("faults stopped; waiting for the stack to settle")
        settle_end = time.monotonic() + args.settle
        while time.monotonic() < settle_end and not soak.settled(results):
            time.sleep(2)
        # The worker reconciles on its own interval: give it one more round.
        time.sleep(min(35, max(0, settle_end - time.monotonic())))
        problems = soak.compare(results)

    kinds = collections.Counter(kind for found in problems.values() for kind, _ in found)
    bad = {n: found for n, found in problems.items() if found}
    print("\n== soak with faults")
    print(f"cases: {len(results)} ({args.flow}), worked in {worked_s:.0f}s, seed {args.seed}")
    print("faults injected: " + (", ".join(f"{t} {c}" for t, c in sorted(soak.faults.items())) or "none"))
    for target, values in sorted(soak.downtime.items()):
        print(f"  {target}: down {min(values):.1f}-{max(values):.1f}s (kill to started again)")
    print("exited by themselves (and started again): "
          + (", ".join(f"{t} {c}" for t, c in sorted(soak.self_exits.items())) or "none"))
    print("compared: " + ", ".join(f"{name} {count}" for name, count in soak.compared.items()))
    print(f"cases with a problem: {len(bad)}; lost steps: {kinds['lost']}, duplicated steps: {kinds['duplicated']}, "
          f"cases the staff could not finish: {kinds['unfinished']}")
    for number, found in list(bad.items())[:30]:
        for kind, text in found:
            print(f"  case {number:04d}: {kind}: {text}")
    print(json.dumps({"cases": len(results), "faults": dict(soak.faults), "self_exits": dict(soak.self_exits),
                      "lost": kinds["lost"], "duplicated": kinds["duplicated"], "unfinished": kinds["unfinished"],
                      "cases_with_problem": len(bad),
                      "seconds": round(worked_s)}))
    if kinds["lost"] or kinds["duplicated"]:
        return 1
    return 2 if kinds["unfinished"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (StackError, TimeoutError) as err:
        print(f"soak could not complete: {err}", file=sys.stderr)
        sys.exit(2)
