"""Starts and stops the product's real services: PostgreSQL, the Operaton
engine, Odoo and the job worker. Used by scripts/run, scripts/test, the
benchmarks and the soak test, so every entry point brings the stack up the
same way.

Only the standard library and the addon's engine client (which imports no
Odoo) are used: this module runs under the project's venv but outside Odoo.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
VENV_PY = ROOT / ".venv" / "bin" / "python"
ADDONS = ROOT / "addons"
ENGINE_JAR = VAR / "engine" / "operaton-engine.jar"
ENGINE_CREDENTIALS = VAR / "engine" / "credentials"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_OS_USER = os.environ.get("PG_OS_USER", "postgres")
DB_ROLE = "odoo"


class StackError(RuntimeError):
    """A service could not be started; the message says which and why."""


def odoo_src() -> Path:
    marker = ROOT / ".venv" / "odoo-src"
    if not marker.exists():
        raise StackError("Odoo is not installed in .venv: run scripts/setup first")
    return Path(marker.read_text().strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def require_free(port: int, what: str, variable: str) -> None:
    if port_in_use(port):
        raise StackError(
            f"port {port} for {what} is already in use on 127.0.0.1; "
            f"stop what uses it or choose another with {variable}=<port>"
        )


def wait_until(check, timeout: float, what: str, log: Path | None = None, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise StackError(f"{what} exited with code {proc.returncode} while starting:\n{tail}")
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.5)
    hint = f" (log: {log})" if log else ""
    raise StackError(f"{what} did not become ready within {timeout:.0f}s{hint}")


def _run_as_pg_user(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", PG_OS_USER, "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@dataclass
class Postgres:
    """A private PostgreSQL 15 cluster under `datadir`, or an external server
    when ENFORCEMENT_DB_HOST is set (then nothing is started). Only test
    clusters, thrown away after the run, trade durability for speed
    (`durable=False`: no fsync, asynchronous commit)."""

    datadir: Path
    port: int = 0
    host: str = "127.0.0.1"
    durable: bool = True
    external: bool = False
    log: Path = field(init=False)

    def __post_init__(self):
        self.log = self.datadir.parent / f"{self.datadir.name}.log"
        if os.environ.get("ENFORCEMENT_DB_HOST"):
            self.external = True
            self.host = os.environ["ENFORCEMENT_DB_HOST"]
            self.port = int(os.environ.get("ENFORCEMENT_DB_PORT", "5432"))

    @property
    def user(self) -> str:
        return os.environ.get("ENFORCEMENT_DB_USER", DB_ROLE) if self.external else DB_ROLE

    @property
    def password(self) -> str:
        return os.environ.get("ENFORCEMENT_DB_PASSWORD", "") if self.external else ""

    def _ensure_reachable_dir(self) -> None:
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return
        shutil.chown(self.datadir.parent, PG_OS_USER)
        probe = subprocess.run(["runuser", "-u", PG_OS_USER, "--", "test", "-w", str(self.datadir.parent)])
        if probe.returncode != 0:
            raise StackError(
                f"the PostgreSQL OS user '{PG_OS_USER}' cannot reach {self.datadir.parent}: "
                "a parent directory is not searchable by other users. Clone the project under a "
                "world-searchable path (e.g. /srv or /work), or set ENFORCEMENT_DB_HOST to use "
                "an existing server."
            )

    def start(self) -> None:
        if self.external:
            return
        self._ensure_reachable_dir()
        if not (self.datadir / "PG_VERSION").exists():
            _run_as_pg_user([str(PG_BIN / "initdb"), "-D", str(self.datadir), "-U", "postgres",
                             "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"])
        pidfile = self.datadir / "postmaster.pid"
        if pidfile.exists():
            running_port = int(pidfile.read_text().splitlines()[3])
            if port_in_use(running_port):
                self.port = running_port
                return
        self.port = self.port or free_port()
        require_free(self.port, "PostgreSQL", "ENFORCEMENT_PG_PORT")
        if os.geteuid() == 0:
            self.log.touch()
            shutil.chown(self.log, PG_OS_USER)
        _run_as_pg_user([
            str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.log), "-w", "-t", "60",
            "-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 "
                  # a killed worker's transaction is released within seconds
                  "-c client_connection_check_interval=2000"
                  + ("" if self.durable else " -c fsync=off -c synchronous_commit=off"),
            "start",
        ])
        self._ensure_role()

    def _ensure_role(self) -> None:
        sql = (f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='{DB_ROLE}') "
               f"THEN CREATE ROLE {DB_ROLE} LOGIN CREATEDB; END IF; END$$;")
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", "postgres", "-qAtc", sql], check=True, capture_output=True)

    def stop(self) -> None:
        if self.external or not (self.datadir / "postmaster.pid").exists():
            return
        with contextlib.suppress(subprocess.CalledProcessError):
            _run_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"])

    def postmaster_pid(self) -> int | None:
        pidfile = self.datadir / "postmaster.pid"
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            return int(pidfile.read_text().splitlines()[0])
        return None

    def kill(self, timeout: float = 30) -> None:
        """SIGKILL to the postmaster and every backend, as a crash of the
        database server; start() then runs crash recovery (soak tests)."""
        if self.external:
            raise StackError("an external PostgreSQL (ENFORCEMENT_DB_HOST) is not killed from here")
        pm = self.postmaster_pid()
        if pm is None:
            return
        family = [pm, *_children(pm)]
        for pid in family:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while any(Path(f"/proc/{pid}").exists() for pid in family) and time.monotonic() < deadline:
            time.sleep(0.1)

    def psql(self, db: str, sql: str) -> str:
        env = dict(os.environ, PGPASSWORD=self.password)
        out = subprocess.run(["psql", "-h", self.host, "-p", str(self.port), "-U", self.user,
                              "-d", db, "-qAtc", sql], check=True, capture_output=True, text=True, env=env)
        return out.stdout.strip()

    def database_exists(self, db: str) -> bool:
        return self.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname='{db}'") == "1"

    def drop_database(self, db: str) -> None:
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


@dataclass(frozen=True)
class EngineCredentials:
    user: str
    password: str


def engine_credentials() -> EngineCredentials:
    """The product's engine login: ENGINE_USER / ENGINE_PASSWORD when set
    (an existing engine), else what scripts/setup generated."""
    if os.environ.get("ENGINE_USER") and os.environ.get("ENGINE_PASSWORD"):
        return EngineCredentials(os.environ["ENGINE_USER"], os.environ["ENGINE_PASSWORD"])
    if not ENGINE_CREDENTIALS.exists():
        raise StackError(f"no engine credentials in {ENGINE_CREDENTIALS}: run scripts/setup "
                         "(or set ENGINE_USER and ENGINE_PASSWORD for an existing engine)")
    values = dict(line.split("=", 1) for line in ENGINE_CREDENTIALS.read_text().splitlines() if "=" in line)
    return EngineCredentials(values["ENGINE_USER"], values["ENGINE_PASSWORD"])


def engine_urls(value: str) -> list[str]:
    """ENGINE_URL's format: one REST base URL (…/engine-rest) of an engine or
    of a load balancer, or several separated by commas, one per node. The
    worker long-polls each entry (a long poll wakes only for work created on
    its own node); every other call goes to the first entry that answers."""
    return [url.strip().rstrip("/") for url in value.split(",") if url.strip()]


def engine_client(rest_url: str, credentials: EngineCredentials, timeout_s: float = 5):
    """The product's engine client (services/engine_client.py, which imports
    no Odoo): scripts reach the engine through it like the addon does. One
    client per URL."""
    if str(ADDONS / "admin_enforcement") not in sys.path:
        sys.path.insert(0, str(ADDONS / "admin_enforcement"))
    from services.engine_client import EngineClient

    return EngineClient(rest_url, credentials.user, credentials.password, timeout_s=timeout_s)


def engine_version(rest_url: str, credentials: EngineCredentials) -> str:
    """The engine's version, through an authenticated call (a wrong password
    raises EngineRefused)."""
    client = engine_client(rest_url, credentials)
    try:
        return client.version()
    finally:
        client.close()


def engine_answers(rest_url: str, credentials: EngineCredentials) -> bool:
    """The REST API is up and accepts the product's credentials."""
    return bool(engine_version(rest_url, credentials))


def rss_bytes(pid: int) -> int:
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def kill_process(proc: subprocess.Popen | None) -> None:
    """SIGKILL to the process group, as a crash (soak and failure tests)."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@dataclass
class EngineNode:
    """One running Operaton JVM of an `Operaton` cluster."""

    name: str
    port: int
    proc: subprocess.Popen
    log: Path
    ready_seconds: float = 0.0

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/engine-rest"

    def stop(self) -> None:
        stop_process(self.proc, f"engine node {self.name}", grace=30)

    def kill(self) -> None:
        """SIGKILL, as a crash: locks it holds stay until they expire."""
        kill_process(self.proc)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def rss_bytes(self) -> int:
        return rss_bytes(self.proc.pid)


@dataclass
class Operaton:
    """The process engine: Operaton nodes sharing one database,
    `<product db>_engine`, in the product's PostgreSQL (the private cluster or
    ENFORCEMENT_DB_*). Several nodes on one database are Operaton's
    homogeneous cluster. With ENGINE_URL set the product uses that engine (or
    load balancer, or list of nodes: `engine_urls`) and nothing is started."""

    pg: Postgres
    product_db: str
    rundir: Path
    external_url: str | None = field(default_factory=lambda: os.environ.get("ENGINE_URL"))
    nodes: list[EngineNode] = field(default_factory=list)
    # What deploy_processes answered when the stack deployed bpmn/ (each
    # process with its version and XML), for record_in_odoo.
    deployed: list[dict] = field(default_factory=list)

    @property
    def database(self) -> str:
        return f"{self.product_db}_engine"

    @property
    def rest_urls(self) -> list[str]:
        """Every URL the product reaches the engine by: the ENGINE_URL
        entries, else one per node started here."""
        if self.external_url:
            return engine_urls(self.external_url)
        if not self.nodes:
            raise StackError("no engine node started")
        return [node.rest_url for node in self.nodes]

    @property
    def rest_url(self) -> str:
        """Where one-off calls (deployment, checks) go: the first URL."""
        return self.rest_urls[0]

    @property
    def credentials(self) -> EngineCredentials:
        return engine_credentials()

    def product_environment(self) -> dict[str, str]:
        """What the product's processes (Odoo, the worker) need to reach the
        engine: ENGINE_URL lists every node, comma-separated."""
        return {"ENGINE_URL": ",".join(self.rest_urls), "ENGINE_USER": self.credentials.user,
                "ENGINE_PASSWORD": self.credentials.password}

    def wait_for_external(self, timeout: float = 60) -> None:
        for url in self.rest_urls:
            wait_until(lambda: engine_answers(url, self.credentials), timeout, f"the engine at {url}")

    def start(self, node_name: str = "engine-1", port: int = 0, timeout: float = 180) -> EngineNode:
        """Start one node and wait until its REST API answers the product's
        credentials. Start the first node of a new database alone: it creates
        the schema, which two nodes must not do at once."""
        if self.external_url:
            raise StackError(f"ENGINE_URL is set ({self.external_url}): the engine is not started here")
        if not ENGINE_JAR.exists():
            raise StackError(f"the engine is not built at {ENGINE_JAR}: run scripts/setup")
        java = java_binary()
        self._ensure_database()
        port = port or free_port()
        require_free(port, f"engine node {node_name}", "ENGINE_PORT")
        self.rundir.mkdir(parents=True, exist_ok=True)
        log = self.rundir / f"{node_name}.log"
        credentials = self.credentials
        env = dict(os.environ,
                   ENGINE_PORT=str(port), ENGINE_NODE_NAME=node_name,
                   ENGINE_DB_URL=f"jdbc:postgresql://{self.pg.host}:{self.pg.port}/{self.database}",
                   ENGINE_DB_USER=self.pg.user, ENGINE_DB_PASSWORD=self.pg.password,
                   ENGINE_USER=credentials.user, ENGINE_PASSWORD=credentials.password)
        # Not on the command line: other OS users can read that in ps.
        java_opts = os.environ.get("ENGINE_JAVA_OPTS", "-Xms128m -Xmx512m").split()
        started = time.monotonic()
        proc = subprocess.Popen([java, *java_opts, "-jar", str(ENGINE_JAR)], env=env, cwd=self.rundir,
                                stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        node = EngineNode(name=node_name, port=port, proc=proc, log=log)
        self.nodes.append(node)
        wait_until(lambda: engine_answers(node.rest_url, credentials), timeout,
                   f"engine node {node_name}", log, proc)
        node.ready_seconds = time.monotonic() - started
        return node

    def start_nodes(self, count: int, timeout: float = 180) -> list[EngineNode]:
        """`count` nodes on the one database, engine-1 first and alone (it
        creates the schema), then the others."""
        return [self.start(f"engine-{len(self.nodes) + 1}", timeout=timeout) for _ in range(count)]

    def restart(self, node: EngineNode, timeout: float = 180) -> EngineNode:
        """Start a stopped or killed node again, same name and port (so the
        URLs the product holds stay valid)."""
        if node.alive():
            raise StackError(f"engine node {node.name} is still running")
        index = self.nodes.index(node)
        self.nodes.remove(node)
        fresh = self.start(node.name, node.port, timeout)
        self.nodes.remove(fresh)
        self.nodes.insert(index, fresh)
        return fresh

    def _ensure_database(self) -> None:
        if self.pg.database_exists(self.database):
            return
        try:
            self.pg.psql("postgres", f'CREATE DATABASE "{self.database}"')
        except subprocess.CalledProcessError as err:
            raise StackError(f"cannot create the engine's database {self.database} as {self.pg.user}: "
                             f"{err.stderr.strip()} (create it, owned by {self.pg.user}, or grant CREATEDB)")

    def stop(self) -> None:
        for node in reversed(self.nodes):
            node.stop()
        self.nodes.clear()


def java_binary() -> str:
    """Java 17 or later: JAVA_HOME's, else the one on PATH (Debian's
    openjdk-17, installed by scripts/setup)."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise StackError("no java on PATH (Java 17 or later): run scripts/setup as root, or install "
                         "openjdk-17-jre-headless")
    return java


def stop_process(proc: subprocess.Popen | None, what: str, grace: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        print(f"{what} did not stop in {grace:.0f}s; killing it", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def addon_digest() -> str:
    """Content hash of the addon, to know when a database needs an upgrade."""
    digest = hashlib.sha256()
    for path in sorted((ADDONS / "admin_enforcement").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ADDONS)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Odoo:
    """Odoo 18.0 with the admin_enforcement addon, configured from a generated
    odoo.conf under `rundir`."""

    pg: Postgres
    db: str
    rundir: Path
    http_port: int = 0
    # ENGINE_URL / ENGINE_USER / ENGINE_PASSWORD for the engine client
    # (Operaton.product_environment()): Odoo and the worker read them.
    engine_environment: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    worker_proc: subprocess.Popen | None = None
    extra_conf: dict = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        return self.rundir / "odoo.conf"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def addons_path(self) -> str:
        src = odoo_src()
        return ",".join(str(p) for p in (src / "addons", src / "odoo" / "addons", ADDONS))

    def write_conf(self) -> None:
        self.rundir.mkdir(parents=True, exist_ok=True)
        self.http_port = self.http_port or free_port()
        options = {
            "addons_path": self.addons_path,
            "db_host": self.pg.host,
            "db_port": self.pg.port,
            "db_user": self.pg.user,
            "db_password": self.pg.password or "False",
            "db_name": self.db,
            "dbfilter": f"^{self.db}$",
            "list_db": "False",
            "http_interface": "127.0.0.1",
            "http_port": self.http_port,
            "gevent_port": free_port(),
            "data_dir": str(self.rundir / "filestore"),
            "logfile": str(self.rundir / "odoo.log"),
            "log_level": "info",
            "admin_passwd": os.environ.get("ODOO_ADMIN_PASSWD", "admin-enforcement-master"),
        }
        options.update(self.extra_conf)
        self.conf.write_text(merged_conf((ROOT / "config" / "odoo.conf").read_text(), options))

    def odoo_cmd(self, *args: str) -> list[str]:
        return [str(VENV_PY), str(odoo_src() / "odoo-bin"), *args]

    def env(self) -> dict[str, str]:
        env = dict(os.environ, PYTHONUNBUFFERED="1", **self.engine_environment)
        if self.pg.password:
            env["PGPASSWORD"] = self.pg.password
        return env

    def initialise(self, demo: bool = True, language: str = "zh_CN", extra: tuple[str, ...] = ()) -> bool:
        """Create the database with the addon on first use (True); reuse it
        after (False), upgrading the addon when its code changed."""
        stamp = self.rundir / f"{self.db}.addon.sha256"
        if self.pg.database_exists(self.db) and self.pg.psql(
                self.db, "SELECT state FROM ir_module_module WHERE name='admin_enforcement'") == "installed":
            if stamp.exists() and stamp.read_text() == addon_digest():
                return False
            done = subprocess.run(self.odoo_cmd("-c", str(self.conf), "-d", self.db, "-u", "admin_enforcement",
                                                "--stop-after-init", "--logfile=", "--log-level=warn"),
                                  env=self.env(), capture_output=True, text=True)
            if done.returncode != 0:
                raise StackError(f"upgrading admin_enforcement in {self.db} failed:\n{done.stderr[-4000:]}")
            stamp.write_text(addon_digest())
            return False
        args = ["-c", str(self.conf), "-d", self.db, "-i", "admin_enforcement",
                "--stop-after-init", "--logfile=", "--log-level=warn", *extra]
        if language:
            args.append(f"--load-language={language}")
        if not demo:
            args.append("--without-demo=all")
        done = subprocess.run(self.odoo_cmd(*args), env=self.env(), capture_output=True, text=True)
        if done.returncode != 0 or "ERROR" in done.stderr:
            raise StackError(f"installing admin_enforcement into {self.db} failed:\n{done.stderr[-4000:]}")
        stamp.write_text(addon_digest())
        return True

    def start(self) -> None:
        require_free(self.http_port, "Odoo", "ODOO_HTTP_PORT")
        self.proc = subprocess.Popen(self.odoo_cmd("-c", str(self.conf)), env=self.env(),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_until(lambda: urllib.request.urlopen(f"{self.url}/web/health", timeout=5).status == 200,
                   120, "Odoo", self.rundir / "odoo.log", self.proc)

    def start_worker(self, log_name: str = "worker.log", *extra: str) -> subprocess.Popen:
        log = self.rundir / log_name
        proc = subprocess.Popen(
            self.odoo_cmd(f"--addons-path={self.addons_path}", "enforcement_worker",
                          "-c", str(self.conf), "-d", self.db, f"--logfile={log}", *extra),
            env=self.env(), stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        self.worker_proc = proc
        return proc

    def kill(self) -> None:
        """SIGKILL to the HTTP server, as a crash (soak tests); start() again."""
        kill_process(self.proc)

    def kill_worker(self) -> None:
        kill_process(self.worker_proc)

    def stop(self) -> None:
        stop_process(self.worker_proc, "worker")
        stop_process(self.proc, "Odoo")


def merged_conf(base: str, options: dict) -> str:
    """config/odoo.conf with `options` set: a base line for an option given
    here is dropped (Odoo refuses an option twice in a section), the
    comments stay."""
    lines = []
    for line in base.rstrip().splitlines():
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith((";", "#")) else None
        if key not in options:
            lines.append(line)
    lines.append("")
    lines += [f"{k} = {v}" for k, v in options.items()]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def throwaway_stack(rundir: Path, db: str, *, keep: bool = False, durable: bool = True,
                    engine_nodes: int = 1, extra_conf: dict | None = None):
    """PostgreSQL, `engine_nodes` Operaton nodes on one engine database and a
    fresh product database with the addon (no demo), every BPMN linted and
    deployed through the engine client, under `rundir`, for the end-to-end
    tests, the benchmarks and the soak test. Yields (pg, engine, odoo).

    Odoo and the worker are left for the caller to start (odoo.start(),
    odoo.start_worker(); a bench may first drive the engine alone); their
    environment has ENGINE_URL listing every node. What was deployed is in
    `engine.deployed`, for `deploy.record_in_odoo` once Odoo serves HTTP.
    Everything is stopped afterwards, and removed unless `keep`. ENGINE_URL in
    the caller's environment is ignored: the stack is self-contained."""
    from deploy import deploy_processes  # deploy imports this module

    if engine_nodes < 1:
        raise StackError("throwaway_stack needs at least one engine node")
    rundir.mkdir(parents=True, exist_ok=True)
    pg = Postgres(datadir=rundir / "pg", durable=durable)
    engine = Operaton(pg=pg, product_db=db, rundir=rundir / "engine", external_url=None)
    odoo = Odoo(pg=pg, db=db, rundir=rundir, extra_conf=extra_conf or {})
    try:
        pg.start()
        engine.start_nodes(engine_nodes)
        odoo.engine_environment = engine.product_environment()
        odoo.write_conf()
        odoo.initialise(demo=False, language="")
        engine.deployed = deploy_processes(engine.rest_url, credentials=engine.credentials)
        yield pg, engine, odoo
    finally:
        odoo.stop()
        engine.stop()
        pg.stop()
        if not keep:
            shutil.rmtree(rundir, ignore_errors=True)


@contextlib.contextmanager
def throwaway_odoo(name: str, serve_http: bool = True, language: str = ""):
    """A private PostgreSQL and a fresh database with the addon (no demo),
    optionally served over HTTP; everything is removed afterwards. For the
    benchmarks, which must not touch the product's own data."""
    rundir = VAR / f"{name}-{int(time.time())}"
    pg = Postgres(datadir=rundir / "pg")
    odoo = Odoo(pg=pg, db="enforcement_bench", rundir=rundir)
    try:
        pg.start()
        odoo.write_conf()
        print("installing the addon into a throwaway database…", flush=True)
        odoo.initialise(demo=False, language=language)
        if serve_http:
            odoo.start()
        yield odoo
    finally:
        odoo.stop()
        pg.stop()
        shutil.rmtree(rundir, ignore_errors=True)

