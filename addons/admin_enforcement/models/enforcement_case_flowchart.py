from odoo import fields, models

from ..enforcement_core import flowchart
TERMINAL_STATES = ("not_filed", "closed", "archived")


class EnforcementCase(models.Model):
    """The case's own flowchart on its form: the procedure it runs (ordinary
    or simple), with the steps done, the current step and what may come next,
    and below it the charts of the called processes it entered (立案,
    法制审核). Which step is in which state is decided in
    enforcement_core/flowchart.py from the case's process history; this
    model only gathers the history and the deployed BPMN."""

    _inherit = "enforcement.case"

    flowchart_html = fields.Html(
        string="Flowchart", compute="_compute_flowchart_html", sanitize=False,
        help="Drawn on the server from the deployed BPMN and the case's history; every name is escaped.",
    )

    def _compute_flowchart_html(self):
        for case in self:
            case.flowchart_html = case._flowchart_html()

    def _process_definition_for(self, process_id):
        """The version of ``process_id`` the case runs: the latest deployed
        before the case was registered (the engine keeps a started case on
        its version), or else the latest."""
        Definitions = self.env["enforcement.process.definition"].sudo()
        domain = [("bpmn_process_id", "=", process_id)]
        if self.create_date:
            earlier = Definitions.search(domain + [("deployed_at", "<=", self.create_date)],
                                         order="version desc", limit=1)
            if earlier:
                return earlier
        return Definitions.search(domain, order="version desc", limit=1)

    def _flowchart_states(self):
        """(element id -> done/current/incident, the element of the last step done).
        Read with sudo: a leader may not see an officer's task, but the case's
        chart shows which step is open; only element ids are read."""
        case = self.sudo()
        events = [flowchart.Event(e.kind, e.step or "") for e in case.event_ids.sorted("id")]
        open_steps = case.task_ids.filtered(lambda t: t.state == "open").mapped("element_id")
        last_done = next((e.step for e in reversed(events) if e.kind in flowchart.DONE_KINDS), None)
        return flowchart.step_states(events, open_steps), last_done

    def _flowchart_html(self):
        self.ensure_one()
        main = self._process_definition_for(self._procedure_process_id())
        charts, names = [], {"current": [], "incident": [], "next": []}
        done_count = 0
        if main:
            states, last_done = self._flowchart_states()
            diagram = main._diagram()
            children = {}
            for process_id in sorted(set(diagram.call_activities.values())):
                child = self._process_definition_for(process_id)
                if child:
                    children[process_id] = (child, child._diagram())
            called = {pid: d.element_ids for pid, (_c, d) in children.items()}
            if self.state in TERMINAL_STATES:
                last_done = None  # nothing comes next
            progress = flowchart.mark_progress(diagram, states, called, last_done=last_done)
            charts.append(main._chart_values(f"fc-{self.id}-main", progress))
            shown = [(diagram, progress)]
            calls = sorted(diagram.call_activities.items(), key=lambda c: diagram.shapes[c[0]].box[0])
            for call_id, process_id in calls:
                if progress.status.get(call_id) in (None, flowchart.NEXT) or process_id not in children:
                    continue
                definition, child_diagram = children[process_id]
                child_progress = flowchart.mark_progress(child_diagram, states)
                charts.append(definition._chart_values(f"fc-{self.id}-{call_id}", child_progress))
                shown.append((child_diagram, child_progress))
            done_count = sum(1 for step, state in states.items() if state == flowchart.DONE
                             and any(step in d.shapes for d, _p in shown))
            for shown_diagram, shown_progress in shown:
                for element_id, status in shown_progress.status.items():
                    shape = shown_diagram.shapes[element_id]
                    leaf = shape.kind not in ("subProcess", "callActivity") or (
                        shape.kind == "callActivity" and all(d.process_id != shape.called_element for d, _p in shown))
                    if status in names and leaf and shape.name and shape.name not in names[status]:
                        names[status].append(shape.name)
        return self.env["ir.qweb"]._render("admin_enforcement.case_flowchart", {
            "charts": charts, "current_names": names["current"], "incident_names": names["incident"],
            "next_names": names["next"], "done_count": done_count,
        })
