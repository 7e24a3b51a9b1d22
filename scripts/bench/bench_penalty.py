"""Benchmark: ordinary penalty cases through the whole happy path on the real
stack (PostgreSQL, Zeebe, Odoo, the enforcement worker), with simulated
staff working their task lists through XML-RPC, compared with the same BPMN
driven by no-op job workers (the engine's own limit on this machine).

Three runs: no-op workers with every case in flight at once; Odoo with
every case in flight at once (capacity); Odoo with cases arriving at a
steady rate below capacity (the latencies of normal work).

Usage (from the repo root):
    .venv/bin/python scripts/bench/bench_penalty.py [--cases 200] [--noop-cases 200]
        [--staff 2] [--poll 0.5] [--steady-cases 100] [--steady-rate 60]

Figures printed, per run:
* cases per minute, and the ratio Odoo / no-op (target: at least 0.5);
* CPU per case of each component (Zeebe, Odoo, worker, PostgreSQL, this
  script), which is what limits throughput on this machine;
* service-task step latency, activation to completion (median, p95; target
  p95 < 250 ms): activation is the job's deadline minus its timeout, as
  Zeebe set it; completion is the commit of the handler's transaction
  (Odoo) or the handler's return (no-op);
* user-task round trip (median, p95): an officer submits the investigation
  in Odoo until the investigation report task is open in Odoo (outbox,
  Zeebe completing the job, the next job activated and opened as a task),
  and its two legs.

Nothing here asserts on time; it starts and stops its own stack.
"""
# No `from __future__ import annotations`: pyzeebe finds the `job: Job`
# parameter of the no-op handlers by its annotation object.
import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from stack import VAR, Odoo, Postgres, throwaway_stack  # noqa: E402

from conftest import Rpc  # noqa: E402
from penalty_flow import Actors, setup_penalty_bureau  # noqa: E402

JOB_TIMEOUT_MS = 30_000


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
        seconds["simulated staff / no-op workers (this script)"] = own.user + own.system
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

    rows = pg.psql(odoo.db, f"""
        SELECT job_type, extract(epoch FROM done_at - (job_deadline - interval '{JOB_TIMEOUT_MS} milliseconds')) * 1000
        FROM enforcement_job_log WHERE case_id IN ({ids}) AND state = 'done'
          AND done_at IS NOT NULL AND job_deadline IS NOT NULL""")
    service_ms = [float(line.split("|")[1]) for line in rows.splitlines() if line]
    # The investigation's submission until the report task is open, and its
    # two legs: the outbox row waiting for the dispatcher, then Zeebe
    # completing the job, activating the next one and the worker opening it.
    # Submission is the start of the submitting transaction (the outbox row's
    # create_date): the task's completed_at is cut to the second by Odoo.
    round_trips = pg.psql(odoo.db, f"""
        SELECT extract(epoch FROM report.create_date - box.create_date) * 1000,
               extract(epoch FROM box.sent_at - box.create_date) * 1000,
               extract(epoch FROM report.create_date - box.sent_at) * 1000
        FROM enforcement_task inv
        JOIN enforcement_task report ON report.case_id = inv.case_id AND report.step_code = 'investigation_report'
        JOIN enforcement_outbox box ON box.identity_key = 'complete:' || inv.job_key
        WHERE inv.step_code = 'investigation' AND inv.case_id IN ({ids})""")
    legs = [[float(value) for value in line.split("|")] for line in round_trips.splitlines() if line]
    failed = pg.psql(odoo.db, f"SELECT count(*) FROM enforcement_job_log WHERE case_id IN ({ids}) AND state = 'failed'")
    return {"cases": cases, "seconds": elapsed, "per_minute": cases / elapsed * 60, "rpc_calls": rpc_calls[0],
            "service_ms": service_ms, "round_trip_ms": [leg[0] for leg in legs],
            "outbox_wait_ms": [leg[1] for leg in legs], "engine_and_open_ms": [leg[2] for leg in legs],
            "failed_jobs": int(failed)}


# ----------------------------------------------------------------------
# The engine's own limit: no-op workers on the same BPMN
# ----------------------------------------------------------------------

NOOP_OUTPUTS = {
    "enforcement.case.assign_number": {"case_number": "bench"},
    "enforcement.case.compute_decision_due": {"decision_due": "2099-12-31T23:59:59+08:00"},
    "enforcement.case.assign_officers": {"officer_ids": [1, 2]},
    "enforcement.review.evaluate_catalogue": {"review_required": False, "review_reasons": [],
                                              "collective_required": False},
    "enforcement.notice.compute_deadlines": {"statement_due": "2099-12-31T23:59:59+08:00",
                                             "hearing_request_due": "2099-12-31T23:59:59+08:00",
                                             "hearing_eligible": False},
    "enforcement.decision.issue": {"decision_number": "bench", "service_due": "2099-12-31T23:59:59+08:00"},
    "enforcement.publication.create": {"publication_id": None},
    "enforcement.execution.compute_payment_due": {"payment_due": "2099-12-31T23:59:59+08:00"},
    "enforcement.archive.seal": {"archive_number": "bench"},
}
NOOP_USER_TASKS = {
    "enforcement:filing_approval": {"filing_approved": True, "approval_comment": ""},
    "enforcement:investigation": {},
    "enforcement:investigation_report": {"investigation_conclusion": "penalty"},
    "enforcement:prior_notice": {"notice_served_at": "2026-11-22T10:00:00+08:00"},
    "enforcement:decision": {"decision_kind": "penalty", "fine_amount": 20000},
    "enforcement:service": {"served_at": "2026-11-22T10:00:00+08:00", "service_method": "direct"},
    "enforcement:closing": {},
}
# The party's messages, sent as soon as the step that makes the process wait for them is done.
NOOP_MESSAGES_AFTER = {
    "enforcement.notice.compute_deadlines": ("enforcement.statements_closed", {"statements_closed_at": "x"}),
    "enforcement.execution.compute_payment_due": ("enforcement.payment_confirmed",
                                                  {"paid_at": "x", "paid_amount": 20000, "payment_reference": "b"}),
}


def run_noop(address: str, cases: int, settings: dict) -> dict:
    from pyzeebe import Job, ZeebeClient, ZeebeTaskRouter, ZeebeWorker, create_insecure_channel

    service_ms: list[float] = []
    finished: dict[str, float] = {}

    async def main():
        channel = create_insecure_channel(grpc_address=address)
        client = ZeebeClient(channel)
        worker = ZeebeWorker(channel, name="bench-noop", poll_retry_delay=1, stream_enabled=True)
        router = ZeebeTaskRouter()

        def service(job_type, outputs):
            async def handler(job: Job, case_ref: str) -> dict:
                activated = job.deadline - JOB_TIMEOUT_MS
                if job_type in NOOP_MESSAGES_AFTER:
                    name, variables = NOOP_MESSAGES_AFTER[job_type]
                    ref = case_ref
                    await client.publish_message(name, correlation_key=ref, variables=variables,
                                                 message_id=f"{ref}:{name}", time_to_live_in_milliseconds=60_000)
                if job_type == "enforcement.archive.seal":
                    finished[case_ref] = time.monotonic()
                service_ms.append(time.time() * 1000 - activated)
                return dict(outputs)
            handler.__name__ = job_type.replace(".", "_")
            return handler

        for job_type, outputs in NOOP_OUTPUTS.items():
            router.task(job_type, variables_to_fetch=["case_ref"], timeout_ms=JOB_TIMEOUT_MS, **settings)(
                service(job_type, outputs))

        async def user_task(job: Job, case_ref: str) -> dict:
            return dict(NOOP_USER_TASKS[job.custom_headers["io.camunda.zeebe:formKey"]])

        router.task("io.camunda.zeebe:userTask", variables_to_fetch=["case_ref"], timeout_ms=JOB_TIMEOUT_MS,
                    **settings)(user_task)
        worker.include_router(router)
        work = asyncio.create_task(worker.work())
        await asyncio.sleep(1)
        started = time.monotonic()
        for index in range(cases):
            ref = f"NOOP-{os.getpid()}-{index:04d}"
            await client.publish_message("enforcement.case_created", correlation_key=ref, message_id=f"case_created:{ref}",
                                         variables={"case_id": index + 1, "case_ref": ref,
                                                    "filing_due": "2099-12-31T23:59:59+08:00"})
        while len(finished) < cases and time.monotonic() - started < 1200:
            await asyncio.sleep(0.2)
        await worker.stop()
        work.cancel()
        await asyncio.gather(work, return_exceptions=True)
        await channel.close()
        return started

    started = asyncio.run(main())
    elapsed = (max(finished.values()) if finished else time.monotonic()) - started
    return {"cases": len(finished), "seconds": elapsed, "per_minute": len(finished) / elapsed * 60,
            "service_ms": service_ms}


def measured_odoo_run(odoo, pg, zeebe, bureau, cases, staff, poll, per_minute=None) -> dict:
    meter = CpuMeter({"Zeebe": zeebe.proc.pid, "Odoo": odoo.proc.pid, "worker": odoo.worker_proc.pid,
                      "PostgreSQL": postmaster_pid(pg)})
    real = run_odoo(odoo, pg, bureau, cases, staff, poll, per_minute)
    print(f"  {real['cases']} cases in {real['seconds']:.1f} s = {real['per_minute']:.1f} cases/min; "
          f"{real['rpc_calls']} RPC calls by staff; failed jobs: {real['failed_jobs']}", flush=True)
    print_cpu(meter.used(), real["cases"])
    print("  " + summary("service-task step (activation -> committed)", real["service_ms"]))
    print("  " + summary("user-task round trip (submit -> next task open)", real["round_trip_ms"]))
    print("    " + summary("of which outbox row waiting for the dispatcher", real["outbox_wait_ms"]))
    print("    " + summary("of which Zeebe and the worker opening the next task", real["engine_and_open_ms"]),
          flush=True)
    return real


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--staff", type=int, default=2, help="people per role working the task lists")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks at an empty task list")
    parser.add_argument("--noop-cases", type=int, default=200)
    parser.add_argument("--steady-cases", type=int, default=100,
                        help="cases of the steady-rate run that measures latencies (0: skip it)")
    parser.add_argument("--steady-rate", type=float, default=60, help="cases registered per minute in that run")
    args = parser.parse_args()
    # A terminated bench still stops the services it started (the with below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    rundir = VAR / f"bench-penalty-{int(time.time())}"
    with throwaway_stack(rundir, "enforcement_bench", keep=os.environ.get("ENFORCEMENT_KEEP_BENCH") == "1",
                         extra_conf={"zeebe_job_timeout_ms": JOB_TIMEOUT_MS}) as (pg, zeebe, odoo):
        settings = {"max_jobs_to_activate": 32, "max_running_jobs": 64}
        print(f"no-op workers: {args.noop_cases} cases ...", flush=True)
        meter = CpuMeter({"Zeebe": zeebe.proc.pid})
        noop = run_noop(zeebe.address, args.noop_cases, settings)
        print(f"  {noop['cases']} cases in {noop['seconds']:.1f} s = {noop['per_minute']:.1f} cases/min", flush=True)
        print_cpu(meter.used(), noop["cases"])
        print("  " + summary("service-task step (activation -> handler done)", noop["service_ms"]), flush=True)

        odoo.start()
        odoo.start_worker()
        bureau = setup_penalty_bureau(odoo_login(odoo)("admin"), "bench")
        print(f"through Odoo, all at once: {args.cases} cases, {args.staff} people per role ...", flush=True)
        real = measured_odoo_run(odoo, pg, zeebe, bureau, args.cases, args.staff, args.poll)
        print(f"ratio Odoo / no-op throughput: {real['per_minute'] / noop['per_minute']:.2f} (target >= 0.5)")
        figures = {"odoo_per_min": round(real["per_minute"], 1), "noop_per_min": round(noop["per_minute"], 1),
                   "saturated_service_p95_ms": round(percentile(real["service_ms"], 0.95))}
        if args.steady_cases:
            print(f"through Odoo, steady: {args.steady_cases} cases arriving at {args.steady_rate:g} a minute ...",
                  flush=True)
            steady = measured_odoo_run(odoo, pg, zeebe, bureau, args.steady_cases, args.staff, args.poll,
                                       per_minute=args.steady_rate)
            print(f"p95 service-task step at {args.steady_rate:g} cases/min: "
                  f"{percentile(steady['service_ms'], 0.95):.0f} ms (target < 250 ms)")
            figures.update({"steady_per_min": args.steady_rate,
                            "service_p50_ms": round(statistics.median(steady["service_ms"])),
                            "service_p95_ms": round(percentile(steady["service_ms"], 0.95)),
                            "user_round_trip_p50_ms": round(statistics.median(steady["round_trip_ms"])),
                            "user_round_trip_p95_ms": round(percentile(steady["round_trip_ms"], 0.95))})
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
