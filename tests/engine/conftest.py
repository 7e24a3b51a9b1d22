"""Engine tests: a throwaway PostgreSQL and real Operaton nodes started from
the jar scripts/setup built, thrown away afterwards. Nothing is mocked.

Figures (start-to-ready, RSS) are printed at the end of the run, never
asserted: the machine is shared."""
from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "lib"))
sys.path.insert(0, str(ROOT / "addons" / "admin_enforcement"))

from services.engine_client import EngineClient  # noqa: E402
from stack import VAR, Operaton, Postgres, engine_client  # noqa: E402

import processes  # noqa: E402

FIGURES: dict[str, str] = {}


def record_figure(name: str, value: str) -> None:
    FIGURES[name] = value


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.section("engine figures (measured, not asserted)")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def rundir() -> Iterator[Path]:
    path = Path(os.environ.get("ENFORCEMENT_ENGINE_TEST_DIR", VAR / f"engine-test-{int(time.time())}"))
    path.mkdir(parents=True, exist_ok=True)
    yield path
    if os.environ.get("ENFORCEMENT_KEEP_ENGINE_TEST") != "1":
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(rundir: Path) -> Iterator[Postgres]:
    pg = Postgres(datadir=rundir / "pg", durable=False)
    pg.start()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def engine(postgres: Postgres, rundir: Path) -> Iterator[Operaton]:
    """One node on the database enforcement_test_engine (started here even
    when ENGINE_URL points the product at another engine)."""
    cluster = Operaton(pg=postgres, product_db="enforcement_test", rundir=rundir / "engine", external_url=None)
    try:
        node = cluster.start("engine-1")
        record_figure("one node, start to ready (new database: schema created)", f"{node.ready_seconds:.1f} s")
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def client(engine: Operaton) -> Iterator[EngineClient]:
    api = engine_client(engine.rest_url, engine.credentials, timeout_s=30)
    yield api
    api.close()


@pytest.fixture(scope="session")
def deployed(client: EngineClient, rundir: Path) -> None:
    client.deploy([processes.write(rundir, "engine_test_case.bpmn", processes.CASE_BPMN),
                   processes.write(rundir, "engine_test_step.bpmn", processes.STEP_BPMN)])
