"""PRC resident identity number (公民身份号码, GB 11643-1999) of individuals.

An individual in the register of inspected parties, or a party of a case,
is identified by this number, so it is validated on entry with a message
saying what exactly is wrong. 18 characters:

* characters 1-6: the address code where it was first issued;
* characters 7-14: the birth date, YYYYMMDD;
* characters 15-17: the order code (odd for men, even for women);
* character 18: the check character of ISO 7064 MOD 11-2 over the first 17
  digits (weights 2**(17 - i) mod 11; 10 is written ``X``).

The address code is not looked up in a list of divisions: the code of a
county since merged or renamed stays on its residents' cards for life, so a
list would refuse valid numbers. The 15-digit first-generation numbers
stopped being valid on 1 January 2013 and are refused, asking for the
18-digit number. Full-width digits and ``ｘ`` (typed with a Chinese input
method), spaces and a lower-case ``x`` are normalised.

The message does not repeat the number: it is personal data and error
messages end up in logs; the caller knows which row or field it came from.
"""

from __future__ import annotations

import datetime
import unicodedata

from .china_clock import china_today

_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))


class InvalidResidentId(ValueError):
    def __init__(self, value: str, problem: str):
        self.value = value
        self.problem = problem
        super().__init__(f"invalid resident identity number: {problem}")


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    remainder = (12 - sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def validate_resident_id(value: str, today: datetime.date | None = None) -> str:
    """The normalised 18-character number, or :class:`InvalidResidentId` (a ValueError)."""
    compact = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    raise_for = _problem(compact, today or china_today())
    if raise_for:
        raise InvalidResidentId(value, raise_for)
    return compact


def _problem(number: str, today: datetime.date) -> str | None:
    if len(number) == 15 and number.isascii() and number.isdigit():
        return ("has 15 digits: first-generation numbers are no longer valid since 2013; "
                "the 18-character number is needed")
    if len(number) != 18:
        return f"has {len(number)} characters, 18 expected"
    for position, char in enumerate(number[:17], start=1):
        if not ("0" <= char <= "9"):
            return f"character {position} is {char!r}; the first 17 characters must be digits"
    if not ("0" <= number[17] <= "9" or number[17] == "X"):
        return f"character 18 is {number[17]!r}; the check character must be a digit or X"
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"characters 7-14 ({number[6:14]}) are not a valid birth date (YYYYMMDD)"
    if born > today:
        return f"the birth date {born.isoformat()} (characters 7-14) is in the future"
    expected = check_character(number[:17])
    if number[17] != expected:
        return f"check character is {number[17]!r}, expected {expected!r}"
    return None
