"""Late-payment surcharge: 3% a day, capped at the fine, pauses excluded."""

from datetime import date
from decimal import Decimal

import pytest

from enforcement_core.surcharge import Pause, chargeable_days, late_surcharge

DUE = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("fine", "on_date", "days", "amount", "capped"),
    [
        ("10000", date(2026, 1, 1), 0, "0.00", False),  # on the due date
        ("10000", date(2025, 12, 20), 0, "0.00", False),  # paid early
        ("10000", date(2026, 1, 2), 1, "300.00", False),
        ("10000", date(2026, 1, 11), 10, "3000.00", False),
        ("10000", date(2026, 2, 3), 33, "9900.00", False),  # just under the cap
        ("10000", date(2026, 2, 4), 34, "10000.00", True),  # 10200 capped exactly at the fine
        ("10000", date(2026, 12, 31), 364, "10000.00", True),
        ("333.33", date(2026, 1, 2), 1, "10.00", False),  # 9.9999 rounds half up to cents
    ],
)
def test_surcharge(fine, on_date, days, amount, capped):
    result = late_surcharge(Decimal(fine), DUE, on_date)
    assert (result.days, result.amount, result.capped) == (days, Decimal(amount), capped)


def test_pauses_are_excluded_and_overlaps_counted_once():
    pauses = [
        Pause(date(2026, 1, 5), date(2026, 1, 9), "reconsideration"),
        Pause(date(2026, 1, 8), date(2026, 1, 10), "litigation"),  # overlaps the first
        Pause(date(2025, 12, 1), date(2025, 12, 31), "before due: irrelevant"),
    ]
    # 2-11 January is 10 days; 5-10 January (6 days) paused.
    assert chargeable_days(DUE, date(2026, 1, 11), pauses) == 4
    assert late_surcharge("10000", DUE, date(2026, 1, 11), pauses).amount == Decimal("1200.00")


def test_pause_still_running_on_the_calculation_date():
    pauses = [Pause(date(2026, 1, 5), date(2026, 6, 30), "litigation")]
    assert chargeable_days(DUE, date(2026, 1, 20), pauses) == 3


def test_configurable_rate_and_cap():
    result = late_surcharge("1000", DUE, date(2026, 1, 31), daily_rate="0.05", cap_ratio="0.5")
    assert (result.amount, result.capped) == (Decimal("500.00"), True)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fine": 100.5}, TypeError, "fine must be Decimal"),
        ({"fine": "-1"}, ValueError, "must not be negative"),
        ({"fine": "NaN"}, ValueError, "not a finite number"),
        ({"fine": "100", "daily_rate": "-0.03"}, ValueError, "must not be negative"),
    ],
)
def test_bad_inputs_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        late_surcharge(due=DUE, on_date=date(2026, 2, 1), **kwargs)


def test_pause_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends 2026-01-01 before it starts 2026-01-05"):
        Pause(date(2026, 1, 5), date(2026, 1, 1), "litigation")
