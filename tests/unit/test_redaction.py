"""Redaction for publication: no personal data of the original left in the output."""

import pytest

from enforcement_core.redaction import (
    ADDRESS,
    BANK_ACCOUNT,
    ID_NUMBER,
    LANDLINE,
    MARKED,
    MOBILE,
    PERSON_NAME,
    RedactionRules,
    mask_address,
    mask_name,
    redact,
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """A valid-looking 18-digit ID: GB 11643 check character appended."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


ID_A = resident_id("11010119900307123")
ID_X = next(resident_id(f"3301061985052{i:04d}") for i in range(10000) if resident_id(f"3301061985052{i:04d}").endswith("X"))
ID_15 = "330106850523123"
ORG_USCC = "913301066739878005"  # all-digit code, published as is

DECISION = f"""杭州市西湖区市场监督管理局
行政处罚决定书
杭西市监处罚〔2026〕12号

当事人：张三丰，男，身份证号：{ID_A}，住址：浙江省杭州市西湖区文三路123号，联系电话：13812345678。
委托代理人：欧阳娜娜，身份证号码{ID_X}，电话0571-88886666。
证人李四（旧身份证号 {ID_15}）陈述：张三丰在杭州三丰贸易有限公司（统一社会信用代码 {ORG_USCC}）门店内销售过期食品。
罚款请汇入当事人账户 6222021234567890123 退还多缴部分；张三丰已于2026年3月2日签收。
"""


def run(**kwargs):
    return redact(
        DECISION,
        person_names=["张三丰", "欧阳娜娜", "李四"],
        addresses=["浙江省杭州市西湖区文三路123号"],
        organisations=["杭州三丰贸易有限公司", ORG_USCC],
        **kwargs,
    )


@pytest.mark.parametrize(
    "original",
    ["张三丰", "欧阳娜娜", "李四", ID_A, ID_X, ID_15, "13812345678", "0571-88886666", "88886666",
     "文三路123号", "文三路", "6222021234567890123", "三丰在", "娜娜"],
)
def test_no_original_left(original):
    assert original not in run().text


@pytest.mark.parametrize(
    "kept",
    ["张某某", "欧阳某某", "李某", "浙江省杭州市西湖区***", "杭州三丰贸易有限公司", ORG_USCC,
     "杭西市监处罚〔2026〕12号", "2026年3月2日", "杭州市西湖区市场监督管理局"],
)
def test_published_parts_kept(kept):
    assert kept in run().text


def test_redactions_are_listed_for_review_with_original_spans():
    result = run()
    kinds = [r.kind for r in result.redactions]
    assert kinds.count(PERSON_NAME) == 5  # 张三丰 three times, 欧阳娜娜, 李四
    assert kinds.count(ID_NUMBER) == 3
    assert {MOBILE, LANDLINE, ADDRESS, BANK_ACCOUNT} <= set(kinds)
    for r in result.redactions:
        assert DECISION[r.start : r.end] == r.original
    assert [r.start for r in result.redactions] == sorted(r.start for r in result.redactions)


def test_kinds_can_be_switched_off():
    result = run(rules=RedactionRules(frozenset({PERSON_NAME, ID_NUMBER})))
    assert "13812345678" in result.text and "0571-88886666" in result.text
    assert "张三丰" not in result.text and ID_A not in result.text


def test_marked_spans_are_redacted():
    start = DECISION.index("销售过期食品")
    result = run(marked_spans=[(start, start + 6)])
    assert "销售过期食品" not in result.text
    assert any(r.kind == MARKED and r.original == "销售过期食品" for r in result.redactions)


def test_marked_span_overlapping_a_name_leaves_neither_readable():
    start = DECISION.index("张三丰在") + 2  # 丰在杭州
    result = redact(DECISION, person_names=["张三丰"], marked_spans=[(start, start + 4)])
    assert "张三丰" not in result.text and "在杭州三丰" not in result.text


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三丰", "张某某"), ("张三", "张某"), ("欧阳娜娜", "欧阳某某"), ("欧阳娜", "欧阳某"), ("司马光", "司马某"), ("欧阳", "欧某")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("浙江省杭州市西湖区文三路123号", "浙江省杭州市西湖区***"),
        ("北京市朝阳区建国路88号院3号楼", "北京市朝阳区***"),
        ("浙江省金华市义乌市稠城街道工人北路5号", "浙江省金华市义乌市***"),
        ("广西壮族自治区南宁市青秀区民族大道1号", "广西壮族自治区南宁市青秀区***"),
        ("浙江省淳安县千岛湖镇新安大街1号", "浙江省淳安县***"),
        ("文三路123号", "***"),
    ],
)
def test_mask_address(address, masked):
    assert mask_address(address) == masked


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("电话+86 13912345678。", MOBILE),
        ("座机(010)12345678转", LANDLINE),
        ("卡号 6222 0212 3456 7890 123 。", BANK_ACCOUNT),
        ("账号6222021234567890", BANK_ACCOUNT),
        (f"证号{resident_id('44030419991231001')}", ID_NUMBER),
    ],
)
def test_number_patterns(text, kind):
    result = redact(text)
    assert [r.kind for r in result.redactions] == [kind]
    assert not any(ch.isdigit() for ch in result.text)


@pytest.mark.parametrize(
    "text",
    ["罚款人民币50000元", "案号2026001234", "日期20260302", "没收违法所得12345.67元"],
)
def test_ordinary_figures_are_not_redacted(text):
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"person_names": ["张"]}, "too short"),
        ({"marked_spans": [(5, 3)]}, r"marked span \(5, 3\) is outside"),
        ({"marked_spans": [(0, 10_000)]}, "outside the text"),
    ],
)
def test_bad_inputs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        redact("当事人张三", **kwargs)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match=r"unknown redaction kind\(s\) \['email'\]"):
        RedactionRules(frozenset({"email"}))
