"""Resident identity card number (居民身份证号码, GB 11643-1999) of natural persons.

Local copy until the shared ``enforcement_core.uscc.validate_resident_id``
lands; the party register calls only ``validate_resident_id``.
"""

from __future__ import annotations

from stdnum.cn import ric as _ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


class InvalidResidentID(ValueError):
    """``kind`` is one of length, format, checksum, birth_date, region, other."""

    def __init__(self, value: str, kind: str, problem: str):
        self.value = value
        self.kind = kind
        self.problem = problem
        super().__init__(f"invalid resident ID number {value!r}: {problem}")


def validate_resident_id(value: str) -> str:
    """The compact 18-character number (check character upper case), or :class:`InvalidResidentID`."""
    compact = _ric.compact(value or "")
    try:
        if len(compact) != 18:
            raise InvalidLength()
        return _ric.validate(compact)
    except InvalidLength:
        raise InvalidResidentID(value, "length", f"has {len(compact)} characters, 18 expected") from None
    except InvalidFormat:
        raise InvalidResidentID(value, "format", "the first 17 characters must be digits") from None
    except InvalidComponent:
        try:
            _ric.get_birth_date(compact)
        except InvalidComponent:
            raise InvalidResidentID(value, "birth_date", f"birth date {compact[6:14]} is not a date") from None
        raise InvalidResidentID(value, "region", f"region code {compact[:6]} is unknown") from None
    except InvalidChecksum:
        raise InvalidResidentID(
            value, "checksum", f"check character is {compact[-1]!r}, expected {_ric.calc_check_digit(compact)!r}",
        ) from None
    except ValidationError as exc:
        raise InvalidResidentID(value, "other", str(exc) or type(exc).__name__) from None
