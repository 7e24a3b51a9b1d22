"""Document numbers from per-bureau patterns."""

import pytest

from enforcement_core.numbering import NumberPatternError, format_number


@pytest.mark.parametrize(
    ("pattern", "kwargs", "expected"),
    [
        ("{short}市监处罚〔{year}〕{seq}号", {}, "杭西市监处罚〔2026〕12号"),
        ("{short}市监处罚〔{year}〕{seq:04d}号", {}, "杭西市监处罚〔2026〕0012号"),
        ("{short}{category}〔{year}〕{seq:03d}号", {"category": "立"}, "杭西立〔2026〕012号"),
    ],
)
def test_format(pattern, kwargs, expected):
    assert format_number(pattern, short="杭西", year=2026, seq=12, **kwargs) == expected


@pytest.mark.parametrize(
    ("pattern", "seq", "message"),
    [
        ("{short}〔{yaer}〕{seq}号", 1, r"unknown placeholder \{yaer\}; allowed: \{category\}, \{seq\}, \{short\}, \{year\}"),
        ("{short}〔{year}〕{}号", 1, r"unknown placeholder \{\}"),
        ("{short.upper}〔{year}〕{seq}号", 1, r"unknown placeholder \{short.upper\}"),
        ("{short}〔{year}〕号", 1, r"has no \{seq\}"),
        ("{short}〔{year}〕{seq", 1, "is malformed"),
        ("{short!r}{seq}", 1, "conversion !r"),
        ("{short:04d}{seq}", 1, "cannot be filled"),
        ("{category}{seq}", 1, "needs a category"),
        ("{short}{seq}", 0, "must be >= 1"),
    ],
)
def test_refused(pattern, seq, message):
    with pytest.raises(NumberPatternError, match=message):
        format_number(pattern, short="杭西", year=2026, seq=seq)
