"""Simulated bureau staff for the ordinary penalty procedure: each function
is what one person does in Odoo (through XML-RPC, like any client), and
waits for the worker to open the next task. Used by the e2e tests and by
scripts/bench/bench_penalty.py."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

PASSWORD_IS_LOGIN = True
UTC = timezone.utc

# Enough of the 2027 State Council notice for the deadlines these cases reach
# (reconsideration and litigation periods run into 2027). A bureau enters
# the notice the same way when it is published.
HOLIDAYS_2027 = {
    "2027-01-01": False, "2027-02-05": False, "2027-02-08": False, "2027-02-09": False,
    "2027-02-10": False, "2027-02-11": False, "2027-02-12": False, "2027-02-14": True,
    "2027-02-20": True, "2027-04-05": False, "2027-05-03": False, "2027-05-04": False,
    "2027-05-05": False, "2027-06-09": False, "2027-09-15": False, "2027-10-01": False,
    "2027-10-04": False, "2027-10-05": False, "2027-10-06": False, "2027-10-07": False,
}


def odoo_now(offset: timedelta = timedelta()) -> str:
    """An Odoo datetime string (naive UTC) for RPC writes."""
    return (datetime.now(UTC) + offset).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")


def setup_penalty_bureau(admin, prefix: str = "pen") -> dict:
    """An agency with a leader, three certified officers, a legal reviewer,
    a matter with its discretion standard, and the 2027 holidays. ``admin``
    is an RPC callable as the administrator."""
    company_id = admin("res.company", "create", {"name": f"城关县市场监督管理局（{prefix}）"})
    admin("res.users", "write", [2], {"company_ids": [(4, company_id)]})
    agency_id = admin("enforcement.agency", "create", {
        "name": f"城关县市场监督管理局（{prefix}）", "short_name": "城关", "company_id": company_id,
    })

    def group(xmlid):
        return admin("ir.model.data", "check_object_reference", "admin_enforcement", xmlid)[1]

    def user(login, groups):
        return admin("res.users", "create", {
            "name": login, "login": login, "password": login, "tz": "Asia/Shanghai",
            "company_id": company_id, "company_ids": [(6, 0, [company_id])],
            "groups_id": [(6, 0, [group(g) for g in groups])],
        })

    users = {
        "leader": user(f"{prefix}_leader", ["group_enforcement_leader"]),
        "leader2": user(f"{prefix}_leader2", ["group_enforcement_leader"]),
        "leader3": user(f"{prefix}_leader3", ["group_enforcement_leader"]),
        "officer1": user(f"{prefix}_officer1", ["group_enforcement_officer"]),
        "officer2": user(f"{prefix}_officer2", ["group_enforcement_officer"]),
        "officer3": user(f"{prefix}_officer3", ["group_enforcement_officer"]),
        "reviewer": user(f"{prefix}_reviewer", ["group_enforcement_legal_reviewer"]),
        "reviewer2": user(f"{prefix}_reviewer2", ["group_enforcement_legal_reviewer"]),
    }
    category_id = admin("ir.model.data", "check_object_reference", "admin_enforcement",
                        "enforcement_category_market")[1]
    area_id = admin("enforcement.area", "create", {"code": f"62{abs(hash(prefix)) % 10000:04d}", "name": "城关县"})
    today = datetime.now(UTC).date()
    officers = {}
    for number, (key, name) in enumerate([("officer1", "王建国"), ("officer2", "李晓梅"), ("officer3", "赵志强")], 1):
        officer_id = admin("enforcement.officer", "create", {
            "name": f"{name}{prefix}", "agency_id": agency_id, "user_id": users[key],
        })
        admin("enforcement.certificate", "create", {
            "number": f"{prefix.upper()}-62-{number:04d}", "officer_id": officer_id, "issuing_body": "城关县人民政府",
            "category_ids": [(6, 0, [category_id])], "area_ids": [(6, 0, [area_id])],
            "valid_from": str(today - timedelta(days=300)), "valid_to": str(today + timedelta(days=1000)),
        })
        officers[key] = officer_id
    reviewer_id = admin("enforcement.legal.reviewer", "create", {
        "name": f"法制审核员{prefix}", "agency_id": agency_id, "user_id": users["reviewer"], "first_time": True,
        "qualification_number": f"A2019{abs(hash(prefix)) % 10**8:08d}", "qualification_date": "2019-09-20"})
    admin("enforcement.legal.reviewer", "action_activate", [reviewer_id])
    matter_id = admin("enforcement.matter", "create", {
        "code": f"{prefix.upper()}-SP-124", "name": "对经营超过保质期食品的行政处罚", "category": "penalty",
        "agency_id": agency_id,
    })
    fine_id = admin("ir.model.data", "check_object_reference", "admin_enforcement", "penalty_type_fine")[1]
    standard_id = admin("enforcement.discretion.standard", "create", {
        "code": "SP-124-1", "name": "经营超过保质期的食品", "matter_id": matter_id,
        "tier_ids": [(0, 0, {"code": "ordinary", "circumstances": "货值金额一万元以下，初次违法",
                             "penalty_type_ids": [(6, 0, [fine_id])], "range_kind": "fixed",
                             "amount_min": 5000, "amount_max": 50000})],
    })
    tier_id = admin("enforcement.discretion.standard", "read", [standard_id], ["tier_ids"])[0]["tier_ids"][0]
    if not admin("enforcement.holiday.year", "search", [("year", "=", 2027)]):
        for day, working in HOLIDAYS_2027.items():
            admin("enforcement.holiday.override", "create", {
                "day": day, "is_working_day": working, "note": "2027年节假日安排（测试录入）"})
        admin("enforcement.holiday.year", "create", {"year": 2027, "notice": "国办发明电〔2026〕（测试）"})
    return {
        "prefix": prefix, "company_id": company_id, "agency_id": agency_id, "users": users,
        "logins": {key: f"{prefix}_{key}" for key in users}, "officers": officers,
        "category_id": category_id, "area_id": area_id, "matter_id": matter_id,
        "standard_id": standard_id, "tier_id": tier_id, "fine_type_id": fine_id,
    }


class Actors:
    """The bureau's staff acting on cases through RPC; ``rpc(login)`` gives
    an RPC callable for that user."""

    def __init__(self, rpc, bureau: dict, timeout: float = 60, poll: float = 0.2):
        self.bureau = bureau
        self.timeout = timeout
        self.poll = poll
        self._connect = rpc
        self._rpc = {}

    def rpc(self, role: str):
        """Logs in on first use: a login costs Odoo a deliberately slow password hash."""
        login = self.bureau["logins"][role]
        if login not in self._rpc:
            self._rpc[login] = self._connect(login)
        return self._rpc[login]

    def create_case(self, title="某超市销售过期食品案", party_type="organisation", team=("officer1", "officer2"),
                    **vals) -> int:
        b = self.bureau
        return self.rpc("officer1")("enforcement.case", "create", {
            "title": title, "agency_id": b["agency_id"], "party_name": "城关县惠民超市有限公司",
            "party_type": party_type, "matter_id": b["matter_id"], "category_id": b["category_id"],
            "area_id": b["area_id"], "officer_ids": [(6, 0, [b["officers"][o] for o in team])], **vals,
        })

    def wait_task(self, case_id: int, step_code: str, role: str, timeout: float | None = None) -> dict:
        rpc = self.rpc(role)
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            found = rpc("enforcement.task", "search_read",
                        [("case_id", "=", case_id), ("step_code", "=", step_code), ("state", "=", "open")],
                        fields=["id", "date_deadline", "create_date"])
            if found:
                return found[0]
            time.sleep(self.poll)
        steps = self.rpc("leader")("enforcement.task", "search_read", [("case_id", "=", case_id)],
                                   fields=["step_code", "state"])
        raise AssertionError(f"case {case_id}: no open {step_code!r} task for {role} after "
                             f"{timeout or self.timeout}s; tasks: {steps}")

    def complete(self, case_id: int, step_code: str, role: str, **values) -> dict:
        task = self.wait_task(case_id, step_code, role)
        rpc = self.rpc(role)
        if values:
            rpc("enforcement.task", "write", [task["id"]], values)
        rpc("enforcement.task", "action_complete", [task["id"]])
        return task

    def case(self, case_id: int, *fields: str) -> dict:
        return self.rpc("leader")("enforcement.case", "read", [case_id], list(fields))[0]

    def wait_case(self, case_id: int, check, what: str, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            case = self.case(case_id, "state", "review_state", "decision_number", "payment_due", "archive_number",
                             "hearing_granted", "court_enforcement_due", "surcharge_started_on")
            if check(case):
                return case
            time.sleep(self.poll)
        raise AssertionError(f"case {case_id}: timed out waiting for {what}; last seen {case}")

    # ----- the steps, one person each -----

    def step_values(self, step_code: str, fine=20000) -> dict:
        """What the person doing a step of the happy path enters on its form."""
        b = self.bureau
        return {
            "filing_approval": dict(filing_approved=True, approval_comment="同意立案"),
            "investigation": dict(evidence_summary="现场检查笔录1份、询问笔录2份、过期食品照片12张、进货凭证复印件"),
            "investigation_report": dict(
                investigation_conclusion="penalty", discretion_standard_id=b["standard_id"],
                discretion_tier_id=b["tier_id"], penalty_type_ids=[(6, 0, [b["fine_type_id"]])],
                proposed_fine=fine, complex_case=False),
            "prior_notice": dict(notice_served_at=odoo_now(),
                                 notice_content="经查，当事人销售超过保质期的食品，违反《食品安全法》第三十四条第（十）项，"
                                                "拟处罚款。当事人可在五个工作日内陈述、申辩，并有权要求听证。"),
            "decision": dict(decision_kind="penalty", fine_amount=fine),
            "service": dict(served_at=odoo_now(), service_method="direct"),
            "closing": {},
        }[step_code]

    def approve_filing(self, case_id):
        return self.complete(case_id, "filing_approval", "leader", **self.step_values("filing_approval"))

    def investigate(self, case_id):
        return self.complete(case_id, "investigation", "officer1", **self.step_values("investigation"))

    def report(self, case_id, fine=20000, reason=None, complex_case=False):
        values = dict(self.step_values("investigation_report", fine), complex_case=complex_case)
        if reason:
            values["discretion_reason"] = reason
        return self.complete(case_id, "investigation_report", "officer1", **values)

    def give_prior_notice(self, case_id, served_at=None):
        values = self.step_values("prior_notice")
        if served_at:
            values["notice_served_at"] = served_at
        return self.complete(case_id, "prior_notice", "officer1", **values)

    def close_statements(self, case_id):
        self.rpc("officer1")("enforcement.case", "action_close_statements", [case_id])

    def decide(self, case_id, fine=20000, kind="penalty"):
        return self.complete(case_id, "decision", "leader", **dict(self.step_values("decision", fine),
                                                                   decision_kind=kind))

    def serve(self, case_id, method="direct"):
        return self.complete(case_id, "service", "officer1", **dict(self.step_values("service"),
                                                                    service_method=method))

    def pay(self, case_id, amount, reference="ICBC-20261122-0001"):
        self.wait_case(case_id, lambda c: c["state"] == "execution" and c["payment_due"], "the payment period")
        self.rpc("officer1")("enforcement.case", "action_confirm_payment", [case_id], amount, reference)

    def close(self, case_id):
        return self.complete(case_id, "closing", "leader")

    # ----- the stretches several scenarios share -----

    def investigate_to_statements(self, case_id, fine=20000):
        """Investigation, report proposing ``fine``, prior notice; the party waives statements and a hearing."""
        self.investigate(case_id)
        self.report(case_id, fine=fine)
        self.give_prior_notice(case_id)
        self.close_statements(case_id)

    def decide_to_archive(self, case_id, fine=20000):
        """Decision, service, payment in time, closing, and the archive seal."""
        self.decide(case_id, fine=fine)
        self.serve(case_id)
        self.pay(case_id, fine)
        self.close(case_id)
        return self.wait_case(case_id, lambda c: c["state"] == "archived", "the archive seal")

    def run_happy_path(self, case_id, fine=20000):
        """Filing to archive, no hearing, not major, fine paid in time."""
        self.approve_filing(case_id)
        self.investigate_to_statements(case_id, fine)
        return self.decide_to_archive(case_id, fine)
