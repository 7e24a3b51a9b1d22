"""Flowcharts a person can read: Chinese step names wrapped where a reader
expects, boxes that hold their names, a chart that scales to the screen, and
a case's chart that says which steps are done, which is current and what
may come next (drawn from the product's own BPMN files)."""

from pathlib import Path

import pytest
from lxml import etree

from enforcement_core import flowchart
from enforcement_core.flowchart import CURRENT, DONE, INCIDENT, NEXT, Event, wrap_label

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
SVG = "{http://www.w3.org/2000/svg}"


def diagram(name, process_id):
    return flowchart.parse_diagram((BPMN / f"{name}.bpmn").read_text(), process_id)


@pytest.fixture(scope="module")
def penalty():
    return diagram("penalty_ordinary", "enforcement_penalty_ordinary")


@pytest.fixture(scope="module")
def filing():
    return diagram("case_filing", "enforcement_case_filing")


# ----- wrapping -----

def test_a_short_name_stays_on_one_line():
    assert wrap_label("调查取证", 7) == ["调查取证"]


def test_chinese_wraps_between_characters_within_the_width():
    lines = wrap_label("计算陈述申辩和听证申请期限", 7)
    assert "".join(lines) == "计算陈述申辩和听证申请期限"
    assert all(len(line) <= 7 for line in lines)
    assert len(lines) == 2


def test_brackets_move_as_a_whole_and_a_line_prefers_to_end_at_punctuation():
    assert wrap_label("听证通知（提前七日）", 7) == ["听证通知", "（提前七日）"]
    assert wrap_label("核查执法人员（两名以上持证，无回避情形）", 7) == [
        "核查执法人员", "（两名以上持证，", "无回避情形）"]
    assert wrap_label("期限届满：批准延长或督办", 7) == ["期限届满：", "批准延长或督办"]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation():
    text = "对违法行为（情节轻微）、（首次违法）的处罚，应当“依法”从轻。"
    for width in range(3, 12):
        lines = wrap_label(text, width)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] not in "，。、；：）”", (width, lines)
            assert line[-1] not in "（“", (width, lines)


def test_latin_words_and_numbers_are_never_split():
    lines = wrap_label("罚款5000元以下（含5000元）", 5)
    assert "5000" in "|".join(lines) and all("5000" in line or "5" not in line for line in lines)
    assert wrap_label("PDF文书生成", 2.5) == ["PDF", "文书", "生成"]
    text = "Check case team (2 certified officers)"
    for width in (3, 5, 8):
        lines = wrap_label(text, width)
        assert " ".join(lines) == text
        for word in text.split():
            assert any(word in line.split() for line in lines), (word, lines)


def test_a_word_wider_than_the_line_gets_its_own_line_unsplit():
    assert wrap_label("统一社会信用代码91620102MA74XYZ123", 6) == ["统一社会信用", "代码", "91620102MA74XYZ123"]


def test_no_lone_character_on_the_last_line():
    # filling each line would leave "求" alone: "执法人员不符合要" / "求"
    assert wrap_label("执法人员不符合要求", 8) == ["执法人员不符合", "要求"]


# ----- the diagram and the SVG -----

def test_the_chart_fits_its_container_and_every_name_fits_its_box(penalty):
    svg = etree.fromstring(flowchart.render_svg(penalty).encode())
    assert svg.get("width") == "100%"
    assert svg.get("viewBox").count(" ") == 3
    assert "height:auto" in svg.get("style")
    for group in svg.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        text = group.find(f"{SVG}text")
        if group.get("class", "").split()[0] not in ("userTask", "serviceTask", "callActivity") or text is None:
            continue
        width = float(rect.get("width"))
        height = float(rect.get("height"))
        size = float(text.get("font-size"))
        lines = [span.text for span in text.iter(f"{SVG}tspan")]
        assert len(lines) * size * 1.25 <= height, group.get("data-id")
        for line in lines:
            assert flowchart._fit_width(flowchart._tokens(line)) * size <= width - 2 * flowchart.PAD + 0.01, line


def test_a_long_name_grows_its_box_around_its_centre():
    box, lines, size = flowchart.fit_box("一二三四五六七八九十" * 6, (100, 100, 100, 80))
    assert size == 10
    x, y, w, h = box
    assert h >= len(lines) * size * 1.25 and h > 80
    assert x + w / 2 == 150 and y + h / 2 == 140


def test_names_are_escaped():
    xml = (BPMN / "case_filing.bpmn").read_text().replace('name="立案审批"', 'name="&lt;script&gt;审批&amp;"')
    svg = flowchart.render_svg(flowchart.parse_diagram(xml, "enforcement_case_filing"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_only_the_process_plane_is_drawn_and_a_missing_one_is_named():
    with pytest.raises(flowchart.DiagramError) as error:
        flowchart.parse_diagram((BPMN / "case_filing.bpmn").read_text(), "enforcement_legal_review")
    assert error.value.code == "no_diagram"
    with pytest.raises(flowchart.DiagramError):
        flowchart.parse_xml("<bpmn")


# ----- where a case stands -----

FILED_AND_INVESTIGATED = [
    Event("task_opened", "Task_ApproveFiling"), Event("task_completed", "Task_ApproveFiling"),
    Event("service_task", "Task_AssignNumber"), Event("service_task", "Task_ComputeDecisionDue"),
    Event("service_task", "Task_AssignOfficers"), Event("task_opened", "Task_Investigation"),
    Event("task_completed", "Task_Investigation"), Event("task_opened", "Task_InvestigationReport"),
]


def test_history_says_what_is_done_current_or_failed():
    states = flowchart.step_states(FILED_AND_INVESTIGATED, ["Task_InvestigationReport"])
    assert states == {"Task_AssignNumber": DONE, "Task_ApproveFiling": DONE, "Task_ComputeDecisionDue": DONE,
                      "Task_AssignOfficers": DONE, "Task_Investigation": DONE, "Task_InvestigationReport": CURRENT}
    failed_then_ran = [Event("incident", "Task_AssignNumber"), Event("service_task", "Task_AssignNumber")]
    assert flowchart.step_states(failed_then_ran, []) == {"Task_AssignNumber": DONE}
    assert flowchart.step_states(list(reversed(failed_then_ran)), []) == {"Task_AssignNumber": INCIDENT}
    # a task the process ended (an interrupting timer) was not done
    assert flowchart.step_states([Event("task_cancelled", "Task_FixTeam")], []) == {}


def test_a_case_mid_procedure_has_its_steps_done_current_and_next(penalty, filing):
    states = flowchart.step_states(FILED_AND_INVESTIGATED, ["Task_InvestigationReport"])
    progress = flowchart.mark_progress(penalty, states, {"enforcement_case_filing": filing.element_ids})
    assert sorted(progress.ids(DONE)) == ["Activity_CaseFiling", "Task_AssignOfficers", "Task_ComputeDecisionDue",
                                          "Task_Investigation"]
    assert set(progress.ids(CURRENT)) == {"Task_InvestigationReport", "SubProcess_DecisionPeriod"}
    # after the report: the review catalogue check (a penalty is proposed), the decision (no penalty), or,
    # for a suspected crime, the transfer to public security (the error end leaves through its boundary event)
    assert set(progress.ids(NEXT)) == {"Task_EvaluateReview", "Task_Decision", "Task_CrimeTransfer"}
    assert "Task_PriorNotice" not in progress.status and "Task_FixTeam" not in progress.status
    assert {"StartEvent_CaseCreated", "Gateway_Filed", "StartEvent_Handling", "Gateway_TeamMerge"} <= progress.passed
    assert "EndEvent_NotFiled" not in progress.passed
    assert {"Flow_ToFiling", "Flow_Filed", "Flow_ToInvestigation", "Flow_ToInvestigationReport"} <= progress.taken
    assert "Flow_NotFiled" not in progress.taken and "Flow_ToFixTeam" not in progress.taken


def test_a_case_at_filing_approval_stands_in_the_called_process(penalty, filing):
    states = flowchart.step_states([Event("task_opened", "Task_ApproveFiling")], ["Task_ApproveFiling"])
    main = flowchart.mark_progress(penalty, states, {"enforcement_case_filing": filing.element_ids})
    assert main.status == {"Activity_CaseFiling": CURRENT, "Task_ComputeDecisionDue": NEXT}
    assert main.taken == {"Flow_ToFiling"}
    child = flowchart.mark_progress(filing, states)
    # the number is given once filing is approved
    assert child.status == {"Task_ApproveFiling": CURRENT, "Task_AssignNumber": NEXT}
    assert child.taken == {"Flow_ToApproveFiling"}


def test_while_a_system_step_runs_what_follows_the_last_step_done_is_next(penalty, filing):
    events = FILED_AND_INVESTIGATED[:5]
    states = flowchart.step_states(events, [])
    progress = flowchart.mark_progress(penalty, states, {"enforcement_case_filing": filing.element_ids},
                                       last_done="Task_AssignOfficers")
    assert progress.ids(NEXT) == ["Task_Investigation"]
    assert not progress.ids(CURRENT)


def test_a_failed_step_is_marked_and_a_closed_case_has_nothing_next(penalty):
    states = flowchart.step_states([Event("incident", "Task_ComputeDecisionDue")], [])
    assert flowchart.mark_progress(penalty, states).status["Task_ComputeDecisionDue"] == INCIDENT
    closed = flowchart.step_states([Event("task_completed", "Task_Closing"), Event("service_task", "Task_ArchiveSeal")],
                                   [])
    progress = flowchart.mark_progress(penalty, closed, last_done="Task_ArchiveSeal")
    assert not progress.ids(NEXT)
    assert "EndEvent_Closed" in progress.passed


def test_the_case_chart_marks_each_step_and_can_show_the_part_around_the_current_step(penalty, filing):
    states = flowchart.step_states(FILED_AND_INVESTIGATED, ["Task_InvestigationReport"])
    progress = flowchart.mark_progress(penalty, states, {"enforcement_case_filing": filing.element_ids})
    svg = etree.fromstring(flowchart.render_svg(penalty, progress, id_prefix="c1",
                                                status_labels={CURRENT: "当前步骤"}).encode())
    groups = {g.get("data-id"): g for g in svg.iter(f"{SVG}g") if g.get("data-id")}
    assert groups["Task_InvestigationReport"].get("data-status") == CURRENT
    assert groups["Task_InvestigationReport"].find(f"{SVG}title").text == "调查终结报告 · 当前步骤"
    assert groups["Task_Investigation"].get("data-status") == DONE
    assert groups["Task_Decision"].get("data-status") == NEXT
    assert groups["Task_Closing"].get("data-status") is None
    assert "taken" in groups["Flow_ToInvestigation"].get("class")
    assert svg.find(f"{SVG}defs/{SVG}marker").get("id").startswith("c1-")
    window = flowchart.current_window(penalty, progress)
    report = penalty.shapes["Task_InvestigationReport"].box
    assert window[0] < report[0] and report[0] + report[2] < window[0] + window[2]
    assert window[1] < report[1] and report[1] + report[3] < window[1] + window[3]
    assert window[3] < flowchart.extent(penalty)[3]
    assert window[2] < flowchart.extent(penalty)[2] / 3
    cropped = etree.fromstring(flowchart.render_svg(penalty, progress, view=window).encode())
    assert cropped.get("viewBox").split()[0] == flowchart._n(window[0])
