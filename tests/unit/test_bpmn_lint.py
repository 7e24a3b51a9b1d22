"""Project BPMN conventions for Camunda 7 / Operaton: topics, retries, form keys,
JUEL, history time to live, messages and errors, id prefixes, diagram shapes."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from enforcement_core.bpmn_lint import contract, lint_file

ADDON_DIR = Path(__file__).resolve().parents[2] / "addons" / "admin_enforcement"

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:modeler="http://camunda.org/schema/modeler/1.0"
    id="Definitions_penalty" targetNamespace="http://bpmn.io/schema/bpmn"
    modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.24.0">
  <bpmn:process id="enforcement_penalty" isExecutable="true" camunda:historyTimeToLive="10950">
    <bpmn:startEvent id="StartEvent_filed">
      <bpmn:messageEventDefinition id="MessageEventDefinition_1" messageRef="Message_case_filed" />
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_filed" targetRef="Task_check_team" />
    <bpmn:serviceTask id="Task_check_team" camunda:type="external" camunda:topic="enforcement.case.check_team">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="retries" value="3" />
          <camunda:property name="retryBackoff" value="PT5S" />
        </camunda:properties>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="Event_team_invalid" attachedToRef="Task_check_team">
      <bpmn:errorEventDefinition id="ErrorEventDefinition_1" errorRef="Error_team_invalid" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_check_team" targetRef="Gateway_review" />
    <bpmn:exclusiveGateway id="Gateway_review" default="Flow_3" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Gateway_review" targetRef="Task_approve" />
    <bpmn:sequenceFlow id="Flow_skip" sourceRef="Gateway_review" targetRef="EndEvent_done">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${review_required == false}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:userTask id="Task_approve" camunda:formKey="enforcement:filing_approval"
        camunda:candidateGroups="admin_enforcement.group_enforcement_leader" camunda:dueDate="${filing_due}" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_approve" targetRef="Task_vote" />
    <bpmn:userTask id="Task_vote" camunda:formKey="enforcement:collective_vote"
        camunda:candidateGroups="admin_enforcement.group_enforcement_leader, admin_enforcement.group_enforcement_committee_member">
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">${member_count}</bpmn:loopCardinality>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Task_vote" targetRef="Task_count" />
    <bpmn:scriptTask id="Task_count" scriptFormat="juel" camunda:resultVariable="rounds">
      <bpmn:script>${rounds + 1}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="Flow_6" sourceRef="Task_count" targetRef="Activity_review" />
    <bpmn:callActivity id="Activity_review" calledElement="enforcement_review">
      <bpmn:extensionElements>
        <camunda:in businessKey="#{execution.processBusinessKey}" />
        <camunda:in variables="all" />
        <camunda:out variables="all" />
      </bpmn:extensionElements>
    </bpmn:callActivity>
    <bpmn:sequenceFlow id="Flow_7" sourceRef="Activity_review" targetRef="Event_review_done" />
    <bpmn:intermediateCatchEvent id="Event_review_done">
      <bpmn:messageEventDefinition id="MessageEventDefinition_2" messageRef="Message_review_done" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="Flow_8" sourceRef="Event_review_done" targetRef="Event_wait" />
    <bpmn:intermediateCatchEvent id="Event_wait">
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">${decision_due}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="Flow_9" sourceRef="Event_wait" targetRef="EndEvent_done" />
    <bpmn:endEvent id="EndEvent_done" />
  </bpmn:process>
  <bpmn:message id="Message_case_filed" name="case_filed" />
  <bpmn:message id="Message_review_done" name="review_done" />
  <bpmn:error id="Error_team_invalid" errorCode="CASE_TEAM_INVALID" />
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="enforcement_penalty">
      <bpmndi:BPMNShape id="StartEvent_filed_di" bpmnElement="StartEvent_filed"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_check_team_di" bpmnElement="Task_check_team"><dc:Bounds x="80" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_team_invalid_di" bpmnElement="Event_team_invalid"><dc:Bounds x="120" y="62" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Gateway_review_di" bpmnElement="Gateway_review"><dc:Bounds x="220" y="0" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_approve_di" bpmnElement="Task_approve"><dc:Bounds x="300" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_vote_di" bpmnElement="Task_vote"><dc:Bounds x="420" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_count_di" bpmnElement="Task_count"><dc:Bounds x="540" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Activity_review_di" bpmnElement="Activity_review"><dc:Bounds x="660" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_review_done_di" bpmnElement="Event_review_done"><dc:Bounds x="780" y="0" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_wait_di" bpmnElement="Event_wait"><dc:Bounds x="860" y="0" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_done_di" bpmnElement="EndEvent_done"><dc:Bounds x="940" y="0" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""

RETRIES = '<camunda:property name="retries" value="3" />'


def write(tmp_path, text, name="process.bpmn"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_conforming_file_has_no_problems(tmp_path):
    assert lint_file(write(tmp_path, GOOD)) == []


@pytest.mark.parametrize(
    ("old", "new", "element_id", "fragment"),
    [
        # the file is for Camunda 7, with nothing of Zeebe left
        ('modeler:executionPlatform="Camunda Platform"', 'modeler:executionPlatform="Camunda Cloud"',
         "Definitions_penalty", "not 'Camunda Platform'"),
        # history time to live
        (' camunda:historyTimeToLive="10950"', "", "enforcement_penalty", "no camunda:historyTimeToLive"),
        ('camunda:historyTimeToLive="10950"', 'camunda:historyTimeToLive="30 years"', "enforcement_penalty",
         "neither a number of days nor P<n>D"),
        ('isExecutable="true"', 'isExecutable="false"', "enforcement_penalty", "not executable"),
        # external tasks
        ('camunda:topic="enforcement.case.check_team"', 'camunda:topic="check-team"', "Task_check_team",
         "does not match enforcement.<area>.<action>"),
        ('camunda:topic="enforcement.case.check_team"', 'camunda:topic="${topic}"', "Task_check_team",
         "is an expression; it must be static"),
        ('camunda:topic="enforcement.case.check_team"', 'camunda:topic="enforcement.Case.check"', "Task_check_team",
         "does not match"),
        (' camunda:topic="enforcement.case.check_team"', "", "Task_check_team", "has no camunda:topic"),
        ('camunda:type="external"', 'camunda:class="org.example.Delegate"', "Task_check_team",
         "is not an external task"),
        (RETRIES, "", "Task_check_team", "has no retries extension property"),
        (RETRIES, '<camunda:property name="retries" value="three" />', "Task_check_team", "not a whole number"),
        ('value="PT5S"', 'value="5s"', "Task_check_team", "not an ISO-8601 duration"),
        # user tasks
        (' camunda:formKey="enforcement:filing_approval"', "", "Task_approve", "has no camunda:formKey"),
        ('camunda:formKey="enforcement:filing_approval"', 'camunda:formKey="embedded:app:forms/a.html"',
         "Task_approve", "does not match enforcement:<step>"),
        ('camunda:candidateGroups="admin_enforcement.group_enforcement_leader" ', 'camunda:candidateGroups=" " ',
         "Task_approve", "has no camunda:candidateGroups"),
        ('camunda:dueDate="${filing_due}"', 'camunda:dueDate="${filing_due}" camunda:assignee="demo"',
         "Task_approve", "names users in the model"),
        ('camunda:dueDate="${filing_due}"', 'camunda:dueDate="=filing_due"', "Task_approve",
         "is not a JUEL expression"),
        # JUEL, not FEEL
        ("${review_required == false}", "= review_required = false", "Flow_skip", "is FEEL"),
        ("${review_required == false}", "review_required == false", "Flow_skip", "is not a JUEL expression"),
        (">${decision_due}<", ">=decision_due<", "Event_wait", "is FEEL"),
        ("${decision_due}", "", "Event_wait", "is empty"),
        (">${member_count}<", ">=member_count<", "Task_vote", "is FEEL"),
        ('<bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">${member_count}</bpmn:loopCardinality>', "",
         "Task_vote", "has no loopCardinality"),
        ("<bpmn:multiInstanceLoopCharacteristics>",
         '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${member_ids}" camunda:elementVariable="m">',
         "Task_vote", "without Spin JSON"),
        ('scriptFormat="juel"', 'scriptFormat="javascript"', "Task_count", "the engine build has only 'juel'"),
        ("<bpmn:script>${rounds + 1}</bpmn:script>", "<bpmn:script>rounds + 1</bpmn:script>", "Task_count",
         "has no JUEL script"),
        # call activities
        ('calledElement="enforcement_review"', 'calledElement="${child}"', "Activity_review",
         "needs a static calledElement"),
        ('<camunda:in businessKey="#{execution.processBusinessKey}" />', "", "Activity_review",
         "does not pass the business key"),
        # messages and errors
        ('<bpmn:message id="Message_review_done" name="review_done" />',
         '<bpmn:message id="Message_review_done" name="review_done" /><bpmn:message id="Message_unused" name="x" />',
         "Message_unused", "not used by any event"),
        ('id="Message_review_done" name="review_done"', 'id="Message_review_done" name=""', "Message_review_done",
         "has no name"),
        ('messageRef="Message_review_done"', 'messageRef="Message_other"', "MessageEventDefinition_2",
         "refers to no message of the file"),
        ('errorCode="CASE_TEAM_INVALID"', 'errorCode=""', "Error_team_invalid", "has no errorCode"),
        ('<bpmn:error id="Error_team_invalid" errorCode="CASE_TEAM_INVALID" />',
         '<bpmn:error id="Error_team_invalid" errorCode="CASE_TEAM_INVALID" />'
         '<bpmn:error id="Error_uncaught" errorCode="OOPS" />',
         "Error_uncaught", "caught by no boundary event"),
        ('errorRef="Error_team_invalid"', 'errorRef="Error_missing"', "ErrorEventDefinition_1",
         "refers to no error of the file"),
        # ids and diagram
        ('id="Gateway_review"', 'id="ExclusiveGateway_0x1"', "ExclusiveGateway_0x1", "must start with Gateway_"),
        ('id="Flow_1"', 'id="SequenceFlow_1"', "SequenceFlow_1", "must start with Flow_"),
        ('id="Event_wait"', 'id="Timer_wait"', "Timer_wait", "must start with Event_"),
        ('id="Error_team_invalid"', 'id="TeamInvalid"', "TeamInvalid", "must start with Error_"),
        ('<bpmndi:BPMNShape id="Event_wait_di" bpmnElement="Event_wait"><dc:Bounds x="860" y="0" width="36" '
         'height="36" /></bpmndi:BPMNShape>', "", "Event_wait", "has no BPMNShape"),
    ],
)
def test_violations_are_reported_on_the_element(tmp_path, old, new, element_id, fragment):
    assert old in GOOD
    problems = lint_file(write(tmp_path, GOOD.replace(old, new, 1)))
    assert any(p.element_id == element_id and fragment in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "element_id", "fragment"),
    [
        (RETRIES, RETRIES + '</camunda:properties><zeebe:taskDefinition type="x" /><camunda:properties>',
         "Task_check_team", "zeebe:taskDefinition is a Zeebe extension"),
        ('camunda:resultVariable="rounds"', 'camunda:resultVariable="rounds" zeebe:retries="1"',
         "Task_count", "attribute zeebe:retries"),
    ],
)
def test_zeebe_leftovers_are_reported(tmp_path, old, new, element_id, fragment):
    zeebe = GOOD.replace("xmlns:modeler=", 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler=')
    assert lint_file(write(tmp_path, zeebe)) == [], "a declared, unused namespace is harmless"
    problems = lint_file(write(tmp_path, zeebe.replace(old, new, 1)))
    assert any(p.element_id == element_id and fragment in p.message for p in problems), problems


def test_contract_lists_topics_form_keys_and_messages():
    found = contract(ET.fromstring(GOOD))
    assert found.topics == {"Task_check_team": "enforcement.case.check_team"}
    assert found.form_keys == {"Task_approve": "enforcement:filing_approval", "Task_vote": "enforcement:collective_vote"}
    assert found.messages == {"case_filed", "review_done"}


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


def test_project_files_pass():
    """The processes the product deploys pass the project's own rules."""
    files = sorted((ADDON_DIR.parents[1] / "bpmn").glob("*.bpmn"))
    assert {"case_filing.bpmn", "collective_decision.bpmn", "legal_review.bpmn", "penalty_ordinary.bpmn",
            "publication.bpmn", "penalty_simple.bpmn",
            "inspection_random.bpmn", "inspection.bpmn", "remedy_duties.bpmn",
            "coercive_seizure.bpmn"} <= {f.name for f in files}
    assert {f.name: lint_file(str(f)) for f in files} == {f.name: [] for f in files}
