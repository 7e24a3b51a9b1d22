"""Project conventions for BPMN files, checked in CI and before deployment.

Zeebe accepts many models that break our workers: a service task without a
static job type silently waits forever for a worker that does not exist, a
message without a correlation key never matches a case, a flow node without
a diagram shape vanishes from the modeler. The checks:

* every service task has a ``zeebe:taskDefinition`` whose ``type`` is static
  and matches ``enforcement.<area>.<action>`` (style.md);
* element ids carry their type prefix (Camunda naming guide);
* a ``BPMNDiagram`` exists with a shape for every flow node;
* every message has a ``zeebe:subscription`` correlation key, except
  messages used only by message start events, which Zeebe does not
  correlate.

Usage: ``python -m enforcement_core.bpmn_lint bpmn/*.bpmn`` (with
``addons/admin_enforcement`` on ``PYTHONPATH``); exits 1 if any problem.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
ZEEBE = "{http://camunda.org/schema/zeebe/1.0}"

JOB_TYPE = re.compile(r"^enforcement\.[a-z_]+\.[a-z_]+$")

_TASKS = (
    "task serviceTask userTask scriptTask sendTask receiveTask manualTask businessRuleTask"
).split()
_ACTIVITIES = "callActivity subProcess".split()
_GATEWAYS = "exclusiveGateway parallelGateway inclusiveGateway eventBasedGateway complexGateway".split()
_EVENTS = "intermediateCatchEvent intermediateThrowEvent boundaryEvent".split()

#: Allowed id prefixes by element tag. Timer, message and other
#: intermediate or boundary events are all ``Event_``.
ID_PREFIXES: dict[str, tuple[str, ...]] = {
    **{tag: ("Task_",) for tag in _TASKS},
    **{tag: ("Activity_", "SubProcess_") for tag in _ACTIVITIES},
    **{tag: ("Gateway_",) for tag in _GATEWAYS},
    **{tag: ("Event_",) for tag in _EVENTS},
    "startEvent": ("StartEvent_", "Event_"),
    "endEvent": ("EndEvent_", "Event_"),
    "sequenceFlow": ("Flow_",),
    "message": ("Message_",),
    "error": ("Error_",),
}
FLOW_NODES = frozenset(_TASKS + _ACTIVITIES + _GATEWAYS + _EVENTS + ["startEvent", "endEvent"])


@dataclass(frozen=True)
class Problem:
    element_id: str
    message: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def lint_tree(root: ET.Element) -> list[Problem]:
    """Problems in a parsed BPMN definitions element."""
    problems: list[Problem] = []
    start_definitions = {
        definition
        for start in root.iter(f"{BPMN}startEvent")
        for definition in start.findall(f"{BPMN}messageEventDefinition")
    }
    start_event_messages: set[str] = set()
    other_event_messages: set[str] = set()
    flow_node_ids: list[str] = []

    for element in root.iter():
        if not element.tag.startswith(BPMN):
            continue
        tag = _local(element.tag)
        element_id = element.get("id", "")
        prefixes = ID_PREFIXES.get(tag)
        if prefixes and not element_id.startswith(prefixes):
            problems.append(
                Problem(element_id, f"{tag} id {element_id!r} must start with {' or '.join(prefixes)}")
            )
        if tag in FLOW_NODES:
            flow_node_ids.append(element_id)
        if tag == "serviceTask":
            problems.extend(_check_task_definition(element, element_id))
        message_ref = element.get("messageRef")
        if message_ref:
            if element in start_definitions:
                start_event_messages.add(message_ref)
            else:  # intermediate/boundary message events, receive tasks
                other_event_messages.add(message_ref)

    for message in root.iter(f"{BPMN}message"):
        message_id = message.get("id", "")
        if message_id in start_event_messages and message_id not in other_event_messages:
            continue
        subscription = message.find(f"{BPMN}extensionElements/{ZEEBE}subscription")
        if subscription is None or not subscription.get("correlationKey", "").strip():
            problems.append(Problem(message_id, "message has no zeebe:subscription correlationKey"))

    problems.extend(_check_diagram(root, flow_node_ids))
    return problems


def _check_task_definition(task: ET.Element, task_id: str) -> list[Problem]:
    definition = task.find(f"{BPMN}extensionElements/{ZEEBE}taskDefinition")
    if definition is None:
        return [Problem(task_id, "service task has no zeebe:taskDefinition")]
    job_type = definition.get("type", "")
    if job_type.startswith("="):
        return [Problem(task_id, f"job type {job_type!r} is an expression; it must be static")]
    if not JOB_TYPE.match(job_type):
        return [
            Problem(
                task_id,
                f"job type {job_type!r} does not match enforcement.<area>.<action> "
                f"({JOB_TYPE.pattern})",
            )
        ]
    return []


def _check_diagram(root: ET.Element, flow_node_ids: list[str]) -> list[Problem]:
    diagrams = root.findall(f"{BPMNDI}BPMNDiagram")
    if not diagrams:
        return [Problem("", "file has no BPMNDiagram; the modeler cannot display it")]
    shaped = {
        shape.get("bpmnElement")
        for diagram in diagrams
        for shape in diagram.iter(f"{BPMNDI}BPMNShape")
    }
    return [
        Problem(node_id, "flow node has no BPMNShape in the diagram")
        for node_id in flow_node_ids
        if node_id not in shaped
    ]


def lint_file(path: str) -> list[Problem]:
    """Problems in the BPMN file at ``path``; unreadable or malformed XML is one problem."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return [Problem("", f"{path}: not well-formed XML: {exc}")]
    except OSError as exc:
        return [Problem("", f"{path}: cannot read: {exc.strerror or exc}")]
    if root.tag != f"{BPMN}definitions":
        return [Problem("", f"{path}: root element is {root.tag}, not bpmn:definitions")]
    return lint_tree(root)


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m enforcement_core.bpmn_lint FILE.bpmn...", file=sys.stderr)
        return 2
    failed = False
    for path in argv:
        for problem in lint_file(path):
            failed = True
            print(f"{path}: {problem.element_id or '-'}: {problem.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
