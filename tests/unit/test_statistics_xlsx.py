"""The statistics workbook as a reader opens it: title with agency and period,
merged group headers, a summary sheet with totals and one sheet per category."""

import io
from datetime import date, datetime, timezone
from decimal import Decimal

import openpyxl
import pytest

from enforcement_core.statistics import CategoryFigures, RemedyFigures, percent, totals
from services.statistics_xlsx import LABEL_KEYS, build_workbook

LABELS = {key: key for key in LABEL_KEYS} | {
    "category": "执法类别", "reconsideration": "行政复议", "litigation": "行政诉讼", "total": "合计",
    "summary": "汇总", "agency": "执法主体：", "period": "统计期间：", "manual": "手工填报", "computed": "系统统计",
}


def _values():
    penalty = CategoryFigures("penalty", cases=3, fine_total=Decimal("45000.00"), hearings=1, legal_reviews=2,
                              collective_decisions=1,
                              reconsideration=RemedyFigures(applied=3, maintained=2, revoked=1))
    licence = CategoryFigures("licence", cases=4, manual=True)
    reward = CategoryFigures("reward")
    figures = [penalty, licence, reward]
    total = totals(figures)

    def line(name, f, reason=""):
        return {"category": name, "manual": f.manual, "figures": f, "zero_reason": reason,
                "recon_rate": percent(f.reconsideration.corrected_rate),
                "litig_rate": percent(f.litigation.corrected_rate)}
    return {
        "title": "城关县市场监督管理局2026年度行政执法数据", "agency": "城关县市场监督管理局", "period": "2026年度",
        "due": date(2027, 1, 31), "submitted_at": datetime(2027, 1, 20, 2, 0, tzinfo=timezone.utc),
        "entry_hash": "ab" * 32,
        "lines": [line("行政处罚", penalty), line("行政许可", licence), line("行政奖励", reward, "本年度无奖励事项")],
        "total": total, "total_recon_rate": percent(total.reconsideration.corrected_rate),
        "total_litig_rate": percent(total.litigation.corrected_rate),
    }


def test_summary_and_one_sheet_per_category_with_title_merged_headers_and_totals():
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(_values(), LABELS)))
    assert book.sheetnames == ["汇总", "行政处罚", "行政许可", "行政奖励"]
    summary = book["汇总"]
    assert summary["A1"].value == "城关县市场监督管理局2026年度行政执法数据"
    assert "执法主体：城关县市场监督管理局" in summary["A2"].value and "统计期间：2026年度" in summary["A2"].value
    merged = {str(r) for r in summary.merged_cells.ranges}
    assert "A1:V1" in merged and "A3:A4" in merged
    assert "G3:M3" in merged and "N3:T3" in merged  # the 复议 and 诉讼 groups
    assert (summary["G3"].value, summary["N3"].value) == ("行政复议", "行政诉讼")
    rows = list(summary.iter_rows(min_row=5, max_row=8, values_only=True))
    assert [r[0] for r in rows] == ["行政处罚", "行政许可", "行政奖励", "合计"]
    assert rows[0][1:3] == (3, 45000)
    assert rows[3][1] == 7  # total cases
    assert rows[3][12] == "33.33%"  # correction rate of the total: 1 revoked of 3 concluded
    assert rows[1][-1] == "手工填报" and rows[0][-1] == "系统统计"
    assert rows[2][-2] == "本年度无奖励事项"
    reward = book["行政奖励"]
    assert reward["A1"].value == summary["A1"].value
    assert [r[0] for r in reward.iter_rows(min_row=5, max_row=5, values_only=True)] == ["行政奖励"]


def test_every_label_is_required():
    with pytest.raises(ValueError, match="total"):
        build_workbook(_values(), {k: v for k, v in LABELS.items() if k != "total"})
