"""Two Operaton nodes on one database (the homogeneous cluster): one is
SIGKILLed while it holds locked external tasks; the other finishes every
instance once those locks expire, and no step is done twice."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import record_figure
from processes import STEP_BPMN, STEP_PROCESS_KEY, STEP_TOPIC, write
from services.engine_client import AlreadyDone, Topic
from stack import Operaton, Postgres, engine_client

INSTANCES = 12
# Short on purpose: how long a dead node's tasks stay locked to it.
LOCK_MS = 4_000


@pytest.fixture(scope="module")
def cluster(postgres: Postgres, rundir: Path) -> Iterator[Operaton]:
    """Its own database, so killing a node leaves the other tests' node alone.
    The first node creates the schema before the second starts."""
    nodes = Operaton(pg=postgres, product_db="enforcement_cluster", rundir=rundir / "cluster", external_url=None)
    try:
        nodes.start("engine-1")
        second = nodes.start("engine-2")
        record_figure("second node on an existing schema, start to ready", f"{second.ready_seconds:.1f} s")
        yield nodes
    finally:
        nodes.stop()


def test_killed_node_s_locked_tasks_are_finished_by_the_other_node(cluster: Operaton, rundir: Path):
    node_1, node_2 = cluster.nodes
    via_1 = engine_client(node_1.rest_url, cluster.credentials, timeout_s=30)
    via_2 = engine_client(node_2.rest_url, cluster.credentials, timeout_s=30)
    via_1.deploy([write(rundir, "cluster_step.bpmn", STEP_BPMN)])
    # Instances started through both nodes: one database, one set of instances.
    instance_ids = {(via_1 if n % 2 else via_2).start_process_by_key(STEP_PROCESS_KEY, f"CASE-C{n}").id
                    for n in range(INSTANCES)}
    topic = [Topic(STEP_TOPIC, LOCK_MS)]

    held_by_dead_node = via_1.fetch_and_lock("worker-on-1", topic, max_tasks=INSTANCES // 2)
    done_by_2 = via_2.fetch_and_lock("worker-on-2", topic, max_tasks=INSTANCES)
    assert len(held_by_dead_node) == INSTANCES // 2 and len(done_by_2) == INSTANCES - INSTANCES // 2
    assert not {t.id for t in held_by_dead_node} & {t.id for t in done_by_2}
    for task in done_by_2:
        via_2.complete_external_task(task.id, "worker-on-2")

    node_1.kill()
    killed_at = time.monotonic()
    # Locked to worker-on-1 until they expire: node 2 does not hand them out.
    assert via_2.fetch_and_lock("worker-on-2", topic, max_tasks=INSTANCES) == []

    recovered = []
    while len(recovered) < len(held_by_dead_node):
        assert time.monotonic() - killed_at < LOCK_MS / 1000 + 20, "the dead node's tasks never came back"
        recovered += via_2.fetch_and_lock("worker-on-2", topic, max_tasks=INSTANCES, async_response_timeout_ms=1_000)
    waited = time.monotonic() - killed_at
    record_figure(f"dead node's tasks fetched again from node 2 (lock {LOCK_MS} ms)", f"after {waited:.1f} s")
    assert {t.id for t in recovered} == {t.id for t in held_by_dead_node}
    for task in recovered:
        via_2.complete_external_task(task.id, "worker-on-2")

    # The first worker, coming back through node 2, finds its steps done.
    with pytest.raises(AlreadyDone):
        via_2.complete_external_task(held_by_dead_node[0].id, "worker-on-1")
    assert all(via_2.historic_process_instance(i).ended for i in instance_ids)
    assert via_2.list_process_instances(process_definition_key=STEP_PROCESS_KEY) == []
    for client in (via_1, via_2):
        client.close()

