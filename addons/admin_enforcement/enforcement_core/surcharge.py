"""Late-payment surcharge on fines (加处罚款, 行政处罚法 art. 72, 73).

3% of the fine for each calendar day after the payment due date, never more
than the fine itself; days while reconsideration or litigation suspends
execution do not count. Money is Decimal throughout: a float surcharge on
a 33,333.33 yuan fine drifts by cents, which a court will notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_DAILY_RATE = Decimal("0.03")
#: The surcharge may not exceed the fine: cap = fine * DEFAULT_CAP_RATIO.
DEFAULT_CAP_RATIO = Decimal("1")
CENT = Decimal("0.01")


def to_money(value: Decimal | int | str, what: str = "amount") -> Decimal:
    """``value`` as Decimal; floats are refused because they are not exact."""
    if isinstance(value, (float, bool)):
        raise TypeError(f"{what} must be Decimal, int or str, not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} {value!r} is not a finite number")
    return result


@dataclass(frozen=True)
class Pause:
    """Days (inclusive) on which execution was suspended, e.g. during litigation."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"pause {self.reason!r} ends {self.end.isoformat()} "
                f"before it starts {self.start.isoformat()}"
            )


@dataclass(frozen=True)
class SurchargeResult:
    days: int  # chargeable days after pauses were removed
    amount: Decimal  # rounded to the cent, after the cap
    capped: bool


def chargeable_days(due: date, on_date: date, pauses: Iterable[Pause] = ()) -> int:
    """Calendar days in (due, on_date] not covered by any pause (overlaps counted once)."""
    if on_date <= due:
        return 0
    first, last = due.toordinal() + 1, on_date.toordinal()
    paused = 0
    covered_until = first - 1  # last ordinal already subtracted
    for pause in sorted(pauses, key=lambda p: p.start):
        lo = max(pause.start.toordinal(), first, covered_until + 1)
        hi = min(pause.end.toordinal(), last)
        if hi >= lo:
            paused += hi - lo + 1
            covered_until = hi
    return last - first + 1 - paused


def late_surcharge(
    fine: Decimal | int | str,
    due: date,
    on_date: date,
    pauses: Iterable[Pause] = (),
    daily_rate: Decimal | str = DEFAULT_DAILY_RATE,
    cap_ratio: Decimal | str = DEFAULT_CAP_RATIO,
) -> SurchargeResult:
    """Surcharge owed on ``on_date`` for ``fine`` due on ``due``."""
    fine = to_money(fine, "fine")
    rate = to_money(daily_rate, "daily rate")
    cap_ratio = to_money(cap_ratio, "cap ratio")
    if fine < 0 or rate < 0 or cap_ratio < 0:
        raise ValueError(
            f"fine {fine}, daily rate {rate} and cap ratio {cap_ratio} must not be negative"
        )
    days = chargeable_days(due, on_date, pauses)
    raw = (fine * rate * days).quantize(CENT, ROUND_HALF_UP)
    cap = (fine * cap_ratio).quantize(CENT, ROUND_HALF_UP)
    return SurchargeResult(days=days, amount=min(raw, cap), capped=raw > cap)
