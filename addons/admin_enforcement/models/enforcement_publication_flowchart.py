import textwrap

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
SVG_NS = "http://www.w3.org/2000/svg"
#: Characters per label line in a task box (CJK glyphs are about 12 px wide at 12 px).
LABEL_WIDTH = 8
#: Diagrams are drawn for a 1920-px modeler canvas; shown smaller, they still read on a phone when scrolled.
DISPLAY_SCALE = 0.7


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
        root = self._parse(xml)
        for process in root.iter(f"{{{BPMN_NS}}}process"):
            if process.get("id") == process_id:
                return process.get("name") or process_id
        raise UserError(self.env._("The deployed XML has no process %(id)s.", id=process_id))

    @api.model
    def _parse(self, xml):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            return etree.fromstring(xml.encode(), parser=parser)
        except etree.XMLSyntaxError as exc:
            raise UserError(self.env._("The BPMN XML is not well-formed: %(error)s", error=str(exc))) from exc

    # ------------------------------------------------------------------
    # Flowchart: BPMN diagram interchange → SVG
    # ------------------------------------------------------------------
    def _render_svg(self):
        """The diagram of this process as an SVG string, drawn from its BPMN DI
        shapes and edges. Only this process's plane is drawn (the file may
        hold others). All text goes through lxml, so names are escaped."""
        self.ensure_one()
        root = self._parse(self.xml)
        elements = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        plane = next((p for p in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane")
                      if p.get("bpmnElement") == self.bpmn_process_id), None)
        if plane is None:
            raise UserError(self.env._("The process %(id)s has no diagram.", id=self.bpmn_process_id))
        shapes, edges = [], []
        for shape in plane.iter(f"{{{BPMNDI_NS}}}BPMNShape"):
            bounds = shape.find(f"{{{DC_NS}}}Bounds")
            element = elements.get(shape.get("bpmnElement"))
            if bounds is None or element is None:
                continue
            box = tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))
            label = shape.find(f"{{{BPMNDI_NS}}}BPMNLabel/{{{DC_NS}}}Bounds")
            label_box = tuple(float(label.get(k)) for k in ("x", "y", "width", "height")) if label is not None \
                else None
            shapes.append((etree.QName(element).localname, element, box, label_box, shape.get("isExpanded")))
        for edge in plane.iter(f"{{{BPMNDI_NS}}}BPMNEdge"):
            points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall(f"{{{DI_NS}}}waypoint")]
            element = elements.get(edge.get("bpmnElement"))
            if len(points) >= 2 and element is not None:
                edges.append((element, points))
        xs = [b[0] for _t, _e, b, _l, _x in shapes] + [x for _e, pts in edges for x, _y in pts]
        ys = [b[1] for _t, _e, b, _l, _x in shapes] + [y for _e, pts in edges for _x, y in pts]
        x2 = [b[0] + b[2] for _t, _e, b, _l, _x in shapes] + xs
        y2 = [b[1] + b[3] for _t, _e, b, _l, _x in shapes] + ys
        min_x, min_y = min(xs) - 20, min(ys) - 20
        width, height = max(x2) - min_x + 40, max(y2) - min_y + 60

        svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS}, attrib={
            "viewBox": f"{min_x:g} {min_y:g} {width:g} {height:g}", "width": f"{width * DISPLAY_SCALE:g}",
            "height": f"{height * DISPLAY_SCALE:g}", "role": "img", "font-family": "'Noto Sans CJK SC','Microsoft YaHei',sans-serif",
            "font-size": "12",
        })
        title = etree.SubElement(svg, f"{{{SVG_NS}}}title")
        title.text = self.name
        defs = etree.SubElement(svg, f"{{{SVG_NS}}}defs")
        marker = etree.SubElement(defs, f"{{{SVG_NS}}}marker", id="arrow", viewBox="0 0 10 10", refX="10",
                                  refY="5", markerWidth="7", markerHeight="7", orient="auto-start-reverse")
        etree.SubElement(marker, f"{{{SVG_NS}}}path", d="M 0 0 L 10 5 L 0 10 z", fill="#333")
        # Containers first so tasks and flows are drawn over them.
        order = {"subProcess": 0, "participant": 0, "lane": 0}
        for kind, element, box, label_box, expanded in sorted(shapes, key=lambda s: order.get(s[0], 1)):
            self._draw_shape(svg, kind, element, box, label_box, expanded)
        for element, points in edges:
            group = etree.SubElement(svg, f"{{{SVG_NS}}}g", attrib={"class": "flow"})
            etree.SubElement(group, f"{{{SVG_NS}}}polyline", points=" ".join(f"{x:g},{y:g}" for x, y in points),
                             fill="none", stroke="#333", attrib={"stroke-width": "1.2", "marker-end": "url(#arrow)"})
            if element.get("name"):
                (x1, y1), (x2_, y2_) = points[0], points[1]
                self._text(group, element.get("name"), (x1 + x2_) / 2 + 4, (y1 + y2_) / 2 - 4, anchor="start",
                           size=11)
        return etree.tostring(svg, encoding="unicode")

    def _text(self, parent, text, x, y, anchor="middle", size=12, width=None):
        lines = textwrap.wrap(text, width) if width else [text]
        node = etree.SubElement(parent, f"{{{SVG_NS}}}text", x=f"{x:g}", y=f"{y:g}",
                                attrib={"text-anchor": anchor, "font-size": str(size)})
        start = -(len(lines) - 1) * (size + 2) / 2
        for index, line in enumerate(lines):
            span = etree.SubElement(node, f"{{{SVG_NS}}}tspan", x=f"{x:g}",
                                    dy=f"{(start if index == 0 else size + 2):g}")
            span.text = line
        return node

    def _draw_shape(self, svg, kind, element, box, label_box, expanded):
        x, y, w, h = box
        name = element.get("name") or ""
        group = etree.SubElement(svg, f"{{{SVG_NS}}}g", attrib={"class": kind, "data-id": element.get("id")})
        if kind.endswith("Event"):
            stroke = "3" if kind == "endEvent" else "1.5"
            etree.SubElement(group, f"{{{SVG_NS}}}circle", cx=f"{x + w / 2:g}", cy=f"{y + h / 2:g}",
                             r=f"{w / 2:g}", fill="#fff", stroke="#333", attrib={"stroke-width": stroke})
            if kind in ("intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"):
                etree.SubElement(group, f"{{{SVG_NS}}}circle", cx=f"{x + w / 2:g}", cy=f"{y + h / 2:g}",
                                 r=f"{w / 2 - 3:g}", fill="none", stroke="#333")
        elif kind.endswith("Gateway"):
            points = f"{x + w / 2:g},{y:g} {x + w:g},{y + h / 2:g} {x + w / 2:g},{y + h:g} {x:g},{y + h / 2:g}"
            etree.SubElement(group, f"{{{SVG_NS}}}polygon", points=points, fill="#fffbe6", stroke="#333")
        elif kind in ("subProcess", "participant", "lane"):
            etree.SubElement(group, f"{{{SVG_NS}}}rect", x=f"{x:g}", y=f"{y:g}", width=f"{w:g}", height=f"{h:g}",
                             rx="10", fill="#f7f9fc", stroke="#6b7a90", attrib={"stroke-dasharray": "4 2"})
            self._text(group, name, x + 8, y + 18, anchor="start")
            return
        else:
            fill = "#eaf2ff" if kind == "userTask" else "#f0f0f0" if kind == "callActivity" else "#fff"
            etree.SubElement(group, f"{{{SVG_NS}}}rect", x=f"{x:g}", y=f"{y:g}", width=f"{w:g}", height=f"{h:g}",
                             rx="8", fill=fill, stroke="#333",
                             attrib={"stroke-width": "2.5" if kind == "callActivity" else "1.2"})
            self._text(group, name, x + w / 2, y + h / 2 + 4, width=max(4, int(w / 12)))
            return
        if name:
            lx, ly, lw, _lh = label_box or (x - 20, y + h + 4, w + 40, 14)
            self._text(group, name, lx + lw / 2, ly + 12, size=11, width=LABEL_WIDTH + 4)
