"""Public pages of random inspection (双随机、一公开): each published plan
with the inputs of its draw, the result and the downloadable draw document
that ``scripts/verify-draw`` re-runs. Read as superuser only through the
plan's public helpers, limited to published plans."""
import json

from odoo import http
from odoo.http import request

from .portal import SECURITY_HEADERS, EnforcementPortal, _clean


def _public_party_name(party):
    """Organisations by name; a natural person's name is masked (个人信息)."""
    if party.party_type == "person":
        return (party.name or "")[:1] + "*" * max(len(party.name or "") - 1, 1)
    return party.name


class InspectionPortal(EnforcementPortal):

    def _published_plan(self, reference):
        return request.env["enforcement.inspection.plan"]._public_plans().filtered(
            lambda plan: plan.name == _clean(reference))[:1]

    @http.route("/enforcement/public/inspections", type="http", auth="public", methods=["GET"], readonly=True)
    def inspection_plans(self, **kwargs):
        plans = request.env["enforcement.inspection.plan"]._public_plans()
        return self._render("admin_enforcement.portal_inspection_plans", {"page_title": "", "plans": plans})

    @http.route("/enforcement/public/inspection/<string:reference>", type="http", auth="public",
                methods=["GET"], readonly=True)
    def inspection_plan(self, reference, **kwargs):
        plan = self._published_plan(reference)
        if not plan:
            return self._not_found()
        values = plan._public_values()
        rows = [{
            "position": inspection.draw_index + 1, "party": _public_party_name(inspection.party_id),
            "party_id": inspection.party_id.id, "inspectors": "、".join(inspection.inspector_ids.mapped("name")),
            "result": dict(inspection._fields["result"]._description_selection(request.env)).get(inspection.result)
            if inspection.result_published_at else "",
        } for inspection in values["inspections"]]
        return self._render("admin_enforcement.portal_inspection_plan", {
            "page_title": plan.title, "plan": values, "rows": rows,
            "json_url": f"/enforcement/public/inspection/{plan.name}/draw.json",
        })

    @http.route("/enforcement/public/inspection/<string:reference>/draw.json", type="http", auth="public",
                methods=["GET"], readonly=True)
    def inspection_draw_json(self, reference, **kwargs):
        plan = self._published_plan(reference)
        document = plan._public_document() if plan else None
        if not document:
            return self._not_found()
        return request.make_response(json.dumps(document, ensure_ascii=False, indent=1), headers=[
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Disposition", f'attachment; filename="{plan.name}.json"'), *SECURITY_HEADERS,
        ])
