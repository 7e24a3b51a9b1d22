"""scripts/run: the whole product on this machine with demo data.

PostgreSQL (private cluster under var/pg unless ENFORCEMENT_DB_HOST is set),
the Operaton engine (unless ENGINE_URL is set), Odoo with the addon, demo
data and Chinese, the BPMN deployed to the engine and recorded in Odoo for
the public flowcharts, and the job worker. Ctrl-C stops what it started.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import sys
import time
import urllib.request

from deploy import DeployRefused, deploy_processes, record_in_odoo
from stack import (VAR, Odoo, Operaton, Postgres, StackError, engine_credentials, engine_urls, engine_version,
                   require_free)

RUN = VAR / "run"
STATE = RUN / "state.json"
DB = os.environ.get("ENFORCEMENT_DB", "enforcement")
DEMO_LOGINS = [
    ("admin", "admin", "Bureau administrator"),
    ("leader", "leader", "Leader (approves filing)"),
    ("officer", "officer", "Enforcement officer"),
    ("reviewer", "reviewer", "Legal reviewer"),
    ("supervisor", "supervisor", "Supervisor, all agencies (read-only)"),
]


def start() -> int:
    RUN.mkdir(parents=True, exist_ok=True)
    lock = (RUN / "run.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        state = json.loads(STATE.read_text()) if STATE.exists() else {}
        print(f"The product is already running ({state.get('url', 'starting')}); "
              "stop it with Ctrl-C in its terminal. `scripts/run --check` reports its health.")
        return 0
    pg = Postgres(datadir=VAR / "pg", port=int(os.environ.get("ENFORCEMENT_PG_PORT", "0")))
    engine = Operaton(pg=pg, product_db=DB, rundir=RUN / "engine")
    engine_port = int(os.environ.get("ENGINE_PORT", "8090"))
    odoo = None
    http_port = int(os.environ.get("ODOO_HTTP_PORT", "8069"))
    started = time.monotonic()
    stopping = False

    def stop(*_):
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\nstopping…", flush=True)
        if odoo:
            odoo.stop()
        engine.stop()
        pg.stop()
        STATE.unlink(missing_ok=True)
        (RUN / "engine.url").unlink(missing_ok=True)
        print("stopped.")

    # Ctrl-C and SIGTERM both stop what was started, even when the shell that
    # launched us in the background set SIGINT to be ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        # Say so before starting anything when a port we need is taken.
        require_free(http_port, "Odoo", "ODOO_HTTP_PORT")
        if not engine.external_url:
            require_free(engine_port, "the engine", "ENGINE_PORT")
        print("starting PostgreSQL…", flush=True)
        pg.start()
        if engine.external_url:
            print(f"using the engine at {', '.join(engine.rest_urls)}", flush=True)
            engine.wait_for_external()
        else:
            print("starting the Operaton engine…", flush=True)
            node = engine.start("engine-1", engine_port)
            print(f"engine ready in {node.ready_seconds:.1f}s at {node.rest_url}", flush=True)
        odoo = Odoo(pg=pg, db=DB, rundir=RUN, http_port=http_port,
                    engine_environment=engine.product_environment())
        odoo.write_conf()
        print(f"preparing database {DB} (first run installs the addon with demo data: a few minutes)…", flush=True)
        if odoo.initialise(demo=True, language="zh_CN"):
            # Bureau staff work in Chinese, on Beijing time.
            logins = ",".join(f"'{login}'" for login, _, _ in DEMO_LOGINS)
            pg.psql(DB, "UPDATE res_partner SET lang = 'zh_CN', tz = 'Asia/Shanghai' WHERE id IN "
                        f"(SELECT partner_id FROM res_users WHERE login IN ({logins}))")
        processes = deploy_processes(engine.rest_url, credentials=engine.credentials)
        for process in processes:
            print(f"deployed {process['bpmn_process_id']} v{process['version']}")
        # scripts/deploy finds the running engine here.
        (RUN / "engine.url").write_text(",".join(engine.rest_urls))
        print("starting Odoo and the job worker…", flush=True)
        odoo.start()
        # The public flowcharts are drawn from the XML the engine runs (demo admin login).
        record_in_odoo(odoo.url, DB, os.environ.get("ODOO_LOGIN", "admin"), os.environ.get("ODOO_PASSWORD", "admin"),
                       processes)
        odoo.start_worker()
        STATE.write_text(json.dumps({
            "url": odoo.url, "db": DB, "pg_port": pg.port, "pg_host": pg.host,
            "engine": ",".join(engine.rest_urls), "engine_pids": [n.proc.pid for n in engine.nodes],
            "engine_ready_s": [round(n.ready_seconds, 1) for n in engine.nodes],
            "odoo_pid": odoo.proc.pid, "worker_pid": odoo.worker_proc.pid,
        }))
        print(f"\nReady in {time.monotonic() - started:.0f}s: {odoo.url}/odoo  (database {DB})")
        print("Demo logins (user / password):")
        for login, password, role in DEMO_LOGINS:
            print(f"  {login:<11} / {password:<11} {role}")
        print("Ctrl-C stops everything.", flush=True)
        while True:
            engine_procs = [(f"engine node {n.name}", n.proc) for n in engine.nodes]
            for what, proc in (("Odoo", odoo.proc), ("worker", odoo.worker_proc), *engine_procs):
                if proc is not None and proc.poll() is not None:
                    raise StackError(f"{what} exited with code {proc.returncode}; logs are in {RUN}")
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    except (StackError, DeployRefused) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except Exception as err:
        # The engine client's errors (a refused deployment, a wrong password
        # for an existing engine) in one line, not a traceback.
        if type(err).__module__.endswith("engine_client"):
            print(f"error: the engine answered: {err}", file=sys.stderr)
            return 1
        raise
    finally:
        stop()


def check() -> int:
    """Health of a running product: exit 0 only when everything answers."""
    if not STATE.exists():
        print("not running (no var/run/state.json): start it with scripts/run")
        return 1
    state = json.loads(STATE.read_text())
    pg = Postgres(datadir=VAR / "pg", port=state["pg_port"])
    results: dict[str, object] = {}
    versions: dict[str, str] = {}
    try:
        results["odoo"] = urllib.request.urlopen(f"{state['url']}/web/health", timeout=5).status == 200
    except OSError as err:
        results["odoo"] = f"no answer: {err}"
    try:
        results["postgresql"] = pg.psql("postgres", "SELECT 1") == "1"
    except Exception as err:
        results["postgresql"] = f"no answer: {err}"
    urls = engine_urls(state["engine"])
    for url in urls:
        name = "engine" if len(urls) == 1 else f"engine {url}"
        try:
            versions[name] = f"Operaton {engine_version(url, engine_credentials())} at {url}"
            results[name] = True
        except Exception as err:
            results[name] = f"no answer from {url}: {err}"
    try:
        age = pg.psql(state["db"], "SELECT EXTRACT(EPOCH FROM (now() at time zone 'UTC') - max(last_seen)) "
                                   "FROM enforcement_worker_status")
        results["worker"] = bool(age) and float(age) < 30 or f"last heartbeat {age or 'never'} s ago"
    except Exception as err:
        results["worker"] = f"no answer: {err}"
    for name, ok in results.items():
        print(f"{name:<11} {('ok  ' + versions.get(name, '')).rstrip() if ok is True else ok}")
    return 0 if all(v is True for v in results.values()) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="scripts/run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report the health of a running product")
    sys.exit(check() if parser.parse_args().check else start())
