"""A leader opens a case mid-procedure and sees on its form where it stands:
the procedure's flowchart with the steps done, the current step and what
may come next, in Chinese, drawn from the deployed BPMN and the case's history."""

import re
from pathlib import Path

from lxml import html

from odoo.tests import tagged

from ..services.user_tasks import OpenedUserTask
from .chinese import load_chinese
from .test_case_gates import PREFIX, CaseCommon

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
PROCESSES = {
    "enforcement_penalty_ordinary": "penalty_ordinary.bpmn",
    "enforcement_case_filing": "case_filing.bpmn",
    "enforcement_legal_review": "legal_review.bpmn",
    "enforcement_penalty_simple": "penalty_simple.bpmn",
}


@tagged("post_install", "-at_install")
class TestCaseFlowchart(CaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.user_leader.lang = "zh_CN"
        cls.env["enforcement.process.definition"].record_deployment([
            {"bpmn_process_id": pid, "version": 1, "xml": (BPMN_DIR / name).read_text(), "resource_name": name}
            for pid, name in PROCESSES.items()
        ])

    def _open(self, case, element_id, step_code, group="officer"):
        """A user task as the worker opens it, with the BPMN element the engine names."""
        return self.env["enforcement.task"]._open_from_engine(OpenedUserTask(
            task_id=str(next(self._job_keys)), process_instance_id="pi-flowchart", element_id=element_id,
            step_code=step_code, candidate_groups=(f"{PREFIX}{group}",), assignee=None, due=None,
            case_id=case.id, variables={},
        ))

    def _system_step(self, case, element_id, name):
        """A system step as the worker records it (workers/runtime.py record_step)."""
        self.env["enforcement.process.event"].sudo().create({
            "case_id": case.id, "kind": "service_task", "step": element_id, "step_name": name,
            "job_key": f"ext-{element_id}",
        })

    def _statuses(self, page, chart_index=0):
        """Element id -> data-status of each step of the chart (the full one, not the part around the step)."""
        charts = page.xpath("//div[contains(@class, 'fc-full')]//*[local-name()='svg']")
        return {g.get("data-id"): g.get("data-status") for g in charts[chart_index].iter()
                if g.get("data-id")}

    def test_a_simple_procedure_case_shows_the_simple_procedure(self):
        case = self._case(procedure="simple", party_type="person", party_name="张三")
        self._team(case, self.officer_1, self.officer_2)
        self._open(case, "Task_SimpleOnSite", "simple_onsite")
        page = html.fromstring(str(case.with_user(self.user_leader).with_context(lang="zh_CN").flowchart_html))
        main = self._statuses(page)
        self.assertEqual(main["Task_SimpleOnSite"], "current")
        self.assertNotIn("Activity_CaseFiling", main, "a simple case has no filing (立案) step")

    def test_a_case_mid_procedure_shows_done_current_and_next_steps_in_chinese(self):
        case = self._case()
        self._team(case, self.officer_1, self.officer_2)
        approval = self._open(case, "Task_ApproveFiling", "filing_approval", "leader")
        self._complete(approval, self.user_leader, filing_approved=True)
        self._system_step(case, "Task_AssignNumber", "编立案号")
        self._system_step(case, "Task_ComputeDecisionDue", "计算办案期限")
        self._system_step(case, "Task_AssignOfficers", "核查执法人员")
        investigation = self._open(case, "Task_Investigation", "investigation")
        self._complete(investigation, self.user_officer_1, evidence_summary="现场检查笔录一份")
        self._open(case, "Task_InvestigationReport", "investigation_report")

        as_leader = case.with_user(self.user_leader).with_context(lang="zh_CN")
        source = as_leader.flowchart_html
        page = html.fromstring(str(source))
        main = self._statuses(page)
        self.assertEqual(main["Task_InvestigationReport"], "current")
        for step in ("Activity_CaseFiling", "Task_ComputeDecisionDue", "Task_AssignOfficers", "Task_Investigation"):
            self.assertEqual(main[step], "done", step)
        self.assertEqual(main["Task_Decision"], "next")
        for step in ("Task_PriorNotice", "Task_ServeDecision", "Task_Closing", "Task_FixTeam"):
            self.assertIsNone(main[step], f"{step} is not reached yet")

        # The called filing process is drawn too, with its steps done.
        filing = self._statuses(page, 1)
        self.assertEqual((filing["Task_ApproveFiling"], filing["Task_AssignNumber"]), ("done", "done"))
        self.assertEqual(len(page.xpath("//div[contains(@class, 'fc-full')]")), 2, "法制审核 is not entered yet")

        for style in page.xpath("//style"):
            style.drop_tree()
        text = " ".join(page.text_content().split())
        self.assertRegex(text, r"当前环节：\s*调查终结报告")
        self.assertRegex(text, r"下一步：\s*对照法制审核目录、作出处罚决定")
        self.assertIn("作出处罚决定", text)
        for legend in ("已完成", "当前环节", "可能的下一步", "尚未进行", "已走过的路径", "当前环节附近", "适应宽度", "原大"):
            self.assertIn(legend, text)
        self.assertIn("调查终结报告", source)
        self.assertIn("一般程序行政处罚", source)
        # What the leader reads contains no English word (ids and CSS are not read).
        self.assertFalse(re.findall(r"[A-Za-z]{3,}", text), text)

        # The part around the current step is shown first, and it holds the current step.
        near = page.xpath("//div[contains(@class, 'fc-crop')]//*[local-name()='svg']")[0]
        self.assertIn("Task_InvestigationReport", [g.get("data-id") for g in near.iter() if g.get("data-status")])
        self.assertEqual(page.xpath("//input[contains(@class, 'fc-near')]")[0].get("checked"), "checked")

    def test_a_case_before_any_deployment_says_so(self):
        self.env["enforcement.process.definition"].search([]).unlink()
        text = self._case().with_user(self.user_leader).with_context(lang="zh_CN").flowchart_html
        self.assertIn("流程尚未部署", str(text))

    def test_step_names_from_the_bpmn_are_escaped(self):
        definition = self.env["enforcement.process.definition"].search(
            [("bpmn_process_id", "=", "enforcement_case_filing")])
        definition.sudo().xml = definition.xml.replace('name="立案审批"', 'name="&lt;img src=x onerror=alert(1)&gt;"')
        case = self._case()
        self._open(case, "Task_ApproveFiling", "filing_approval", "leader")
        source = str(case.with_user(self.user_leader).flowchart_html)
        self.assertNotIn("<img", source)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", source)
