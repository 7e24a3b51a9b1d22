"""Project BPMN conventions: job types, id prefixes, diagram shapes, correlation keys."""

import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_core.bpmn_lint import lint_file

ADDON_DIR = Path(__file__).resolve().parents[2] / "addons" / "admin_enforcement"

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
    id="Definitions_penalty" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="enforcement_penalty" isExecutable="true">
    <bpmn:startEvent id="StartEvent_filed">
      <bpmn:messageEventDefinition id="MessageEventDefinition_1" messageRef="Message_case_filed" />
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_filed" targetRef="Task_check_team" />
    <bpmn:serviceTask id="Task_check_team">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="enforcement.case.check_team" retries="3" />
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_check_team" targetRef="Gateway_review" />
    <bpmn:exclusiveGateway id="Gateway_review" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Gateway_review" targetRef="Event_review_done" />
    <bpmn:intermediateCatchEvent id="Event_review_done">
      <bpmn:messageEventDefinition id="MessageEventDefinition_2" messageRef="Message_review_done" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Event_review_done" targetRef="Event_wait" />
    <bpmn:intermediateCatchEvent id="Event_wait">
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeDate>=due</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Event_wait" targetRef="EndEvent_done" />
    <bpmn:endEvent id="EndEvent_done" />
  </bpmn:process>
  <bpmn:message id="Message_case_filed" name="case_filed" />
  <bpmn:message id="Message_review_done" name="review_done">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=case_ref" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:error id="Error_cert_expired" errorCode="CERT_EXPIRED" />
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="enforcement_penalty">
      <bpmndi:BPMNShape id="StartEvent_filed_di" bpmnElement="StartEvent_filed"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_check_team_di" bpmnElement="Task_check_team"><dc:Bounds x="80" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Gateway_review_di" bpmnElement="Gateway_review"><dc:Bounds x="220" y="0" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_review_done_di" bpmnElement="Event_review_done"><dc:Bounds x="300" y="0" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_wait_di" bpmnElement="Event_wait"><dc:Bounds x="380" y="0" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_done_di" bpmnElement="EndEvent_done"><dc:Bounds x="460" y="0" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def write(tmp_path, text, name="process.bpmn"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_conforming_file_has_no_problems(tmp_path):
    assert lint_file(write(tmp_path, GOOD)) == []


@pytest.mark.parametrize(
    ("old", "new", "element_id", "fragment"),
    [
        ('type="enforcement.case.check_team"', 'type="check-team"', "Task_check_team", "does not match enforcement.<area>.<action>"),
        ('type="enforcement.case.check_team"', 'type="=job_type"', "Task_check_team", "is an expression; it must be static"),
        ('type="enforcement.case.check_team"', 'type="enforcement.Case.check"', "Task_check_team", "does not match"),
        ('<zeebe:taskDefinition type="enforcement.case.check_team" retries="3" />', "", "Task_check_team", "has no zeebe:taskDefinition"),
        ('id="Gateway_review"', 'id="ExclusiveGateway_0x1"', "ExclusiveGateway_0x1", "must start with Gateway_"),
        ('id="Flow_1"', 'id="SequenceFlow_1"', "SequenceFlow_1", "must start with Flow_"),
        ('id="Event_wait"', 'id="Timer_wait"', "Timer_wait", "must start with Event_"),
        ('id="Error_cert_expired"', 'id="CertExpired"', "CertExpired", "must start with Error_"),
        ('<bpmn:extensionElements><zeebe:subscription correlationKey="=case_ref" /></bpmn:extensionElements>', "", "Message_review_done", "no zeebe:subscription correlationKey"),
        ('correlationKey="=case_ref"', 'correlationKey=" "', "Message_review_done", "no zeebe:subscription correlationKey"),
        ('<bpmndi:BPMNShape id="Event_wait_di" bpmnElement="Event_wait"><dc:Bounds x="380" y="0" width="36" height="36" /></bpmndi:BPMNShape>', "", "Event_wait", "has no BPMNShape"),
    ],
)
def test_violations_are_reported_on_the_element(tmp_path, old, new, element_id, fragment):
    assert old in GOOD
    problems = lint_file(write(tmp_path, GOOD.replace(old, new)))
    assert any(p.element_id == element_id and fragment in p.message for p in problems), problems


def test_missing_diagram_is_reported(tmp_path):
    start, end = GOOD.index("  <bpmndi:BPMNDiagram"), GOOD.index("</bpmn:definitions>")
    problems = lint_file(write(tmp_path, GOOD[:start] + GOOD[end:]))
    assert [p.message for p in problems] == ["file has no BPMNDiagram; the modeler cannot display it"]


def test_malformed_xml_is_one_problem_naming_file_and_error(tmp_path):
    path = write(tmp_path, GOOD.replace("</bpmn:process>", ""), "broken.bpmn")
    problems = lint_file(path)
    assert len(problems) == 1
    assert "broken.bpmn" in problems[0].message and "not well-formed XML" in problems[0].message
    assert "line" in problems[0].message


def test_missing_file_and_foreign_root(tmp_path):
    assert "cannot read" in lint_file(str(tmp_path / "absent.bpmn"))[0].message
    assert "not bpmn:definitions" in lint_file(write(tmp_path, "<html/>"))[0].message


def test_cli_exit_codes(tmp_path):
    good, bad = write(tmp_path, GOOD, "good.bpmn"), write(tmp_path, "<oops", "bad.bpmn")

    def run(*files):
        return subprocess.run(
            [sys.executable, "-m", "enforcement_core.bpmn_lint", *files],
            capture_output=True, text=True, env={"PYTHONPATH": str(ADDON_DIR)},
        )

    assert run(good).returncode == 0
    failed = run(good, bad)
    assert failed.returncode == 1 and "bad.bpmn" in failed.stdout
    assert run().returncode == 2
