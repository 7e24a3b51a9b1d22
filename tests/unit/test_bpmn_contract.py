"""The BPMN files, the declared process steps and the element templates agree
in both directions: every user task has a declared step and every declared
step a user task; every external-task topic has exactly one Camunda 7 element
template and every template a service task that uses it."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from enforcement_core.bpmn_lint import CAMUNDA, FORM_KEY_PREFIX, contract, extension_properties
from services.process_steps import STEPS

ROOT = Path(__file__).resolve().parents[2]
BPMN_DIR = ROOT / "bpmn"
TEMPLATE_DIR = BPMN_DIR / "element-templates"
CAMUNDA7_SCHEMA = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def _files():
    files = sorted(BPMN_DIR.glob("*.bpmn"))
    assert files, f"no BPMN files in {BPMN_DIR}"
    return {f.name: ET.parse(f).getroot() for f in files}


FILES = _files()


def _user_tasks():
    """(file, element id, form key) of every user task."""
    return [(name, element_id, key) for name, root in FILES.items()
            for element_id, key in contract(root).form_keys.items()]


def _service_tasks():
    """(file, service task element) of every service task."""
    return [(name, task) for name, root in FILES.items() for task in root.iter(f"{BPMN}serviceTask")]


def _templates():
    templates = {}
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        templates[path.name] = json.loads(path.read_text(encoding="utf-8"))
    assert templates, f"no element templates in {TEMPLATE_DIR}"
    return templates


TEMPLATES = _templates()


def _binding_value(template, binding_type, name):
    values = [p.get("value") for p in template.get("properties", [])
              if p.get("binding", {}).get("type") == binding_type and p["binding"].get("name") == name]
    assert len(values) <= 1, f"{template.get('id')}: {binding_type} {name} bound twice"
    return values[0] if values else None


def _template_topic(template):
    return _binding_value(template, "property", "camunda:topic")


def test_every_user_task_is_a_declared_step():
    tasks = _user_tasks()
    assert tasks
    unknown = [(f, e, k) for f, e, k in tasks
               if not k.startswith(FORM_KEY_PREFIX) or k[len(FORM_KEY_PREFIX):] not in STEPS]
    assert unknown == [], "user tasks whose form key is no step of services/process_steps.STEPS"


def test_every_declared_step_has_a_user_task():
    used = {k[len(FORM_KEY_PREFIX):] for _f, _e, k in _user_tasks()}
    assert sorted(set(STEPS) - used) == [], "declared steps that no BPMN user task uses"


def test_every_user_task_element_has_one_step():
    """One element, one step: an element id names the same step wherever it appears."""
    by_element = {}
    for name, element_id, key in _user_tasks():
        by_element.setdefault(element_id, set()).add(key)
    assert {e: keys for e, keys in by_element.items() if len(keys) > 1} == {}


def test_every_topic_has_exactly_one_template():
    topics = {task.get(f"{CAMUNDA}topic") for _name, task in _service_tasks()}
    assert topics and None not in topics
    per_topic = Counter(_template_topic(t) for t in TEMPLATES.values())
    assert {t: per_topic[t] for t in sorted(topics) if per_topic[t] != 1} == {}, \
        "topics with no element template, or with more than one"


def test_every_template_topic_is_used():
    topics = {task.get(f"{CAMUNDA}topic") for _name, task in _service_tasks()}
    unused = sorted(name for name, t in TEMPLATES.items() if _template_topic(t) not in topics)
    assert unused == [], "element templates for topics no service task uses"


@pytest.mark.parametrize("file_name", sorted(TEMPLATES))
def test_template_is_a_camunda7_external_task_template(file_name):
    template = TEMPLATES[file_name]
    topic = _template_topic(template)
    assert template["$schema"] == CAMUNDA7_SCHEMA
    assert template["id"] == topic and file_name == f"{topic}.json"
    assert isinstance(template["version"], int)
    assert template["appliesTo"] == ["bpmn:ServiceTask"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in template["name"]), "template names are Chinese"
    assert _binding_value(template, "property", "camunda:type") == "external"
    assert (_binding_value(template, "camunda:property", "retries") or "").isdigit()
    topic_property = next(p for p in template["properties"] if p["binding"].get("name") == "camunda:topic")
    assert topic_property["type"] == "Hidden" or topic_property.get("editable") is False, "the topic is fixed"


@pytest.mark.parametrize(("file_name", "task"), _service_tasks(),
                         ids=[f"{name}:{task.get('id')}" for name, task in _service_tasks()])
def test_service_task_is_linked_to_its_template(file_name, task):
    """Camunda Modeler shows a service task through the template of its topic."""
    topic = task.get(f"{CAMUNDA}topic")
    template = next(t for t in TEMPLATES.values() if _template_topic(t) == topic)
    assert task.get(f"{CAMUNDA}modelerTemplate") == template["id"]
    assert task.get(f"{CAMUNDA}modelerTemplateVersion") == str(template["version"])
    assert set(extension_properties(task)) >= {"retries"}


def test_step_names_are_chinese():
    """Every named flow node reads as the bureau's procedure does."""
    latin = [(name, el.get("id"), el.get("name")) for name, root in FILES.items() for el in root.iter()
             if el.tag.startswith(BPMN) and el.get("name") and not el.tag.endswith("}message")
             and not any("\u4e00" <= ch <= "\u9fff" for ch in el.get("name"))]
    assert latin == []


WORKERS_DIR = ROOT / "addons" / "admin_enforcement" / "workers"


def _worker_topics():
    """{topic: handler module} of every ``@topic("…")`` handler, read from the
    source: the workers import Odoo, this test does not."""
    import ast

    topics = {}
    for path in sorted(WORKERS_DIR.glob("*_handlers.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "topic":
                        name = decorator.args[0].value
                        assert name not in topics, f"topic {name} has handlers in {topics[name]} and {path.name}"
                        topics[name] = path.name
    assert topics, f"no @topic handlers in {WORKERS_DIR}"
    return topics


def test_every_external_task_topic_has_a_worker_and_every_worker_a_task():
    used = {task.get(f"{CAMUNDA}topic") for _name, task in _service_tasks()}
    handled = _worker_topics()
    assert sorted(used - set(handled)) == [], "topics in the BPMN that no worker handles"
    assert sorted(set(handled) - used) == [], "worker handlers for topics no BPMN uses"


def test_each_topic_is_handled_in_the_module_of_its_area():
    for name, module in _worker_topics().items():
        area = name.split(".")[1]
        assert module == f"{area}_handlers.py", f"{name} is handled in {module}"


# ----- the declared steps and the task form -----

ADDON_DIR = ROOT / "addons" / "admin_enforcement"
TASK_MODEL = "enforcement.task"
STEP_TEST = re.compile(r"step_code\s*(?:!=|==|not in|in)\s*")


def _task_fields():
    """{field name: keyword names of its definition} of enforcement.task, and
    its ENGINE_FIELDS, read from the models' source (they import Odoo)."""
    import ast

    fields, engine_fields = {}, set()
    for path in sorted((ADDON_DIR / "models").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["ENGINE_FIELDS"]:
                engine_fields |= {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)}
            if not isinstance(node, ast.ClassDef):
                continue
            model = {t.id: s.value.value for s in node.body if isinstance(s, ast.Assign)
                     for t in s.targets if isinstance(t, ast.Name) and isinstance(s.value, ast.Constant)}
            if TASK_MODEL not in (model.get("_name"), model.get("_inherit")):
                continue
            for stmt in node.body:
                if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)
                        and getattr(stmt.value.func, "attr", None) and getattr(stmt.value.func.value, "id", "") == "fields"):
                    fields[stmt.targets[0].id] = {k.arg for k in stmt.value.keywords}
    assert fields and engine_fields
    return fields, engine_fields


def _task_views():
    """(file, record id, arch element) of every view of enforcement.task in the addon's XML."""
    views = []
    for path in sorted((ADDON_DIR / "views").glob("*.xml")):
        for record in ET.parse(path).getroot().iter("record"):
            if record.get("model") != "ir.ui.view":
                continue
            by_name = {f.get("name"): f for f in record.findall("field")}
            if by_name.get("model") is not None and by_name["model"].text == TASK_MODEL:
                views.append((path.name, record.get("id"), by_name["arch"]))
    assert views
    return views


def test_every_step_field_is_a_task_field_and_every_task_input_a_step_field():
    """Both ways: a declared field exists on the task, and a field a person
    fills in on a task (not computed, not related, not set by the process)
    belongs to some step's declaration."""
    fields, engine_fields = _task_fields()
    declared = {f.name for step in STEPS.values() for f in step.form}
    assert sorted(declared - set(fields)) == [], "declared step fields the task does not have"
    inputs = {name for name, kwargs in fields.items()
              if not kwargs & {"related", "compute"} and name not in engine_fields | {"user_id"}}
    assert sorted(inputs - declared) == [], "task fields that no step declares"


def test_no_task_view_declares_a_step_by_hand():
    """The form's step section is built from STEPS (enforcement.task._get_view):
    a view that shows something for one step (``step_code != '…'``) is a
    second declaration, of a declared step or of none."""
    by_hand = [(file, view_id, el.tag, el.get("name"), value)
               for file, view_id, arch in _task_views() for el in arch.iter()
               for attr, value in el.attrib.items() if STEP_TEST.search(value)]
    assert by_hand == []


def test_the_task_form_has_one_empty_place_for_the_steps():
    places = [(view_id, el) for _file, view_id, arch in _task_views() for el in arch.iter("group")
              if el.get("name") == "step_fields"]
    assert [view_id for view_id, _el in places] == ["view_enforcement_task_form"]
    assert len(places[0][1]) == 0, "the steps' groups are generated, not written in the placeholder"


def test_every_step_field_rule_is_well_formed():
    """List views a step field names exist; a field's own rules name task fields."""
    xml_ids = {f"admin_enforcement.{r.get('id')}" for path in (ADDON_DIR / "views").glob("*.xml")
               for r in ET.parse(path).getroot().iter("record") if r.get("model") == "ir.ui.view"}
    fields, _engine = _task_fields()
    names = set(fields) | {"state", "step_code", "id"}
    for code, step in STEPS.items():
        for f in step.form:
            assert not f.list_view or f.list_view in xml_ids, f"{code}.{f.name}: no view {f.list_view}"
            for expr in (f.invisible, f.required, f.readonly):
                unknown = set(re.findall(r"\b[a-z_][a-z0-9_]*\b", re.sub(r"'[^']*'", "", expr))) - names - {"not", "and", "or", "in"}
                assert unknown == set(), f"{code}.{f.name}: {expr!r} names {unknown}"
