from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..enforcement_core.china_clock import china_today
from ..services.record_keeping import removing_the_addon

LIST_KINDS = [
    ("agency", "Enforcement Body"),
    ("officers", "Enforcement Officers"),
    ("matters", "Enforcement Matters"),
    ("inspection_items", "Random-Inspection Items"),
    ("discretion", "Discretion Standards"),
    ("catalogue", "Major-Decision Catalogue"),
    ("service_guides", "Service Guides"),
]


class EnforcementPublicationListVersion(models.Model):
    """One published version of a before-the-fact list (事前公开) of an agency.

    Publishing a list takes a snapshot of the master data as the public sees
    it (rendered rows in the portal language) and puts it in force from
    today; the version it replaces ends yesterday and stays readable as
    history. Publishing an unchanged list creates no new version. Snapshots
    are never edited: a correction is a new version.
    """

    _name = "enforcement.publication.list.version"
    _description = "Published List Version"
    _order = "agency_id, list_kind, version desc"
    _check_company_auto = True
    _rec_name = "list_kind"

    agency_id = fields.Many2one("enforcement.agency", required=True, index=True, ondelete="restrict",
                                readonly=True)
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    list_kind = fields.Selection(LIST_KINDS, required=True, readonly=True, index=True)
    version = fields.Integer(required=True, readonly=True)
    effective_from = fields.Date(required=True, readonly=True)
    effective_to = fields.Date(readonly=True)
    content = fields.Json(readonly=True, help="Columns and rows as published.")
    row_count = fields.Integer(readonly=True)
    published_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)

    _sql_constraints = [
        ("version_unique", "unique(agency_id, list_kind, version)", "A list version number is used once."),
    ]

    def write(self, vals):
        if set(vals) - {"effective_to"}:
            raise UserError(self.env._("A published list version cannot be changed; publish a new version."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        if removing_the_addon(self.env):
            return
        raise UserError(self.env._("Published list versions are kept as history and cannot be deleted."))

    # ------------------------------------------------------------------
    # Publishing
    # ------------------------------------------------------------------
    @api.model
    def _portal_lang(self):
        """Lists are published in Chinese when it is installed."""
        return "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang

    @api.model
    def _publish_lists(self, agency, kinds=None):
        """Publish the current state of ``kinds`` (default: all) for ``agency``; returns new versions."""
        agency.with_env(self.env).check_access("write")
        today = china_today()
        renderer = self.sudo().with_context(lang=self._portal_lang())
        created = self.browse()
        for kind in kinds or [k for k, _label in LIST_KINDS]:
            content = getattr(renderer, f"_render_{kind}")(agency)
            current = self.sudo().search([
                ("agency_id", "=", agency.id), ("list_kind", "=", kind), ("effective_to", "=", False),
            ], limit=1)
            if current and current.content == content:
                continue
            if current:
                current.write({"effective_to": max(current.effective_from, today - timedelta(days=1))})
            created |= self.sudo().create({
                "agency_id": agency.id, "list_kind": kind, "version": (current.version or 0) + 1,
                "effective_from": today, "content": content, "row_count": len(content["rows"]),
            })
        return created

    def action_publish_all(self):
        """Button on the list: publish every list of the agencies shown."""
        # No list selected: every agency the user may see (a bureau has a handful).
        for agency in self.mapped("agency_id") or self.env["enforcement.agency"].search([]):  # pylint: disable=no-search-all
            self._publish_lists(agency)
        return True

    # ------------------------------------------------------------------
    # Renderers: {"columns": [[key, label]], "rows": [{key: text}]}
    # ------------------------------------------------------------------
    def _label(self, model, field, value):
        return dict(self.env[model]._fields[field]._description_selection(self.env)).get(value, value or "")

    def _render_agency(self, agency):
        env = self.env
        columns = [
            ["name", env._("Name")], ["uscc", env._("Unified Social Credit Code")], ["region", env._("Jurisdiction")],
            ["parent_body", env._("Superior Body")], ["authority_basis", env._("Basis of Authority")],
            ["address", env._("Address")], ["phone", env._("Telephone")], ["website", env._("Website")],
            ["reconsideration_body", env._("Reconsideration Body")], ["court", env._("Competent Court")],
        ]
        return {"columns": columns, "rows": [{key: agency[key] or "" for key, _label in columns}]}

    def _render_officers(self, agency):
        env = self.env
        officers = self.env["enforcement.officer"].search(
            [("agency_id", "=", agency.id), ("is_certified", "=", True)], order="unit, name")
        rows = []
        for officer in officers:
            cert = officer.certificate_id
            rows.append({
                "name": officer.name, "unit": officer.unit or "", "post": officer.post or "",
                "certificate": cert.number, "categories": "、".join(cert.category_ids.mapped("name")),
                "areas": "、".join(cert.area_ids.mapped("name")),
            })
        return {"columns": [
            ["name", env._("Full Name")], ["unit", env._("Unit")], ["post", env._("Post")], ["certificate", env._("Certificate Number")],
            ["categories", env._("Enforcement Categories")], ["areas", env._("Enforcement Areas")],
        ], "rows": rows}

    def _current_matters(self, agency, extra=()):
        today = china_today()
        return self.env["enforcement.matter"].search([
            ("agency_id", "=", agency.id), ("state", "=", "current"), ("effective_from", "<=", today),
            "|", ("effective_to", "=", False), ("effective_to", ">=", today), *extra,
        ], order="category, code")

    def _render_matters(self, agency):
        env = self.env
        rows = [{
            "code": m.code, "name": m.name, "category": self._label("enforcement.matter", "category", m.category),
            "basis": m.legal_basis_summary or "", "authority": agency.name, "unit": m.implementing_unit or "",
        } for m in self._current_matters(agency)]
        return {"columns": [
            ["code", env._("Code")], ["name", env._("Matter")], ["category", env._("Category")], ["basis", env._("Legal Basis")],
            ["authority", env._("Enforcement Body")], ["unit", env._("Implementing Unit")],
        ], "rows": rows}

    def _render_inspection_items(self, agency):
        env = self.env
        rows = [{
            "name": m.name, "basis": m.legal_basis_summary or "", "object": m.inspection_object or "",
            "content": m.inspection_content or "", "ratio": f"{m.inspection_ratio:g}%",
            "method": self._label("enforcement.matter", "inspection_method", m.inspection_method),
            "frequency": self._label("enforcement.matter", "inspection_frequency", m.inspection_frequency),
        } for m in self._current_matters(agency, [("is_random_inspection", "=", True)])]
        return {"columns": [
            ["name", env._("Inspection Item")], ["basis", env._("Legal Basis")], ["object", env._("Inspection Object")],
            ["content", env._("Inspection Content")], ["ratio", env._("Ratio")], ["method", env._("Method")],
            ["frequency", env._("Frequency")],
        ], "rows": rows}

    def _render_discretion(self, agency):
        env = self.env
        standards = self.env["enforcement.discretion.standard"].search(
            [("matter_id", "in", self._current_matters(agency).ids)], order="matter_id, code")
        rows = []
        for standard in standards:
            for tier in standard.tier_ids:
                rows.append({
                    "violation": standard.name, "provisions": "；".join(filter(None, (
                        standard.violated_provision, standard.penalty_provision))),
                    "tier": self._label("enforcement.discretion.tier", "code", tier.code),
                    "circumstances": tier.circumstances or "",
                    "penalty": "、".join(tier.penalty_type_ids.mapped("name")) or env._("No penalty"),
                    "range": tier.range_display or "",
                })
        return {"columns": [
            ["violation", env._("Violation")], ["provisions", env._("Provisions")], ["tier", env._("Tier")],
            ["circumstances", env._("Circumstances")], ["penalty", env._("Penalty Types")], ["range", env._("Fine Range")],
        ], "rows": rows}

    def _render_catalogue(self, agency):
        env = self.env
        rules = self.env["enforcement.major.catalogue.rule"].search([("agency_id", "=", agency.id)])
        rows = [{
            "name": rule.name,
            "ground": self._label("enforcement.major.catalogue.rule", "ground", rule.ground),
            "description": rule.description or "",
        } for rule in rules]
        return {"columns": [
            ["name", env._("Major Decision")], ["ground", env._("Ground")], ["description", env._("Description")],
        ], "rows": rows}

    def _render_service_guides(self, agency):
        env = self.env
        rows = [{
            "name": m.name, "basis": m.legal_basis_summary or "", "unit": m.implementing_unit or "",
            "guide": m.description or "", "contact": agency.phone or "",
        } for m in self._current_matters(agency, [("category", "=", "licence")])]
        return {"columns": [
            ["name", env._("Matter")], ["basis", env._("Legal Basis")], ["unit", env._("Handling Unit")],
            ["guide", env._("Conditions, Materials and Procedure")], ["contact", env._("Telephone")],
        ], "rows": rows}
