"""Tiny BPMN processes written for the engine tests, in the camunda:
namespace that Operaton reads (as Camunda Modeler's Camunda 7 mode writes)."""
from __future__ import annotations

from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                  id="Definitions_{key}" targetNamespace="https://admin-enforcement.example/test">"""

# message start → external task → user task → timer (timeDate) → end
CASE_PROCESS_KEY = "engine_test_case"
CASE_START_MESSAGE = "Message_EngineTestCaseFiled"
CASE_TOPIC = "enforcement.test.check_case"
CASE_USER_TASK = "Task_ApproveFiling"
CASE_TIMER = "Timer_Deadline"
CASE_BPMN = HEADER.format(key=CASE_PROCESS_KEY) + f"""
  <bpmn:message id="{CASE_START_MESSAGE}" name="{CASE_START_MESSAGE}" />
  <bpmn:process id="{CASE_PROCESS_KEY}" name="引擎测试案件" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="StartEvent_Filed">
      <bpmn:messageEventDefinition messageRef="{CASE_START_MESSAGE}" />
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Filed" targetRef="Task_CheckCase" />
    <bpmn:serviceTask id="Task_CheckCase" name="检查案件" camunda:type="external" camunda:topic="{CASE_TOPIC}">
      <bpmn:extensionElements>
        <camunda:properties><camunda:property name="retries" value="3" /></camunda:properties>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_CheckCase" targetRef="{CASE_USER_TASK}" />
    <bpmn:userTask id="{CASE_USER_TASK}" name="立案审批" camunda:formKey="enforcement:filing_approval"
                   camunda:candidateGroups="admin_enforcement.group_enforcement_leader"
                   camunda:dueDate="${{deadline}}" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="{CASE_USER_TASK}" targetRef="{CASE_TIMER}" />
    <bpmn:intermediateCatchEvent id="{CASE_TIMER}" name="期限届满">
      <bpmn:timerEventDefinition><bpmn:timeDate>${{deadline}}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="Flow_4" sourceRef="{CASE_TIMER}" targetRef="EndEvent_Done" />
    <bpmn:endEvent id="EndEvent_Done" />
  </bpmn:process>
</bpmn:definitions>
"""

# start → external task → end: work for the two-node cluster test
STEP_PROCESS_KEY = "engine_test_step"
STEP_TOPIC = "enforcement.test.one_step"
STEP_BPMN = HEADER.format(key=STEP_PROCESS_KEY) + f"""
  <bpmn:process id="{STEP_PROCESS_KEY}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_OneStep" />
    <bpmn:serviceTask id="Task_OneStep" name="一步" camunda:type="external" camunda:topic="{STEP_TOPIC}" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_OneStep" targetRef="EndEvent_1" />
    <bpmn:endEvent id="EndEvent_1" />
  </bpmn:process>
</bpmn:definitions>
"""


def write(directory: Path, name: str, xml: str) -> Path:
    path = directory / name
    path.write_text(xml, encoding="utf-8")
    return path
