"""Project conventions for BPMN files, checked in CI and before deployment.

Operaton (Camunda 7) deploys many models that break the product: an
external task without a topic waits forever for a worker that does not
exist, a task with no retries property gets the worker's default instead of
the one the designer chose, a user task without an ``enforcement:`` form key
has no screen in Odoo, a FEEL expression left over from Zeebe fails when the
token reaches it, and a process without ``historyTimeToLive`` is refused
when the engine enforces it. The checks:

* the file is a Camunda 7 file (``modeler:executionPlatform="Camunda
  Platform"``) with no ``zeebe:`` element or attribute left;
* every executable process sets ``camunda:historyTimeToLive``;
* every service task is an external task (``camunda:type="external"``)
  with a static ``camunda:topic`` matching ``enforcement.<area>.<action>``
  (style.md) and a ``retries`` extension property (a whole number; a
  ``retryBackoff``, if any, is an ISO-8601 duration);
* every user task has a ``camunda:formKey`` ``enforcement:<step>`` and
  candidate groups; its due date, if any, is an expression;
* conditions, multi-instance cardinalities and due dates are JUEL
  (``${...}``), and no expression is FEEL (``=...``);
* script tasks are JUEL (the engine build ships no other script engine);
  multi-instance activities count with ``loopCardinality`` (no list
  variables without Spin JSON);
* call activities name a static ``calledElement`` and pass the business key
  (``camunda:in businessKey``), so the child keeps the case reference;
* every message has a name, is used by an event, and every message event
  refers to a message of the file; every error has a code and is caught by a
  boundary event (BPMN errors only for modelled outcomes);
* element ids carry their type prefix (Camunda naming guide);
* a ``BPMNDiagram`` exists with a shape for every flow node.

Usage: ``python -m enforcement_core.bpmn_lint bpmn/*.bpmn`` (with
``addons/admin_enforcement`` on ``PYTHONPATH``); exits 1 if any problem.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
MODELER = "{http://camunda.org/schema/modeler/1.0}"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"

EXECUTION_PLATFORM = "Camunda Platform"
TOPIC = re.compile(r"^enforcement\.[a-z_]+\.[a-z_]+$")
FORM_KEY_PREFIX = "enforcement:"
FORM_KEY = re.compile(r"^enforcement:[a-z_]+$")
JUEL = re.compile(r"^\s*[$#]\{.*\}\s*$", re.S)
WHOLE_NUMBER = re.compile(r"^[0-9]+$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
HISTORY_TTL = re.compile(r"^([0-9]+|P[0-9]+D)$")
SCRIPT_FORMAT = "juel"

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


@dataclass
class ProcessContract:
    """What a file promises the product: the names the workers and Odoo use."""

    topics: dict[str, str] = field(default_factory=dict)  # element id -> external-task topic
    form_keys: dict[str, str] = field(default_factory=dict)  # element id -> user-task form key
    messages: set[str] = field(default_factory=set)  # message names


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def extension_properties(element: ET.Element) -> dict[str, str]:
    """``camunda:property`` values of an element (what fetchAndLock returns
    with ``includeExtensionProperties``)."""
    return {
        prop.get("name", ""): prop.get("value", "")
        for prop in element.findall(f"{BPMN}extensionElements/{CAMUNDA}properties/{CAMUNDA}property")
    }


def contract(root: ET.Element) -> ProcessContract:
    """Topics, form keys and message names declared by a parsed file."""
    found = ProcessContract()
    for task in root.iter(f"{BPMN}serviceTask"):
        if task.get(f"{CAMUNDA}topic"):
            found.topics[task.get("id", "")] = task.get(f"{CAMUNDA}topic")
    for task in root.iter(f"{BPMN}userTask"):
        if task.get(f"{CAMUNDA}formKey"):
            found.form_keys[task.get("id", "")] = task.get(f"{CAMUNDA}formKey")
    found.messages = {m.get("name", "") for m in root.iter(f"{BPMN}message") if m.get("name")}
    return found


def lint_tree(root: ET.Element) -> list[Problem]:
    """Problems in a parsed BPMN definitions element."""
    problems: list[Problem] = []
    problems.extend(_check_platform(root))
    message_ids = {m.get("id", "") for m in root.iter(f"{BPMN}message")}
    error_ids = {e.get("id", "") for e in root.iter(f"{BPMN}error")}
    used_messages: set[str] = set()
    caught_errors: set[str] = set()
    flow_node_ids: list[str] = []
    parents = {child: parent for parent in root.iter() for child in parent}

    def owner_id(element: ET.Element) -> str:
        """Id of the nearest element a designer sees (an event, not its timer definition)."""
        while element is not None and (not element.get("id") or _local(element.tag).endswith("EventDefinition")):
            element = parents.get(element)
        return element.get("id", "") if element is not None else ""

    for element in root.iter():
        problems.extend(_check_no_zeebe(element, owner_id(element)))
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
            loop = element.find(f"{BPMN}multiInstanceLoopCharacteristics")
            if loop is not None:
                problems.extend(_check_multi_instance(loop, element_id))
        check = _ELEMENT_CHECKS.get(tag)
        if check:
            problems.extend(check(element, owner_id(element)))
        if tag == "messageEventDefinition" or tag in ("receiveTask", "sendTask"):
            ref = element.get("messageRef", "")
            if ref:
                used_messages.add(ref)
            if ref not in message_ids and tag == "messageEventDefinition":
                problems.append(Problem(element_id, f"message event refers to no message of the file ({ref!r})"))
        if tag == "boundaryEvent":
            for definition in element.findall(f"{BPMN}errorEventDefinition"):
                caught_errors.add(definition.get("errorRef", ""))

    for message in root.iter(f"{BPMN}message"):
        message_id = message.get("id", "")
        if not message.get("name", "").strip():
            problems.append(Problem(message_id, "message has no name; the outbox correlates by name"))
        if message_id not in used_messages:
            problems.append(Problem(message_id, "message is not used by any event"))
    for error in root.iter(f"{BPMN}error"):
        error_id = error.get("id", "")
        if not error.get("errorCode", "").strip():
            problems.append(Problem(error_id, "error has no errorCode; the worker throws it by code"))
        if error_id not in caught_errors:
            problems.append(Problem(error_id, "error is caught by no boundary event; throw BPMN errors only for "
                                              "modelled outcomes, let anything else become an incident"))
    for definition in root.iter(f"{BPMN}errorEventDefinition"):
        ref = definition.get("errorRef", "")
        if ref and ref not in error_ids:
            problems.append(Problem(definition.get("id", ""), f"error event refers to no error of the file ({ref!r})"))

    problems.extend(_check_diagram(root, flow_node_ids))
    return problems


def _check_platform(root: ET.Element) -> list[Problem]:
    platform = root.get(f"{MODELER}executionPlatform", "")
    if platform != EXECUTION_PLATFORM:
        return [Problem(root.get("id", ""),
                        f"modeler:executionPlatform is {platform!r}, not {EXECUTION_PLATFORM!r}: "
                        "Camunda Modeler would open the file for another engine")]
    return []


def _check_no_zeebe(element: ET.Element, owner: str) -> list[Problem]:
    if element.tag.startswith("{" + ZEEBE_NS + "}"):
        return [Problem(owner, f"zeebe:{_local(element.tag)} is a Zeebe extension; Operaton ignores it")]
    return [
        Problem(owner, f"attribute zeebe:{_local(name)} is a Zeebe extension; Operaton ignores it")
        for name in element.attrib
        if name.startswith("{" + ZEEBE_NS + "}")
    ]


def _check_process(process: ET.Element, process_id: str) -> list[Problem]:
    if process.get("isExecutable") != "true":
        return [Problem(process_id, "process is not executable (isExecutable=\"true\")")]
    ttl = process.get(f"{CAMUNDA}historyTimeToLive", "").strip()
    if not ttl:
        return [Problem(process_id, "process has no camunda:historyTimeToLive (days the engine keeps its history)")]
    if not HISTORY_TTL.match(ttl):
        return [Problem(process_id, f"camunda:historyTimeToLive {ttl!r} is neither a number of days nor P<n>D")]
    return []


def _check_service_task(task: ET.Element, task_id: str) -> list[Problem]:
    if task.get(f"{CAMUNDA}type") != "external":
        return [Problem(task_id, "service task is not an external task (camunda:type=\"external\"); "
                                 "the product runs no Java in the engine")]
    problems = []
    topic = task.get(f"{CAMUNDA}topic", "")
    if not topic:
        problems.append(Problem(task_id, "external task has no camunda:topic"))
    elif "{" in topic:
        problems.append(Problem(task_id, f"topic {topic!r} is an expression; it must be static"))
    elif not TOPIC.match(topic):
        problems.append(Problem(task_id, f"topic {topic!r} does not match enforcement.<area>.<action> "
                                         f"({TOPIC.pattern})"))
    properties = extension_properties(task)
    retries = properties.get("retries")
    if retries is None:
        problems.append(Problem(task_id, "external task has no retries extension property "
                                         "(camunda:property name=\"retries\")"))
    elif not WHOLE_NUMBER.match(retries.strip()):
        problems.append(Problem(task_id, f"retries {retries!r} is not a whole number"))
    backoff = properties.get("retryBackoff")
    if backoff is not None and not ISO_DURATION.match(backoff.strip()):
        problems.append(Problem(task_id, f"retryBackoff {backoff!r} is not an ISO-8601 duration (e.g. PT5S)"))
    return problems


def _check_user_task(task: ET.Element, task_id: str) -> list[Problem]:
    problems = []
    form_key = task.get(f"{CAMUNDA}formKey", "")
    if not form_key:
        problems.append(Problem(task_id, "user task has no camunda:formKey; Odoo has no screen for it"))
    elif not FORM_KEY.match(form_key):
        problems.append(Problem(task_id, f"form key {form_key!r} does not match {FORM_KEY_PREFIX}<step> "
                                         f"({FORM_KEY.pattern})"))
    groups = [g.strip() for g in task.get(f"{CAMUNDA}candidateGroups", "").split(",") if g.strip()]
    if not groups:
        problems.append(Problem(task_id, "user task has no camunda:candidateGroups; no task list shows it"))
    if task.get(f"{CAMUNDA}candidateUsers") or task.get(f"{CAMUNDA}assignee"):
        problems.append(Problem(task_id, "user task names users in the model; Odoo gives tasks to people"))
    due = task.get(f"{CAMUNDA}dueDate")
    if due is not None and not JUEL.match(due):
        problems.append(Problem(task_id, f"due date {due!r} is not a JUEL expression (${{...}})"))
    return problems


def _check_script_task(task: ET.Element, task_id: str) -> list[Problem]:
    script_format = task.get("scriptFormat", "")
    if script_format != SCRIPT_FORMAT:
        return [Problem(task_id, f"script task has scriptFormat {script_format!r}; the engine build has only "
                                 f"{SCRIPT_FORMAT!r}")]
    if not JUEL.match(_text(task.find(f"{BPMN}script"))):
        return [Problem(task_id, "script task has no JUEL script (${...})")]
    return []


def _check_call_activity(activity: ET.Element, activity_id: str) -> list[Problem]:
    problems = []
    called = activity.get("calledElement", "")
    if not called or "{" in called:
        problems.append(Problem(activity_id, "call activity needs a static calledElement (a process id)"))
    ins = activity.findall(f"{BPMN}extensionElements/{CAMUNDA}in")
    if not any(i.get("businessKey") for i in ins):
        problems.append(Problem(activity_id, "call activity does not pass the business key "
                                             "(camunda:in businessKey=\"#{execution.processBusinessKey}\")"))
    return problems


def _check_multi_instance(loop: ET.Element, owner: str) -> list[Problem]:
    if loop.get(f"{CAMUNDA}collection"):
        return [Problem(owner, "multi-instance over camunda:collection: without Spin JSON no process variable "
                               "holds a list; use loopCardinality and loopCounter")]
    if loop.find(f"{BPMN}loopCardinality") is None:
        return [Problem(owner, "multi-instance has no loopCardinality")]
    return []


def _check_juel(element: ET.Element, element_id: str) -> list[Problem]:
    """Conditions, cardinalities and completion conditions must be JUEL."""
    expression = _text(element)
    if expression.startswith("="):
        return [Problem(element_id, f"{_local(element.tag)} {expression!r} is FEEL; Operaton evaluates JUEL (${{...}})")]
    if not JUEL.match(expression):
        return [Problem(element_id, f"{_local(element.tag)} {expression!r} is not a JUEL expression (${{...}})")]
    return []


def _check_timer(element: ET.Element, element_id: str) -> list[Problem]:
    expression = _text(element)
    if not expression:
        return [Problem(element_id, f"timer {_local(element.tag)} is empty")]
    if expression.startswith("="):
        return [Problem(element_id, f"timer {expression!r} is FEEL; Operaton evaluates JUEL (${{...}})")]
    return []


def _check_sequence_flow(flow: ET.Element, flow_id: str) -> list[Problem]:
    condition = flow.find(f"{BPMN}conditionExpression")
    return _check_juel(condition, flow_id) if condition is not None else []


_ELEMENT_CHECKS = {
    "process": _check_process,
    "serviceTask": _check_service_task,
    "userTask": _check_user_task,
    "scriptTask": _check_script_task,
    "callActivity": _check_call_activity,
    "loopCardinality": _check_juel,
    "completionCondition": _check_juel,
    "sequenceFlow": _check_sequence_flow,
    "timeDate": _check_timer,
    "timeDuration": _check_timer,
    "timeCycle": _check_timer,
}


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


def parse(path: str) -> tuple[ET.Element | None, list[Problem]]:
    """The definitions element of the file at ``path``, or the one problem that prevents reading it."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return None, [Problem("", f"{path}: not well-formed XML: {exc}")]
    except OSError as exc:
        return None, [Problem("", f"{path}: cannot read: {exc.strerror or exc}")]
    if root.tag != f"{BPMN}definitions":
        return None, [Problem("", f"{path}: root element is {root.tag}, not bpmn:definitions")]
    return root, []


def lint_file(path: str) -> list[Problem]:
    """Problems in the BPMN file at ``path``; unreadable or malformed XML is one problem."""
    root, problems = parse(path)
    return problems if root is None else lint_tree(root)


def main(argv: Sequence[str]) -> int:
    # pylint: disable=print-used  # a command line: its findings go to standard output
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
