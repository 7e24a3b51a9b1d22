"""Resident identity numbers: GB 11643 check character and birth date, with a message saying what is wrong."""

import datetime
import random

import pytest
from stdnum.cn import ric

from enforcement_core.resident_id import InvalidResidentId, check_character, validate_resident_id

TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("11010519491231002X", "11010519491231002X"),  # the example of GB 11643-1999
        ("440524188001010014", "440524188001010014"),  # the standard's other example (born 1880)
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width, as a Chinese IME types it
        ("360426199101010071", "360426199101010071"),
        ("110105202612010014", "110105202612010014"),  # born today
    ],
)
def test_valid(value, normalised):
    assert validate_resident_id(value, today=TODAY) == normalised


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("110105194912310021", "check character is '1', expected 'X'"),
        ("110105194912310020", "check character is '0', expected 'X'"),
        ("11010519491231002", "has 17 characters, 18 expected"),
        ("", "has 0 characters, 18 expected"),
        ("110105491231002", "first-generation numbers are no longer valid since 2013"),
        ("11010519491231A02X", "character 15 is 'A'; the first 17 characters must be digits"),
        ("11010519491231002Y", "character 18 is 'Y'; the check character must be a digit or X"),
        ("110105194902300020", "characters 7-14 (19490230) are not a valid birth date (YYYYMMDD)"),
        ("110105194913010029", "characters 7-14 (19491301) are not a valid birth date"),
        ("11010520261202001X", "the birth date 2026-12-02 (characters 7-14) is in the future"),
    ],
)
def test_invalid_says_what_is_wrong(value, problem):
    with pytest.raises(ValueError) as excinfo:
        validate_resident_id(value, today=TODAY)
    assert isinstance(excinfo.value, InvalidResidentId)
    assert str(excinfo.value).startswith("invalid resident identity number: ")
    assert problem in excinfo.value.problem
    # Personal data stays out of the message (it ends up in logs).
    if len(value) >= 15:
        assert value not in str(excinfo.value)


def test_check_character_agrees_with_python_stdnum():
    rng = random.Random(11643)
    for _ in range(2000):
        first17 = f"{rng.randrange(10**6):06d}19{rng.randrange(100):02d}0101{rng.randrange(1000):03d}"
        assert check_character(first17) == ric.calc_check_digit(first17 + "0")


def test_one_changed_digit_is_always_caught():
    number = "11010519491231002X"
    for position in (0, 5, 9, 16):
        for digit in "0123456789":
            changed = number[:position] + digit + number[position + 1:]
            if changed != number:
                with pytest.raises(InvalidResidentId):
                    validate_resident_id(changed, today=TODAY)
