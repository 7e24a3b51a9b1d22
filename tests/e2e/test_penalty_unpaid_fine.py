"""A fine that is not paid (arts. 67, 72; 行政强制法 53, 54): the payment
period's timer fires, the 3% daily surcharge runs up to the fine itself, and
once the remedy periods are over the officer applies to the court. Zeebe's
controllable clock is moved forward so months pass in seconds, and reset
afterwards (other cases' timers that fire meanwhile only open follow-up tasks)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from penalty_flow import Actors, setup_penalty_bureau


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "late"))


def advance_zeebe_past(stack, odoo_datetime: str, extra=timedelta(hours=1)):
    """Move Zeebe's clock just past an Odoo (naive UTC) date-time."""
    target = datetime.strptime(odoo_datetime, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc) + extra
    stack.zeebe.advance_clock(int((target - datetime.now(timezone.utc)).total_seconds() * 1000))


def test_unpaid_fine_accrues_surcharge_to_the_cap_and_goes_to_court(stack, actors):
    case_id = actors.create_case(title="某餐馆使用过期原料案")
    actors.approve_filing(case_id)
    actors.investigate_to_statements(case_id, fine=8000)
    actors.decide(case_id, fine=8000)
    actors.serve(case_id)
    case = actors.wait_case(case_id, lambda c: c["state"] == "execution" and c["payment_due"], "the payment period")

    try:
        advance_zeebe_past(stack, case["payment_due"])
        case = actors.wait_case(case_id, lambda c: c["court_enforcement_due"], "the surcharge and demand",
                                timeout=90)
        due_day = datetime.strptime(case["payment_due"], "%Y-%m-%d %H:%M:%S") + timedelta(hours=8)
        leader = actors.rpc("leader")

        def surcharge_on(day):
            return leader("enforcement.case", "read", [case_id], ["surcharge_amount", "surcharge_capped"],
                          context={"date": str(day.date())})[0]

        assert surcharge_on(due_day + timedelta(days=10))["surcharge_amount"] == 2400.0  # 3% x 10 days
        capped = surcharge_on(due_day + timedelta(days=60))
        assert capped["surcharge_amount"] == 8000.0 and capped["surcharge_capped"], capped
        assert case["surcharge_started_on"]

        advance_zeebe_past(stack, case["court_enforcement_due"])
        actors.complete(case_id, "court_enforcement", "officer1", court_application_ref="（2027）甘0102行审12号")
    finally:
        stack.zeebe.reset_clock()
    actors.close(case_id)
    actors.wait_case(case_id, lambda c: c["state"] == "archived", "the archive seal")
