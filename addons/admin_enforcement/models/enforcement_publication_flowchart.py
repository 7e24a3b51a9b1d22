from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core import flowchart


class EnforcementProcessDefinition(models.Model):
    """A BPMN process as deployed to the engine (key and version from the engine).

    ``scripts/deploy`` (and ``scripts/run``) record each deployed resource
    here through XML-RPC right after the engine accepted it, so the public
    flowchart (执法流程图) is drawn from what actually runs, not from a copy.
    The latest version of each process is the one published.
    """

    _name = "enforcement.process.definition"
    _description = "Deployed Process Definition"
    _order = "bpmn_process_id, version desc"
    _rec_name = "name"

    bpmn_process_id = fields.Char(string="Process ID", required=True, index=True, readonly=True)
    name = fields.Char(readonly=True)
    version = fields.Integer(required=True, readonly=True)
    process_definition_key = fields.Char(readonly=True)
    resource_name = fields.Char(readonly=True)
    xml = fields.Text(string="BPMN XML", required=True, readonly=True)
    deployed_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    is_latest = fields.Boolean(compute="_compute_is_latest")

    _sql_constraints = [
        ("process_version_unique", "unique(bpmn_process_id, version)", "A process version is recorded once."),
    ]

    def _compute_is_latest(self):
        latest = self._latest_by_process()
        for definition in self:
            definition.is_latest = latest.get(definition.bpmn_process_id) == definition.id

    @api.model
    def _latest_by_process(self):
        # every deployed version is read to find each process's latest (a few dozen rows)
        rows = self.sudo().search_read(  # pylint: disable=no-search-all
            [], ["bpmn_process_id"], order="bpmn_process_id, version desc")
        latest = {}
        for row in rows:
            latest.setdefault(row["bpmn_process_id"], row["id"])
        return latest

    @api.model
    def record_deployment(self, processes):
        """Record what the engine deployed: a list of {bpmn_process_id, version,
        process_definition_key, resource_name, xml}. Called by the deploy
        script over XML-RPC; only administrators may. Idempotent."""
        if not (self.env.user.has_group("admin_enforcement.group_enforcement_admin")
                or self.env.is_superuser() or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._("Only an administrator can record deployed processes."))
        recorded = self.browse()
        for process in processes:
            name = self._process_name(process["xml"], process["bpmn_process_id"])
            existing = self.sudo().search([
                ("bpmn_process_id", "=", process["bpmn_process_id"]), ("version", "=", int(process["version"])),
            ])
            recorded |= existing or self.sudo().create({
                "bpmn_process_id": process["bpmn_process_id"], "version": int(process["version"]),
                "process_definition_key": str(process.get("process_definition_key") or ""),
                "resource_name": process.get("resource_name"), "xml": process["xml"], "name": name,
            })
        return recorded.ids

    @api.model
    def _process_name(self, xml, process_id):
        name = flowchart.process_name(self._checked(xml), process_id)
        if name is None:
            raise UserError(self.env._("The deployed XML has no process %(id)s.", id=process_id))
        return name

    @api.model
    def _checked(self, xml):
        """``xml`` once it parses (entities unresolved, nothing fetched)."""
        try:
            flowchart.parse_xml(xml)
        except flowchart.DiagramError as exc:
            raise UserError(self.env._("The BPMN XML is not well-formed: %(error)s", error=exc.detail)) from exc
        return xml

    # ------------------------------------------------------------------
    # Flowchart: BPMN diagram interchange → SVG (enforcement_core/flowchart.py)
    # ------------------------------------------------------------------
    def _diagram(self):
        """The shapes and flows of this process's own plane (the file may hold others)."""
        self.ensure_one()
        try:
            return flowchart.parse_diagram(self._checked(self.xml), self.bpmn_process_id)
        except flowchart.DiagramError as exc:
            raise UserError(self.env._("The process %(id)s has no diagram.", id=self.bpmn_process_id)) from exc

    def _render_svg(self, progress=None, id_prefix="fc", view=None):
        """The diagram of this process as an SVG string that fits its
        container's width; with a case's ``progress`` its steps are marked.
        All text goes through lxml, so names are escaped."""
        return flowchart.render_svg(self._diagram(), progress, id_prefix=id_prefix,
                                    status_labels=self._status_labels(), view=view)

    @api.model
    def _status_labels(self):
        """The name of each step status in the reader's language (tooltips and legend)."""
        return {
            flowchart.DONE: self.env._("Step Done"),
            flowchart.CURRENT: self.env._("Current Step"),
            flowchart.INCIDENT: self.env._("Failed, waiting for an administrator"),
            flowchart.NEXT: self.env._("May come next"),
        }

    def _chart_values(self, uid, progress=None):
        """What the zoomable frame (template flowchart_viewer) needs to show this
        process, with a case's ``progress`` marked and, if the chart is wide,
        the part around the case's current step first."""
        self.ensure_one()
        diagram = self._diagram()
        labels = self._status_labels()
        svg = flowchart.render_svg(diagram, progress, id_prefix=uid, status_labels=labels)
        window = flowchart.current_window(diagram, progress) if progress else None
        crop_svg = flowchart.render_svg(diagram, progress, id_prefix=f"{uid}-near", status_labels=labels,
                                        view=window) if window else None
        return {
            "name": diagram.name, "uid": uid, "svg": Markup(svg),
            "width": round(flowchart.extent(diagram)[2]),
            "crop_svg": Markup(crop_svg) if crop_svg else None, "crop_width": round(window[2]) if window else 0,
        }
