"""Unified social credit code (统一社会信用代码) of organisations.

A wrong USCC on a penalty decision names the wrong company, so it is
validated on entry, with a message saying what exactly is wrong.
"""

from __future__ import annotations

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z


class InvalidUSCC(ValueError):
    def __init__(self, code: str, problem: str):
        self.code = code
        self.problem = problem
        super().__init__(f"invalid unified social credit code {code!r}: {problem}")


def validate_uscc(code: str) -> str:
    """The compact (upper-case, separator-free) code, or :class:`InvalidUSCC`."""
    compact = _uscc.compact(code)
    try:
        return _uscc.validate(compact)
    except InvalidLength:
        problem = f"has {len(compact)} characters, 18 expected"
    except InvalidFormat:
        problem = _format_problem(compact)
    except InvalidChecksum:
        problem = (
            f"check character is {compact[-1]!r}, "
            f"expected {_uscc.calc_check_digit(compact[:-1])!r}"
        )
    except ValidationError as exc:  # any check stdnum adds in a later release
        problem = str(exc) or type(exc).__name__
    raise InvalidUSCC(code, problem)


def _format_problem(compact: str) -> str:
    for position, char in enumerate(compact, start=1):
        if position <= 8 and not char.isdigit():
            return f"character {position} is {char!r}; the first 8 characters must be digits"
        if char not in _ALPHABET:
            return f"character {position} is {char!r}, which GB 32100 does not allow"
    return "format not accepted"
