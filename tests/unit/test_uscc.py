"""USCC validation names the code and what is wrong with it."""

import pytest

from enforcement_core.uscc import InvalidUSCC, validate_uscc


@pytest.mark.parametrize(
    ("code", "compact"),
    [("91110000600037341L", "91110000600037341L"), ("9111 0000 6000 3734 1l", "91110000600037341L")],
)
def test_valid(code, compact):
    assert validate_uscc(code) == compact


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341", "has 17 characters, 18 expected"),
        ("91110000600037341M", "check character is 'M', expected 'L'"),
        ("A1110000600037341L", "character 1 is 'A'; the first 8 characters must be digits"),
        ("9111000060003734IL", "character 17 is 'I', which GB 32100 does not allow"),
        ("", "has 0 characters"),
    ],
)
def test_invalid(code, message):
    with pytest.raises(InvalidUSCC) as excinfo:
        validate_uscc(code)
    assert message in str(excinfo.value)
    assert repr(code) in str(excinfo.value)
