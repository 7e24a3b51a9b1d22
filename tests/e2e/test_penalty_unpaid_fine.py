"""A fine that is not paid (arts. 67, 72; 行政强制法 53, 54): the payment
period's timer fires, the 3% daily surcharge runs up to the fine itself, and
once the remedy periods are over the officer applies to the court. The
engine keeps real time: months pass in seconds because the test makes the
case's two timers due now through the engine's REST API (the payment
period's, then the court enforcement's), and the job executor fires them.
The surcharge is Odoo's computation from the case's dates, so it is read
as of the days that matter (context ``date``), not as of today."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from penalty_flow import Actors, setup_penalty_bureau


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "late"))


def test_unpaid_fine_accrues_surcharge_to_the_cap_and_goes_to_court(stack, actors):
    case_id = actors.create_case(title="某餐馆使用过期原料案")
    actors.approve_filing(case_id)
    actors.investigate_to_statements(case_id, fine=8000)
    actors.decide(case_id, fine=8000)
    actors.serve(case_id)
    case = actors.wait_case(case_id, lambda c: c["state"] == "execution" and c["payment_due"], "the payment period")

    # The payment period ends unpaid.
    stack.make_timer_due(case_id, "Event_PaymentOverdue")
    case = actors.wait_case(case_id, lambda c: c["court_enforcement_due"], "the surcharge and demand", timeout=90)
    due_day = datetime.strptime(case["payment_due"], "%Y-%m-%d %H:%M:%S") + timedelta(hours=8)
    assert case["surcharge_started_on"] == str((due_day + timedelta(days=1)).date()), case
    assert case["court_enforcement_due"] > case["payment_due"]
    leader = actors.rpc("leader")

    def surcharge_on(day):
        return leader("enforcement.case", "read", [case_id], ["surcharge_amount", "surcharge_capped"],
                      context={"date": str(day.date())})[0]

    assert surcharge_on(due_day + timedelta(days=10))["surcharge_amount"] == 2400.0  # 3% x 10 days
    capped = surcharge_on(due_day + timedelta(days=60))
    assert capped["surcharge_amount"] == 8000.0 and capped["surcharge_capped"], capped
    assert not leader("enforcement.task", "search_count", [("case_id", "=", case_id),
                                                           ("step_code", "=", "court_enforcement")])

    # The demand's period and the remedy periods are over: court enforcement.
    stack.make_timer_due(case_id, "Event_CourtEnforcementDue")
    actors.complete(case_id, "court_enforcement", "officer1", court_application_ref="（2027）甘0102行审12号")
    actors.close(case_id)
    actors.wait_case(case_id, lambda c: c["state"] == "archived", "the archive seal")
