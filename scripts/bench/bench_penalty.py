"""Benchmark: ordinary penalty cases through the whole happy path on the real
stack (PostgreSQL, the Operaton engine, Odoo, the enforcement worker), with
simulated staff working their task lists through XML-RPC, compared in the
same run, on the same engine, with the same BPMN driven by no-op workers
(the engine's own limit on this machine).

Runs, one after the other on one throwaway stack:
1. no-op: this script starts every case by message and, in threads of its
   own, fetches-and-locks every topic and completes it at once with fixed
   outputs, and completes every user task as soon as GET /task shows it
   (polled every 100 ms when empty; two threads of each kind): the
   product's work replaced by nothing;
2. through Odoo, every case in flight at once (capacity);
3. through Odoo, cases arriving at a steady rate below capacity (the
   latencies of normal work).

Usage (from the repo root):
    .venv/bin/python scripts/bench/bench_penalty.py [--cases 200] [--noop-cases 200]
        [--staff 2] [--poll 0.5] [--steady-cases 100] [--steady-rate 60]
    .venv/bin/python scripts/bench/bench_penalty.py --noop-only   # against ENGINE_URL, nothing started

Figures printed, per run:
* cases per minute, and the ratio Odoo / no-op (target: at least 0.5);
* CPU per case of each component (engine JVM, Odoo, worker, PostgreSQL,
  this script), which is what limits throughput on this machine;
* SQL statements per case, by database (the engine's, Odoo's), counted by
  pg_stat_statements (``calls``, utility statements such as BEGIN and
  COMMIT included, nested ones not), which this script loads into its
  private cluster before the stack starts; and the statements that make up
  most of Odoo's count;
* service-task step (median, p95; target p95 < 250 ms): the engine's own
  history, from the activity being entered (the external task created) to
  its completion, for every service task of the run's cases;
* new task visible (median, p95; target p95 < 1 s): from the user task's
  creation in the engine (its history start time) to the Odoo task's
  create_date (the start of the transaction that opens it; the commit is a
  few milliseconds later). For the no-op run: to the completer seeing it.

Nothing here asserts on time; it starts and stops its own stack.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "addons" / "admin_enforcement"))

from stack import VAR, Odoo, Postgres, engine_client, engine_credentials, throwaway_stack  # noqa: E402

from conftest import Rpc  # noqa: E402
from engine_rest import EngineRest, parse  # noqa: E402
from penalty_flow import Actors, setup_penalty_bureau  # noqa: E402
from services.engine_client import AlreadyDone, EngineUnavailable, NoSubscriber, Topic  # noqa: E402

# The Odoo task's column holding the engine's user-task id.
ODOO_TASK_ENGINE_ID = "job_key"
LOCK_MS = 30_000
FAR = "2099-12-31T23:59:59+08:00"


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(name, values_ms):
    return (f"{name}: n={len(values_ms)} median={statistics.median(values_ms):.0f} ms "
            f"p95={percentile(values_ms, 0.95):.0f} ms max={max(values_ms):.0f} ms") if values_ms else f"{name}: n=0"


class CpuMeter:
    """CPU seconds (user + system) each component used between two reads:
    a process with its descendants, including those already reaped (the
    PostgreSQL backends of closed connections)."""

    def __init__(self, pids: dict[str, int]):
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items() if pid}
        self.start = self._read()

    @staticmethod
    def _tree_seconds(process: psutil.Process) -> float:
        total = 0.0
        for member in [process, *process.children(recursive=True)]:
            try:
                times = member.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def _read(self) -> dict[str, float]:
        seconds = {name: self._tree_seconds(process) for name, process in self.processes.items()}
        own = os.times()
        seconds["this script (staff or no-op workers)"] = own.user + own.system
        return seconds

    def used(self) -> dict[str, float]:
        end = self._read()
        return {name: end[name] - self.start[name] for name in end}


def print_cpu(used: dict[str, float], cases: int) -> None:
    total = sum(used.values())
    print(f"  CPU per case: {total / cases * 1000:.0f} ms in all; "
          + ", ".join(f"{name} {seconds / cases * 1000:.0f} ms" for name, seconds in used.items()), flush=True)


def postmaster_pid(pg: Postgres) -> int:
    return int((pg.datadir / "postmaster.pid").read_text().splitlines()[0])


# ----------------------------------------------------------------------
# SQL statements: pg_stat_statements in the private cluster
# ----------------------------------------------------------------------

def superuser_psql(pg: Postgres, sql: str, db: str = "postgres") -> str:
    done = subprocess.run(["psql", "-h", pg.host, "-p", str(pg.port), "-U", "postgres", "-d", db, "-qAtc", sql],
                          check=True, capture_output=True, text=True)
    return done.stdout.strip()


def preload_stat_statements(rundir: Path) -> None:
    """Create the throwaway cluster ahead of the stack with
    pg_stat_statements preloaded: Postgres.start() then starts this cluster
    as it finds it."""
    pg = Postgres(datadir=rundir / "pg", durable=True)
    pg.start()
    pg.stop()
    with (pg.datadir / "postgresql.conf").open("a") as conf:
        # Odoo's distinct statements are many: keep them all between resets.
        conf.write("\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.max = 20000\n")


class StatementCounter:
    """Statements executed per database since the last reset."""

    def __init__(self, pg: Postgres):
        self.pg = pg
        self.enabled = "pg_stat_statements" in superuser_psql(pg, "SHOW shared_preload_libraries")
        if self.enabled:
            superuser_psql(pg, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def reset(self) -> None:
        if self.enabled:
            superuser_psql(self.pg, "SELECT pg_stat_statements_reset()")

    def by_database(self) -> dict[str, int]:
        if not self.enabled:
            return {}
        rows = superuser_psql(self.pg, "SELECT d.datname, sum(s.calls) FROM pg_stat_statements s "
                                       "JOIN pg_database d ON d.oid = s.dbid GROUP BY 1 ORDER BY 2 DESC")
        return {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if line}

    def top(self, db: str, limit: int = 12) -> list[tuple[int, str]]:
        if not self.enabled:
            return []
        rows = superuser_psql(self.pg, f"""
            SELECT s.calls, regexp_replace(left(s.query, 110), '\\s+', ' ', 'g') FROM pg_stat_statements s
            JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{db}' ORDER BY s.calls DESC LIMIT {limit}""")
        return [(int(line.split("|", 1)[0]), line.split("|", 1)[1]) for line in rows.splitlines() if line]

    def print(self, cases: int, top_of: tuple[str, ...] = ()) -> dict[str, float]:
        counts = self.by_database()
        if not self.enabled:
            print("  SQL statements: not counted (pg_stat_statements is not loaded)")
            return {}
        total = sum(counts.values())
        print(f"  SQL statements per case: {total / cases:.0f} in all; "
              + ", ".join(f"{db} {n / cases:.0f}" for db, n in counts.items()), flush=True)
        for db in top_of:
            for calls, query in self.top(db):
                print(f"    {db}: {calls / cases:6.1f} per case  {query}")
        return {db: round(n / cases, 1) for db, n in counts.items()}


# ----------------------------------------------------------------------
# Latencies from the engine's history
# ----------------------------------------------------------------------

def history_pages(rest: EngineRest, path: str, page: int = 500, **params) -> list[dict]:
    rows, first = [], 0
    while True:
        batch = rest.get(path, firstResult=first, maxResults=page, **params)
        rows += batch
        if len(batch) < page:
            return rows
        first += page


def engine_stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}+0000"


def service_step_ms(rest: EngineRest, since: datetime, keys: set[str] | None = None) -> list[float]:
    """Durations of the service tasks entered since `since` (of instances
    whose business key is in `keys`, when given)."""
    rows = history_pages(rest, "/history/activity-instance", activityType="serviceTask", finished="true",
                         startedAfter=engine_stamp(since))
    if keys is not None:
        instance_keys = instances_by_key(rest, since)
        rows = [r for r in rows if instance_keys.get(r["processInstanceId"]) in keys]
    return [float(r["durationInMillis"]) for r in rows if r.get("durationInMillis") is not None]


def instances_by_key(rest: EngineRest, since: datetime) -> dict[str, str]:
    return {p["id"]: p.get("businessKey") for p in history_pages(
        rest, "/history/process-instance", startedAfter=engine_stamp(since))}


def user_tasks_created(rest: EngineRest, since: datetime) -> dict[str, datetime]:
    return {t["id"]: parse(t["startTime"]) for t in history_pages(
        rest, "/history/task", startedAfter=engine_stamp(since))}


# ----------------------------------------------------------------------
# The engine's own limit: no-op workers on the same BPMN
# ----------------------------------------------------------------------

NOOP_OUTPUTS = {
    "enforcement.case.assign_number": {},
    "enforcement.case.compute_decision_due": {"decision_due": FAR},
    "enforcement.case.assign_officers": {},
    "enforcement.review.evaluate_catalogue": {"review_required": False, "collective_required": False},
    "enforcement.notice.compute_deadlines": {"statement_due": FAR},
    "enforcement.hearing.check_request": {"hearing_granted": False},
    "enforcement.decision.issue": {"service_due": FAR},
    "enforcement.publication.create": {},
    "enforcement.execution.compute_payment_due": {"payment_due": FAR},
    "enforcement.execution.surcharge": {"court_enforcement_due": FAR},
    "enforcement.archive.seal": {},
}
NOOP_USER_TASKS = {
    "enforcement:filing_approval": {"filing_approved": True},
    "enforcement:investigation": {},
    "enforcement:investigation_report": {"investigation_conclusion": "penalty"},
    "enforcement:prior_notice": {},
    "enforcement:decision": {"decision_returned": False, "payment_required": True},
    "enforcement:service": {},
    "enforcement:closing": {},
}
# The party's messages, sent as soon as the step that makes the process wait for them is done.
NOOP_MESSAGES_AFTER = {
    "enforcement.notice.compute_deadlines": "enforcement.statements_closed",
    "enforcement.execution.compute_payment_due": "enforcement.payment_confirmed",
}
NOOP_SERVICE_THREADS = 2
NOOP_USER_TASK_THREADS = 2


def run_noop(new_client, cases: int, prefix: str = "NOOP") -> dict:
    """Start `cases` procedures by message and drive them to the end with
    no-op workers. `new_client()` gives an engine client (one per thread)."""
    finished: dict[str, float] = {}
    seen_ms: list[float] = []
    errors: list[str] = []
    done = threading.Event()
    lock = threading.Lock()
    topics = [Topic(name, LOCK_MS, variables=("case_id",)) for name in NOOP_OUTPUTS]

    def correlate(client, name, key):
        for _ in range(100):
            try:
                return client.correlate_message(name, business_key=key)
            except (NoSubscriber, EngineUnavailable):
                time.sleep(0.05)
        raise RuntimeError(f"{name} for {key}: no subscriber after 5 s")

    def service_worker(seat):
        client = new_client()
        worker_id = f"bench-noop-{seat}"
        while not done.is_set():
            for task in client.fetch_and_lock(worker_id, topics, max_tasks=32, async_response_timeout_ms=1000):
                try:
                    client.complete_external_task(task.id, worker_id, NOOP_OUTPUTS[task.topic])
                except AlreadyDone:
                    continue
                if task.topic in NOOP_MESSAGES_AFTER:
                    correlate(client, NOOP_MESSAGES_AFTER[task.topic], task.business_key)
                if task.topic == "enforcement.archive.seal":
                    with lock:
                        finished[task.business_key] = time.monotonic()

    def user_task_worker(seat):
        client = new_client()
        while not done.is_set():
            tasks = [t for t in client.list_tasks(max_results=500) if hash(t.id) % NOOP_USER_TASK_THREADS == seat]
            for task in tasks:
                seen_ms.append((datetime.now(timezone.utc) - task.created).total_seconds() * 1000)
                try:
                    client.complete_task(task.id, NOOP_USER_TASKS[task.form_key])
                except AlreadyDone:
                    pass
            if not tasks:
                time.sleep(0.1)

    def guarded(body, *args):
        try:
            body(*args)
        except Exception as err:  # reported, and the run stops
            errors.append(f"{body.__name__}: {err!r}")
            done.set()

    threads = [threading.Thread(target=guarded, args=(service_worker, n), daemon=True)
               for n in range(NOOP_SERVICE_THREADS)]
    threads += [threading.Thread(target=guarded, args=(user_task_worker, n), daemon=True)
                for n in range(NOOP_USER_TASK_THREADS)]
    for thread in threads:
        thread.start()
    starter = new_client()
    started = time.monotonic()
    keys = [f"{prefix}-{os.getpid()}-{index:04d}" for index in range(cases)]
    for index, key in enumerate(keys):
        starter.correlate_message("enforcement.case_created", business_key=key,
                                  variables={"case_id": index + 1, "filing_due": FAR})
    while len(finished) < cases and not done.is_set() and time.monotonic() - started < 1200:
        time.sleep(0.2)
    done.set()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise SystemExit("no-op workers failed: " + "; ".join(errors))
    elapsed = (max(finished.values()) if finished else time.monotonic()) - started
    return {"cases": len(finished), "seconds": elapsed, "per_minute": len(finished) / elapsed * 60,
            "seen_ms": seen_ms, "keys": set(keys)}


# ----------------------------------------------------------------------
# Through Odoo
# ----------------------------------------------------------------------

# Who works which task list; each role has --staff people, who split the
# list between them (task id modulo their number) as colleagues would.
ROLE_STEPS = {
    "leader": ("filing_approval", "decision", "closing"),
    "officer1": ("investigation", "investigation_report", "prior_notice", "service"),
}
REGISTRATION_DESKS = 4


def odoo_login(odoo: Odoo):
    def rpc(login):
        return Rpc(odoo.url, odoo.db, login, "admin" if login == "admin" else login)
    return rpc


def run_odoo(odoo: Odoo, pg: Postgres, bureau: dict, cases: int, staff: int, poll: float,
             per_minute: float | None = None, fine: int = 20000) -> dict:
    """The bureau's staff work through their task lists while cases are
    registered: all at once (``per_minute`` None, every case in flight as in
    the no-op run: the system's capacity), or at a steady rate below it (the
    latencies a bureau sees in normal work)."""
    rpc = odoo_login(odoo)
    forms = Actors(rpc, bureau)  # what each step's form is filled with
    done = threading.Event()
    errors: list[str] = []
    rpc_calls = [0]
    counter = threading.Lock()

    def counted(call):
        def wrapped(*args, **kwargs):
            with counter:
                rpc_calls[0] += 1
            return call(*args, **kwargs)
        return wrapped

    def work_task_list(me, role: str, seat: int):
        while not done.is_set():
            tasks = me("enforcement.task", "search_read",
                       [("step_code", "in", ROLE_STEPS[role]), ("state", "=", "open")],
                       fields=["id", "case_id", "step_code"], order="id", limit=100)
            mine = [task for task in tasks if task["id"] % staff == seat]
            for task in mine:
                me("enforcement.task", "write", [task["id"]], forms.step_values(task["step_code"], fine))
                me("enforcement.task", "action_complete", [task["id"]])
                if task["step_code"] == "prior_notice":  # the party waives statements and a hearing
                    me("enforcement.case", "action_close_statements", [task["case_id"][0]])
            if not mine:
                done.wait(poll)

    def confirm_payments(bank_desk):
        while not done.is_set():
            due = bank_desk("enforcement.case", "search",
                            [("state", "=", "execution"), ("payment_due", "!=", False), ("paid_at", "=", False)])
            for case_id in due:
                bank_desk("enforcement.case", "action_confirm_payment", [case_id], fine, f"ICBC-{case_id:08d}")
            if not due:
                done.wait(poll)

    def guarded(body, *args):
        try:
            body(*args)
        except Exception as err:  # reported, and the run stops
            errors.append(f"{body.__name__}{args[1:]}: {err}")
            done.set()

    def register(desk: Actors, indices: range) -> list[int]:
        created = []
        for index in indices:
            if per_minute:
                time.sleep(max(0.0, started + index * 60 / per_minute - time.monotonic()))
            created.append(desk.create_case(title=f"某超市销售过期食品案（{index:03d}）"))
        return created

    # Everyone logs in before the clock starts (a login is a deliberately
    # slow password hash); an XML-RPC proxy serves one thread.
    desks = [Actors(rpc, bureau) for _ in range(REGISTRATION_DESKS)]
    for desk in desks:
        desk.rpc("officer1")
    threads = [threading.Thread(target=guarded, args=(work_task_list, counted(rpc(bureau["logins"][role])),
                                                      role, seat), daemon=True)
               for role in ROLE_STEPS for seat in range(staff)]
    threads.append(threading.Thread(target=guarded, args=(confirm_payments, counted(rpc(bureau["logins"]["officer1"]))),
                                    daemon=True))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    with ThreadPoolExecutor(max_workers=REGISTRATION_DESKS) as pool:
        case_ids = [case_id for batch in pool.map(register, desks,
                                                  [range(d, cases, REGISTRATION_DESKS) for d in range(REGISTRATION_DESKS)])
                    for case_id in batch]
    ids = ",".join(map(str, case_ids))
    while not done.is_set() and time.monotonic() - started < 1800:
        archived = int(pg.psql(odoo.db, f"SELECT count(*) FROM enforcement_case WHERE id IN ({ids}) "
                                        "AND state = 'archived'"))
        if archived == cases:
            break
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    done.set()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise SystemExit("simulated staff failed: " + "; ".join(errors))
    archived = int(pg.psql(odoo.db, f"SELECT count(*) FROM enforcement_case WHERE id IN ({ids}) "
                                    "AND state = 'archived'"))
    keys = set(pg.psql(odoo.db, f"SELECT name FROM enforcement_case WHERE id IN ({ids})").splitlines())
    opened = pg.psql(odoo.db, f"SELECT {ODOO_TASK_ENGINE_ID}, extract(epoch FROM create_date) FROM enforcement_task "
                              f"WHERE case_id IN ({ids})")
    odoo_created = {line.split("|")[0]: float(line.split("|")[1]) for line in opened.splitlines() if line}
    return {"cases": archived, "seconds": elapsed, "per_minute": archived / elapsed * 60, "rpc_calls": rpc_calls[0],
            "keys": keys, "odoo_task_created": odoo_created}


def visible_ms(engine_created: dict[str, datetime], odoo_created: dict[str, float]) -> list[float]:
    """Engine task creation -> Odoo task creation, per task both know."""
    return [(odoo_created[task_id] - created.timestamp()) * 1000
            for task_id, created in engine_created.items() if task_id in odoo_created]


def measured_odoo_run(odoo, pg, engine, rest, statements, bureau, cases, staff, poll, per_minute=None) -> dict:
    pids = {f"engine JVM ({node.name})": node.proc.pid for node in engine.nodes}
    pids.update({"Odoo": odoo.proc.pid, "worker": odoo.worker_proc.pid, "PostgreSQL": postmaster_pid(pg)})
    meter = CpuMeter(pids)
    statements.reset()
    since = datetime.now(timezone.utc)
    real = run_odoo(odoo, pg, bureau, cases, staff, poll, per_minute)
    print(f"  {real['cases']} of {cases} cases archived in {real['seconds']:.1f} s = {real['per_minute']:.1f} "
          f"cases/min; {real['rpc_calls']} RPC calls by staff", flush=True)
    print_cpu(meter.used(), max(real["cases"], 1))
    real["statements"] = statements.print(max(real["cases"], 1), top_of=(odoo.db, engine.database))
    real["service_ms"] = service_step_ms(rest, since, real["keys"])
    real["visible_ms"] = visible_ms(user_tasks_created(rest, since), real["odoo_task_created"])
    print("  " + summary("service-task step (task created -> completed, engine history)", real["service_ms"]))
    print("  " + summary("new task visible (engine task created -> Odoo task created)", real["visible_ms"]),
          flush=True)
    return real


def measured_noop_run(new_client, engine, pg, rest, statements, cases) -> dict:
    pids = {f"engine JVM ({node.name})": node.proc.pid for node in engine.nodes} if engine else {}
    if pg is not None:
        pids["PostgreSQL"] = postmaster_pid(pg)
    meter = CpuMeter(pids)
    if statements:
        statements.reset()
    since = datetime.now(timezone.utc)
    noop = run_noop(new_client, cases)
    print(f"  {noop['cases']} cases in {noop['seconds']:.1f} s = {noop['per_minute']:.1f} cases/min", flush=True)
    print_cpu(meter.used(), max(noop["cases"], 1))
    if statements:
        noop["statements"] = statements.print(max(noop["cases"], 1))
    noop["service_ms"] = service_step_ms(rest, since, noop["keys"])
    print("  " + summary("service-task step (task created -> completed, engine history)", noop["service_ms"]))
    print("  " + summary("new task visible (engine task created -> seen by the no-op completer)",
                         noop["seen_ms"]), flush=True)
    return noop


def noop_only(cases: int) -> None:
    """The no-op run alone, against the engine at ENGINE_URL (deployed
    here), with no stack started: to try the engine on its own."""
    credentials = engine_credentials()
    url = os.environ["ENGINE_URL"]

    def new_client():
        return engine_client(url, credentials, timeout_s=30)

    client = new_client()
    client.deploy(sorted((ROOT / "bpmn").glob("*.bpmn")))
    measured_noop_run(new_client, None, None, EngineRest(client), None, cases)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--staff", type=int, default=2, help="people per role working the task lists")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks at an empty task list")
    parser.add_argument("--noop-cases", type=int, default=200)
    parser.add_argument("--steady-cases", type=int, default=100,
                        help="cases of the steady-rate run that measures latencies (0: skip it)")
    parser.add_argument("--steady-rate", type=float, default=60, help="cases registered per minute in that run")
    parser.add_argument("--noop-only", action="store_true",
                        help="only the no-op run, against the engine at ENGINE_URL (nothing started)")
    args = parser.parse_args()
    if args.noop_only:
        return noop_only(args.noop_cases)
    # A terminated bench still stops the services it started (the with below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    rundir = VAR / f"bench-penalty-{int(time.time())}"
    preload_stat_statements(rundir)
    with throwaway_stack(rundir, "enforcement_bench",
                         keep=os.environ.get("ENFORCEMENT_KEEP_BENCH") == "1") as (pg, engine, odoo):
        statements = StatementCounter(pg)
        rest_client = engine_client(engine.rest_url, engine.credentials, timeout_s=60)
        rest = EngineRest(rest_client)

        def new_client():
            return engine_client(engine.rest_url, engine.credentials, timeout_s=30)

        print(f"no-op workers: {args.noop_cases} cases ...", flush=True)
        noop = measured_noop_run(new_client, engine, pg, rest, statements, args.noop_cases)

        odoo.start()
        odoo.start_worker()
        bureau = setup_penalty_bureau(odoo_login(odoo)("admin"), "bench")
        print(f"through Odoo, all at once: {args.cases} cases, {args.staff} people per role ...", flush=True)
        real = measured_odoo_run(odoo, pg, engine, rest, statements, bureau, args.cases, args.staff, args.poll)
        ratio = real["per_minute"] / noop["per_minute"]
        print(f"ratio Odoo / no-op throughput: {ratio:.2f} (target >= 0.5)")
        figures = {"odoo_per_min": round(real["per_minute"], 1), "noop_per_min": round(noop["per_minute"], 1),
                   "ratio": round(ratio, 2),
                   "noop_service_p95_ms": round(percentile(noop["service_ms"], 0.95)),
                   "saturated_service_p95_ms": round(percentile(real["service_ms"], 0.95)),
                   "saturated_visible_p95_ms": round(percentile(real["visible_ms"], 0.95)),
                   "noop_statements_per_case": noop.get("statements"),
                   "odoo_statements_per_case": real.get("statements")}
        if args.steady_cases:
            print(f"through Odoo, steady: {args.steady_cases} cases arriving at {args.steady_rate:g} a minute ...",
                  flush=True)
            steady = measured_odoo_run(odoo, pg, engine, rest, statements, bureau, args.steady_cases, args.staff,
                                       args.poll, per_minute=args.steady_rate)
            print(f"at {args.steady_rate:g} cases/min: p95 service-task step "
                  f"{percentile(steady['service_ms'], 0.95):.0f} ms (target < 250 ms), p95 new task visible "
                  f"{percentile(steady['visible_ms'], 0.95):.0f} ms (target < 1000 ms)")
            figures.update({"steady_per_min": args.steady_rate,
                            "service_p50_ms": round(statistics.median(steady["service_ms"])),
                            "service_p95_ms": round(percentile(steady["service_ms"], 0.95)),
                            "visible_p50_ms": round(statistics.median(steady["visible_ms"])),
                            "visible_p95_ms": round(percentile(steady["visible_ms"], 0.95))})
        print(json.dumps(figures))
        rest_client.close()


if __name__ == "__main__":
    main()
