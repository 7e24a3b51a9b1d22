"""Flowcharts of the BPMN processes, and where a case stands in one.

Three pure pieces, used by the public flowchart (执法流程图) and by the
flowchart on a case form:

* :func:`wrap_label` breaks a Chinese step name into lines. Chinese has no
  spaces, so a line may end between any two characters, except that a
  Latin word or a number is never split, closing punctuation （）、，。 stays
  with the character before it and opening punctuation （ with the one after
  it; a break after punctuation or before an opening bracket is preferred
  when it does not leave the line too short. Closing punctuation may hang
  past the line's width, as in Chinese typesetting (标点悬挂).
* :func:`parse_diagram` reads one process's shapes and flows from the BPMN
  diagram interchange (DI) of a file.
* :func:`mark_progress` says, from a case's process history (element ids of
  the steps done, in order, and of the open tasks), which steps are done,
  which are current, which come next, and which flows were taken.
* :func:`render_svg` draws a diagram, with a progress if given, as SVG that
  scales to its container's width (``viewBox``, ``width="100%"``). All text
  goes through lxml, so names from the BPMN are escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
SVG_NS = "http://www.w3.org/2000/svg"

# ----------------------------------------------------------------------
# Wrapping Chinese labels
# ----------------------------------------------------------------------
#: Punctuation that stays with the character before it (never starts a line).
CLOSING = frozenset("，。、；：！？）》」』】〕〉”’…·%‰,.;:!?)]}")
#: Punctuation that stays with the character after it (never ends a line).
OPENING = frozenset("（《「『【〔〈“‘([{")
#: Characters after which a line break reads naturally.
BREAK_AFTER = frozenset("，。、；：！？）》」』】〕〉和及与或的")
#: A Latin word or a number (with its decimal point, dashes and slashes): never split.
LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:[.\-/+_'][A-Za-z0-9\u00c0-\u024f]+)*")


def char_width(char: str) -> float:
    """Width of one character in em: CJK characters and full-width punctuation
    are one em, Latin letters and digits about half."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char.isspace():
        return 0.3
    return 0.6


def text_width(text: str) -> float:
    """Width of ``text`` in em (see :func:`char_width`)."""
    return sum(char_width(c) for c in text)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces of ``text``: one CJK character, a Latin word or a
    number, or a space (a break opportunity), with punctuation glued on."""
    tokens: list[str] = []
    pending_open = ""
    i = 0
    while i < len(text):
        match = LATIN_RUN.match(text, i)
        if match:
            token, i = match.group(), match.end()
        else:
            token, i = text[i], i + 1
        if token.isspace():
            if pending_open:
                tokens.append(pending_open)
                pending_open = ""
            if tokens and tokens[-1] != " ":
                tokens.append(" ")
            continue
        if token in OPENING:
            pending_open += token
            continue
        if token in CLOSING and not pending_open and tokens and tokens[-1] != " ":
            tokens[-1] += token
            continue
        tokens.append(pending_open + token)
        pending_open = ""
    if pending_open:
        tokens.append(pending_open)
    while tokens and tokens[-1] == " ":
        tokens.pop()
    return tokens


def _fit_width(tokens: list[str]) -> float:
    """Width a line needs: spaces at its ends and one hanging closing mark do not count."""
    text = "".join(tokens).strip()
    width = text_width(text)
    if text and text[-1] in CLOSING:
        width -= char_width(text[-1])
    return width


def _good_break(tokens: list[str], max_width: float) -> int:
    """Where to end a line that ``tokens`` overfill: the last natural break
    (after punctuation, before an opening bracket or at a space) that keeps
    at least half the width, else as late as possible."""
    for cut in range(len(tokens) - 1, 0, -1):
        before, after = tokens[cut - 1], tokens[cut]
        natural = after == " " or before == " " or after[0] in OPENING or before[-1] in BREAK_AFTER
        if natural and _fit_width(tokens[:cut]) >= max_width / 2:
            return cut
    return len(tokens)


def _greedy(tokens: list[str], max_width: float, natural: bool = True) -> list[str]:
    lines: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if current and _fit_width(current + [token]) > max_width:
            cut = min(_good_break(current + [token], max_width), len(current)) if natural else len(current)
            lines.append(current[:cut])
            current = current[cut:]
        current.append(token)
    if current:
        lines.append(current)
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


def wrap_label(text: str, max_width: float) -> list[str]:
    """``text`` in lines of at most ``max_width`` em (a word or number wider
    than that gets a line of its own, unsplit). A last line of one character
    is avoided by narrowing the other lines when that keeps their number."""
    text = " ".join((text or "").split())
    if not text:
        return []
    tokens = _tokens(text)
    # Natural breaks are preferred unless they cost a line.
    lines = min(_greedy(tokens, max_width), _greedy(tokens, max_width, natural=False), key=len)
    if len(lines) > 1 and len(_tokens(lines[-1])) == 1:
        narrower = max_width - 1
        while narrower >= max_width / 2:
            candidate = _greedy(tokens, narrower)
            if len(candidate) > len(lines):
                break
            if len(_tokens(candidate[-1])) > 1:
                return candidate
            narrower -= 1
    return lines


# ----------------------------------------------------------------------
# The diagram of one process
# ----------------------------------------------------------------------
ACTIVITY_KINDS = frozenset({
    "task", "userTask", "serviceTask", "scriptTask", "sendTask", "receiveTask", "businessRuleTask",
    "manualTask", "callActivity", "subProcess",
})
CONTAINER_KINDS = frozenset({"subProcess", "participant", "lane"})


class DiagramError(ValueError):
    """The BPMN cannot be drawn; ``code`` says why ("syntax" or "no_diagram")."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Shape:
    id: str
    kind: str
    name: str
    box: tuple[float, float, float, float]
    label_box: tuple[float, float, float, float] | None = None
    parent: str | None = None  # id of the enclosing subprocess
    attached_to: str | None = None  # a boundary event's activity
    called_element: str | None = None  # a call activity's process id
    error_ref: str | None = None  # the error an end event throws or a boundary event catches


@dataclass
class Flow:
    id: str
    name: str
    source: str
    target: str
    points: list[tuple[float, float]]
    label_box: tuple[float, float, float, float] | None = None


@dataclass
class Diagram:
    process_id: str
    name: str
    shapes: dict[str, Shape]
    flows: list[Flow]
    #: ids of every flow node of the process (also those without a shape)
    element_ids: frozenset[str] = frozenset()

    def outgoing(self, node_id: str) -> list[Flow]:
        return [f for f in self.flows if f.source == node_id]

    def incoming(self, node_id: str) -> list[Flow]:
        return [f for f in self.flows if f.target == node_id]

    @property
    def call_activities(self) -> dict[str, str]:
        """Call activity id -> the process it calls."""
        return {s.id: s.called_element for s in self.shapes.values()
                if s.kind == "callActivity" and s.called_element}


def parse_xml(xml: str | bytes):
    """A BPMN file's root element; entities are not resolved and nothing is fetched."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(xml.encode() if isinstance(xml, str) else xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiagramError("syntax", str(exc)) from exc


def process_name(xml: str | bytes, process_id: str) -> str | None:
    """The name of process ``process_id`` in the file, its id if unnamed, None if absent."""
    for process in parse_xml(xml).iter(f"{{{BPMN_NS}}}process"):
        if process.get("id") == process_id:
            return process.get("name") or process_id
    return None


def parse_diagram(xml: str | bytes, process_id: str) -> Diagram:
    """The shapes and flows of ``process_id``'s plane (a file may hold others)."""
    root = parse_xml(xml)
    process = next((p for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("id") == process_id), None)
    plane = next((p for p in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane") if p.get("bpmnElement") == process_id), None)
    if process is None or plane is None:
        raise DiagramError("no_diagram", process_id)
    elements = {}
    parents = {}
    for element in process.iter():
        if not isinstance(element.tag, str) or not element.get("id"):
            continue
        elements[element.get("id")] = element
        container = element.getparent()
        if container is not None and etree.QName(container).localname == "subProcess":
            parents[element.get("id")] = container.get("id")
    shapes: dict[str, Shape] = {}
    for shape in plane.iter(f"{{{BPMNDI_NS}}}BPMNShape"):
        bounds = shape.find(f"{{{DC_NS}}}Bounds")
        element = elements.get(shape.get("bpmnElement"))
        if bounds is None or element is None:
            continue
        label = shape.find(f"{{{BPMNDI_NS}}}BPMNLabel/{{{DC_NS}}}Bounds")
        shapes[element.get("id")] = Shape(
            id=element.get("id"), kind=etree.QName(element).localname, name=element.get("name") or "",
            box=_bounds(bounds), label_box=_bounds(label) if label is not None else None,
            parent=parents.get(element.get("id")), attached_to=element.get("attachedToRef"),
            called_element=element.get("calledElement"),
            error_ref=next((d.get("errorRef") for d in element.iter(f"{{{BPMN_NS}}}errorEventDefinition")), None),
        )
    flows: list[Flow] = []
    for edge in plane.iter(f"{{{BPMNDI_NS}}}BPMNEdge"):
        element = elements.get(edge.get("bpmnElement"))
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall(f"{{{DI_NS}}}waypoint")]
        if element is None or len(points) < 2:
            continue
        label = edge.find(f"{{{BPMNDI_NS}}}BPMNLabel/{{{DC_NS}}}Bounds")
        flows.append(Flow(id=element.get("id"), name=element.get("name") or "", source=element.get("sourceRef"),
                          target=element.get("targetRef"), points=points,
                          label_box=_bounds(label) if label is not None else None))
    flow_nodes = frozenset(i for i, e in elements.items() if etree.QName(e).localname != "sequenceFlow")
    return Diagram(process_id=process_id, name=process.get("name") or process_id, shapes=shapes, flows=flows,
                   element_ids=flow_nodes)


def _bounds(node) -> tuple[float, float, float, float]:
    return tuple(float(node.get(k)) for k in ("x", "y", "width", "height"))


# ----------------------------------------------------------------------
# Where a case stands
# ----------------------------------------------------------------------
DONE, CURRENT, INCIDENT, NEXT = "done", "current", "incident", "next"
#: History kinds that mean the step was carried out.
DONE_KINDS = frozenset({"service_task", "task_completed"})


@dataclass
class Progress:
    """Status of each element of one diagram: done, current, incident (the
    step failed and waits for an administrator), next (may come after a
    current step) or absent (not reached). ``passed`` are gateways and
    events the case went through; ``taken`` the flows it followed."""

    status: dict[str, str] = field(default_factory=dict)
    passed: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)

    def ids(self, status: str) -> list[str]:
        return [i for i, s in self.status.items() if s == status]


@dataclass(frozen=True)
class Event:
    """One row of a case's process history: its kind and BPMN element id."""

    kind: str
    step: str


def step_states(events: Iterable[Event], open_steps: Iterable[str]) -> dict[str, str]:
    """Element id -> done / current / incident, from the history in the
    order it happened and the element ids of the open tasks. The last word
    on a step counts: a step that failed and then ran is done, one that ran
    and failed later (it runs again, after a return) is an incident; an open
    task is current whatever happened before."""
    states: dict[str, str] = {}
    for event in events:
        if not event.step:
            continue
        if event.kind in DONE_KINDS:
            states[event.step] = DONE
        elif event.kind == "incident":
            states[event.step] = INCIDENT
    for step in open_steps:
        if step:
            states[step] = CURRENT
    return states


def _rank(statuses: Iterable[str | None]) -> str | None:
    found = set(statuses)
    for status in (INCIDENT, CURRENT, DONE):
        if status in found:
            return status
    return None


def mark_progress(diagram: Diagram, states: Mapping[str, str],
                  called: Mapping[str, Iterable[str]] | None = None, last_done: str | None = None) -> Progress:
    """The progress of a case on ``diagram``.

    ``states`` comes from :func:`step_states` (ids of any process: the steps
    of a called process count for the call activity that calls it, given
    the element ids of each called process in ``called``: process id ->
    ids). ``last_done`` is the element of the most recent step done: when no
    step is current (a system step is running), what follows it is next.
    """
    progress = Progress()
    for shape in diagram.shapes.values():
        if shape.kind not in ACTIVITY_KINDS or shape.kind == "subProcess":
            continue
        own = states.get(shape.id)
        if shape.kind == "callActivity" and called and shape.called_element in called:
            own = _rank([own, *(states.get(i) for i in called[shape.called_element])])
        if own:
            progress.status[shape.id] = own
    # An expanded subprocess stands where its steps stand.
    for shape in diagram.shapes.values():
        if shape.kind == "subProcess":
            inner = _rank(progress.status.get(s.id) for s in diagram.shapes.values() if s.parent == shape.id)
            if inner:
                progress.status[shape.id] = CURRENT if inner == INCIDENT else inner
    reached = set(progress.status)
    done = {i for i, s in progress.status.items() if s == DONE}
    _mark_passed(diagram, progress, reached, done)
    frontier = [i for i, s in progress.status.items() if s in (CURRENT, INCIDENT)
                and diagram.shapes[i].kind != "subProcess"]
    if not frontier and last_done:
        holder = last_done if last_done in diagram.shapes else next(
            (c for c, p in diagram.call_activities.items() if called and last_done in set(called.get(p, ()))), None)
        if holder in done:
            frontier = [holder]
    for node in frontier:
        for target in _next_activities(diagram, node):
            if target not in progress.status:
                progress.status[target] = NEXT
    return progress


def _is_activity(diagram: Diagram, node_id: str) -> bool:
    shape = diagram.shapes.get(node_id)
    return shape is not None and shape.kind in ACTIVITY_KINDS


def _mark_passed(diagram: Diagram, progress: Progress, reached: set[str], done: set[str]) -> None:
    """Gateways and events between reached steps, and the flows taken."""
    shapes = diagram.shapes
    if not reached:
        return

    def reaches_forward(node, seen):
        # does a path through gateways and events lead from ``node`` to a reached step?
        for flow in diagram.outgoing(node):
            target = flow.target
            if target in reached or target in seen:
                if target in reached:
                    return True
                continue
            seen.add(target)
            shape = shapes.get(target)
            if shape and shape.kind not in ACTIVITY_KINDS and reaches_forward(target, seen):
                return True
        return False

    def comes_from_done(node, seen):
        shape = shapes.get(node)
        if shape and shape.kind == "startEvent":
            return shape.parent is None or shape.parent in reached
        if shape and shape.attached_to:
            return shape.attached_to in reached
        for flow in diagram.incoming(node):
            source = flow.source
            if source in done:
                return True
            if source in seen or _is_activity(diagram, source):
                continue
            seen.add(source)
            if comes_from_done(source, seen):
                return True
        return False

    for shape in shapes.values():
        if shape.kind in ACTIVITY_KINDS or shape.kind in CONTAINER_KINDS:
            continue
        if shape.kind == "endEvent":
            # An end right after a step done (no choice in between) was reached.
            sources = [f.source for f in diagram.incoming(shape.id)]
            if sources and all(s in done for s in sources):
                progress.passed.add(shape.id)
            continue
        if comes_from_done(shape.id, set()) and reaches_forward(shape.id, set()):
            progress.passed.add(shape.id)
    after = done | progress.passed
    before = reached | progress.passed
    for flow in diagram.flows:
        source_shape = shapes.get(flow.source)
        if source_shape and source_shape.kind == "subProcess":
            ok = progress.status.get(flow.source) == DONE
        else:
            ok = flow.source in after
        if ok and flow.target in before:
            progress.taken.add(flow.id)


def _next_activities(diagram: Diagram, node_id: str) -> list[str]:
    """The steps that may follow ``node_id`` (through gateways and events;
    into a subprocess at its start, out of it at its end)."""
    found: list[str] = []
    seen = {node_id}
    queue = [f.target for f in diagram.outgoing(node_id)]
    shape = diagram.shapes.get(node_id)
    while queue:
        target = queue.pop(0)
        if target in seen:
            continue
        seen.add(target)
        shape = diagram.shapes.get(target)
        if shape is None:
            continue
        if shape.kind == "subProcess":
            queue += [s.id for s in diagram.shapes.values() if s.parent == target and s.kind == "startEvent"]
        elif shape.kind in ACTIVITY_KINDS:
            found.append(target)
        elif shape.kind == "endEvent":
            if shape.parent and shape.error_ref:
                # An error end leaves its subprocess through the boundary event catching it.
                queue += [s.id for s in diagram.shapes.values()
                          if s.attached_to == shape.parent and s.error_ref == shape.error_ref]
            elif shape.parent:
                queue += [f.target for f in diagram.outgoing(shape.parent)]
        else:
            queue += [f.target for f in diagram.outgoing(target)]
    return found


# ----------------------------------------------------------------------
# SVG
# ----------------------------------------------------------------------
FONT = "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif"
TASK_FONT = 12
LABEL_FONT = 11
LINE = 1.25  # line height in em
PAD = 6  # inner padding of a task box
#: Least width of an event's or gateway's outside label, in em.
LABEL_MIN_EM = 6

#: (fill, stroke, stroke width, text colour) of a step by status; None = not reached.
STEP_STYLE = {
    DONE: ("#e6f4ea", "#1e8e3e", "1.6", "#0d3d1d"),
    CURRENT: ("#fff3c4", "#d97706", "3.5", "#3d2a00"),
    INCIDENT: ("#fde8e8", "#c5221f", "3.5", "#5c0b0b"),
    NEXT: ("#ffffff", "#1a73e8", "1.8", "#174ea6"),
    None: ("#ffffff", "#9aa0a6", "1.2", "#3c4043"),
}
TAKEN = "#1e8e3e"
NOT_TAKEN = "#9aa0a6"


def _el(parent, tag, **attrib):
    return etree.SubElement(parent, f"{{{SVG_NS}}}{tag}", attrib={k.rstrip("_").replace("_", "-"): str(v)
                                                                 for k, v in attrib.items()})


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def fit_box(name: str, box: tuple[float, float, float, float]) -> tuple[tuple[float, float, float, float],
                                                                         list[str], int]:
    """A task box big enough for its wrapped name: (box, lines, font size).
    The font goes down to 10 px before the box grows, and it grows around
    its centre."""
    x, y, w, h = box
    for size in (TASK_FONT, TASK_FONT - 1, TASK_FONT - 2):
        lines = wrap_label(name, (w - 2 * PAD) / size)
        widest = max((_fit_width(_tokens(line)) for line in lines), default=0) * size
        if len(lines) * size * LINE <= h - 2 * PAD and widest <= w - 2 * PAD:
            return box, lines, size
    size = TASK_FONT - 2
    new_w = max(w, widest + 2 * PAD)
    new_h = max(h, len(lines) * size * LINE + 2 * PAD)
    return (x - (new_w - w) / 2, y - (new_h - h) / 2, new_w, new_h), lines, size


def _text(parent, lines, x, y, size, colour, anchor="middle", halo=False):
    """Lines centred vertically on ``y`` (or starting at it for a label)."""
    node = _el(parent, "text", x=_n(x), y=_n(y), font_size=size, text_anchor=anchor, fill=colour)
    if halo:
        node.set("paint-order", "stroke")
        node.set("stroke", "#ffffff")
        node.set("stroke-width", "3")
        node.set("stroke-linejoin", "round")
    for index, line in enumerate(lines):
        span = _el(node, "tspan", x=_n(x), dy=_n(0 if index == 0 else size * LINE))
        span.text = line
    return node


def current_window(diagram: Diagram, progress: Progress, width: float = 1300, height: float = 480,
                   lead: float = 260) -> tuple[float, float, float, float] | None:
    """A part of the diagram about ``width`` by ``height`` around where the
    case stands (its current steps, else its next ones): from ``lead``
    before them to what follows, centred on them from top to bottom. None
    when the case stands nowhere (not started, or done) or the whole
    diagram is hardly wider."""
    focus = [i for i in progress.ids(CURRENT) + progress.ids(INCIDENT)
             if diagram.shapes[i].kind not in CONTAINER_KINDS] or progress.ids(NEXT)
    if not focus:
        return None
    full = extent(diagram)
    if full[2] <= width * 1.3:
        return None
    left = min(diagram.shapes[i].box[0] for i in focus) - lead
    right = max(diagram.shapes[i].box[0] + diagram.shapes[i].box[2] for i in focus) + lead
    window = max(width, right - left)
    left = max(full[0], min(left, full[0] + full[2] - window))
    top, tall = full[1], full[3]
    if tall > height * 1.2:
        boxes = [diagram.shapes[i].box for i in focus]
        middle = (min(b[1] for b in boxes) + max(b[1] + b[3] for b in boxes)) / 2
        tall = max(height, max(b[1] + b[3] for b in boxes) - min(b[1] for b in boxes) + 120)
        top = max(full[1], min(middle - tall / 2, full[1] + full[3] - tall))
    return (left, top, window, tall)


def extent(diagram: Diagram) -> tuple[float, float, float, float]:
    """(x, y, width, height) of everything drawn, with a margin."""
    boxes = [fit_box(s.name, s.box)[0] if s.kind in ACTIVITY_KINDS and s.kind not in CONTAINER_KINDS else s.box
             for s in diagram.shapes.values()]
    boxes += [s.label_box for s in diagram.shapes.values() if s.label_box]
    xs = [b[0] for b in boxes] + [x for f in diagram.flows for x, _y in f.points]
    ys = [b[1] for b in boxes] + [y for f in diagram.flows for _x, y in f.points]
    x2 = [b[0] + b[2] for b in boxes] + xs
    y2 = [b[1] + b[3] for b in boxes] + ys
    if not xs:
        return (0.0, 0.0, 100.0, 100.0)
    min_x, min_y = min(xs) - 30, min(ys) - 20
    return (min_x, min_y, max(x2) - min_x + 30, max(y2) - min_y + 40)


def render_svg(diagram: Diagram, progress: Progress | None = None, id_prefix: str = "fc",
               status_labels: Mapping[str, str] | None = None,
               view: tuple[float, float, float, float] | None = None) -> str:
    """The diagram as an SVG string that scales to its container's width.

    Without a progress it is the public flowchart; with one, steps are
    coloured by status (done green with a check, current amber and thick,
    an incident red, next dashed blue, the rest grey) and the flows taken
    green. ``id_prefix`` keeps ids unique when several charts share a page;
    ``status_labels`` (status -> text in the reader's language) adds a
    tooltip to each step. ``view`` (x, y, width, height) draws only that
    part (see :func:`current_window`).
    """
    laid_out = {}
    for shape in diagram.shapes.values():
        if shape.kind in ACTIVITY_KINDS and shape.kind not in CONTAINER_KINDS:
            laid_out[shape.id] = fit_box(shape.name, shape.box)
    min_x, min_y, width, height = view or extent(diagram)

    svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    for key, value in {
        "viewBox": f"{_n(min_x)} {_n(min_y)} {_n(width)} {_n(height)}", "width": "100%",
        "preserveAspectRatio": "xMinYMin meet", "role": "img", "font-family": FONT, "font-size": str(TASK_FONT),
        "class": "enforcement-flowchart", "data-width": _n(width), "data-height": _n(height),
        "style": f"display:block;height:auto;aspect-ratio:{_n(width)}/{_n(height)}",
    }.items():
        svg.set(key, value)
    title = _el(svg, "title")
    title.text = diagram.name
    defs = _el(svg, "defs")
    for suffix, colour in (("", "#333333" if progress is None else NOT_TAKEN), ("-taken", TAKEN)):
        marker = _el(defs, "marker", id=f"{id_prefix}-arrow{suffix}", viewBox="0 0 10 10", refX="10", refY="5",
                     markerWidth="7", markerHeight="7", orient="auto-start-reverse")
        _el(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill=colour)

    order = {"subProcess": 0, "participant": 0, "lane": 0}
    shapes = sorted(diagram.shapes.values(), key=lambda s: order.get(s.kind, 2 if s.attached_to else 1))
    for shape in shapes:
        if shape.kind in CONTAINER_KINDS:
            _draw_shape(svg, shape, progress, laid_out, status_labels)
    for flow in diagram.flows:
        taken = progress is not None and flow.id in progress.taken
        colour = TAKEN if taken else ("#333333" if progress is None else NOT_TAKEN)
        group = _el(svg, "g", class_="flow taken" if taken else "flow", data_id=flow.id)
        _el(group, "polyline", points=" ".join(f"{_n(x)},{_n(y)}" for x, y in flow.points), fill="none",
            stroke=colour, stroke_width="2.2" if taken else "1.2",
            marker_end=f"url(#{id_prefix}-arrow{'-taken' if taken else ''})")
        if flow.name:
            _flow_label(group, flow)
    for shape in shapes:
        if shape.kind not in CONTAINER_KINDS:
            _draw_shape(svg, shape, progress, laid_out, status_labels)
    return etree.tostring(svg, encoding="unicode")


def _flow_label(group, flow: Flow):
    """A flow's name (a gateway's answer: 是, 否：继续等待): where the
    diagram puts it, else above a horizontal first segment or beside a
    vertical one, so it does not sit on the arrow."""
    if flow.label_box:
        lx, ly, lw, _lh = flow.label_box
        lines = wrap_label(flow.name, max(lw / LABEL_FONT, LABEL_MIN_EM))
        _text(group, lines, lx + lw / 2, ly + LABEL_FONT, LABEL_FONT, "#3c4043", halo=True)
        return
    (xa, ya), (xb, yb) = flow.points[0], flow.points[1]
    if abs(ya - yb) < 1:
        lines = wrap_label(flow.name, max(abs(xb - xa) - 8, 3 * LABEL_FONT) / LABEL_FONT)
        top = ya - 5 - (len(lines) - 1) * LABEL_FONT * LINE
        _text(group, lines, (xa + xb) / 2, top, LABEL_FONT, "#3c4043", halo=True)
    else:
        lines = wrap_label(flow.name, LABEL_MIN_EM)
        _text(group, lines, xa + 5, (ya + yb) / 2, LABEL_FONT, "#3c4043", anchor="start", halo=True)


def _draw_shape(svg, shape: Shape, progress: Progress | None, laid_out, status_labels):
    status = progress.status.get(shape.id) if progress else None
    passed = progress is not None and shape.id in progress.passed
    classes = [shape.kind] + ([status] if status else []) + (["passed"] if passed else [])
    group = _el(svg, "g", class_=" ".join(classes), data_id=shape.id)
    if status:
        group.set("data-status", status)
    tooltip = shape.name
    if status and status_labels and status in status_labels:
        tooltip = f"{shape.name} · {status_labels[status]}" if shape.name else status_labels[status]
    if tooltip:
        _el(group, "title").text = tooltip
    x, y, w, h = shape.box
    public = progress is None
    if shape.kind.endswith("Event"):
        stroke = TAKEN if passed else ("#333333" if public else NOT_TAKEN)
        fill = "#e6f4ea" if passed else "#ffffff"
        _el(group, "circle", cx=_n(x + w / 2), cy=_n(y + h / 2), r=_n(w / 2), fill=fill, stroke=stroke,
            stroke_width="3" if shape.kind == "endEvent" else "1.5")
        if shape.kind in ("intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"):
            _el(group, "circle", cx=_n(x + w / 2), cy=_n(y + h / 2), r=_n(w / 2 - 3), fill="none", stroke=stroke)
        _outside_label(group, shape, x, y, w, h)
    elif shape.kind.endswith("Gateway"):
        stroke = TAKEN if passed else ("#333333" if public else NOT_TAKEN)
        fill = "#e6f4ea" if passed else ("#fffbe6" if public else "#ffffff")
        corners = ((x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2))
        points = " ".join(f"{_n(cx)},{_n(cy)}" for cx, cy in corners)
        _el(group, "polygon", points=points, fill=fill, stroke=stroke, stroke_width="1.5")
        _outside_label(group, shape, x, y, w, h)
    elif shape.kind in CONTAINER_KINDS:
        highlight = status in (CURRENT, INCIDENT)
        _el(group, "rect", x=_n(x), y=_n(y), width=_n(w), height=_n(h), rx="10",
            fill="#fffdf5" if highlight else "#f7f9fc", stroke="#d97706" if highlight else "#6b7a90",
            stroke_dasharray="4 2", stroke_width="2" if highlight else "1")
        _text(group, [shape.name], x + 10, y + 20, TASK_FONT + 1, "#3c4043", anchor="start")
    else:
        (bx, by, bw, bh), lines, size = laid_out[shape.id]
        if public:
            fill = "#eaf2ff" if shape.kind == "userTask" else "#f0f0f0" if shape.kind == "callActivity" else "#ffffff"
            stroke, stroke_width, colour = "#333333", "1.2", "#1f2329"
        else:
            fill, stroke, stroke_width, colour = STEP_STYLE[status]
        if status in (CURRENT, INCIDENT):
            _el(group, "rect", x=_n(bx - 6), y=_n(by - 6), width=_n(bw + 12), height=_n(bh + 12), rx="12",
                fill="none", stroke=stroke, stroke_opacity="0.3", stroke_width="6")
        rect = _el(group, "rect", x=_n(bx), y=_n(by), width=_n(bw), height=_n(bh), rx="8", fill=fill, stroke=stroke,
                   stroke_width="3" if shape.kind == "callActivity" and status is None else stroke_width)
        if status == NEXT:
            rect.set("stroke-dasharray", "6 3")
        if shape.kind == "callActivity":  # the BPMN marker of a call: a small box with a plus
            cx, cy = bx + bw / 2, by + bh - 9
            _el(group, "rect", x=_n(cx - 6), y=_n(cy - 6), width="12", height="12", fill="none", stroke=stroke)
            _el(group, "path", d=f"M {_n(cx - 4)} {_n(cy)} H {_n(cx + 4)} M {_n(cx)} {_n(cy - 4)} V {_n(cy + 4)}",
                stroke=stroke)
        first = by + bh / 2 - (len(lines) - 1) * size * LINE / 2 + size * 0.35
        if shape.kind == "callActivity":
            first -= 6
        _text(group, lines, bx + bw / 2, first, size, colour)
        if status == DONE:
            _badge(group, bx + bw, by, TAKEN, "M -4 0 L -1 3 L 4 -3")
        elif status == INCIDENT:
            _badge(group, bx + bw, by, "#c5221f", "M 0 -4 V 1 M 0 3.5 V 4")


def _badge(group, cx, cy, colour, path):
    _el(group, "circle", cx=_n(cx), cy=_n(cy), r="9", fill=colour, stroke="#ffffff", stroke_width="1.5")
    _el(group, "path", d=path, transform=f"translate({_n(cx)} {_n(cy)})", fill="none", stroke="#ffffff",
        stroke_width="2.2", stroke_linecap="round", stroke_linejoin="round")


def _outside_label(group, shape: Shape, x, y, w, h):
    if not shape.name:
        return
    lx, ly, lw, _lh = shape.label_box or (x - 20, y + h + 4, w + 40, 14)
    width = max(lw / LABEL_FONT, LABEL_MIN_EM)
    lines = wrap_label(shape.name, width)
    _text(group, lines, lx + lw / 2, ly + LABEL_FONT, LABEL_FONT, "#1f2329", halo=True)
