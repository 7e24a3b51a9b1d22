"""What the worker's incident import does with one listing of the engine's
open incidents: import the ids Odoo does not know yet, resolve the ones
Odoo holds open that the engine no longer lists. The engine deletes an
incident when it is resolved (retries given, the step restarted or
cancelled, the instance ended), so "not listed" is "resolved"."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .reasons import Reason


@dataclass(frozen=True)
class SyncPlan:
    new: frozenset[str]
    resolved: frozenset[str]


def sync_plan(listed: Iterable[str], known: Iterable[str], open_in_odoo: Iterable[str]) -> SyncPlan:
    """``listed``: every open incident id in the engine; ``known``: the
    listed ids Odoo already has (in any state); ``open_in_odoo``: Odoo's
    rows not yet resolved. An id once imported is never imported again,
    and a resolved row is not reopened (the engine raises a new incident,
    with a new id, when a repaired step fails again)."""
    listed = frozenset(listed)
    return SyncPlan(new=listed - frozenset(known), resolved=frozenset(open_in_odoo) - listed)


# The engine's own wording (Operaton 1.0, JUEL): an expression naming a
# variable the process does not hold, e.g. a timer's due date.
_UNKNOWN_PROPERTY = re.compile(r"Unknown property used in expression: \$\{(?P<expression>[^}]*)\}"
                               r"(?:\. Cause: Cannot resolve identifier '(?P<name>[^']+)')?")
# What the worker reports for a step its handler refused or failed:
# ``<exception class>: <text>`` (runtime.ExternalTaskWorker).
_WORKER_FAILURE = re.compile(r"(?P<kind>[A-Za-z_][\w.]*(?:Error|Exception|Warning)): (?P<text>.+)", re.S)
_REFUSALS = ("UserError", "ValidationError", "AccessError")


def explain(message: str | None) -> Reason | None:
    """The engine's message of an incident as a reason the bureau's staff can
    read, or None when it is not one the product recognises (the screen then
    shows the engine's text as it is)."""
    text = (message or "").strip()
    if match := _UNKNOWN_PROPERTY.search(text):
        name = match["name"] or match["expression"].strip()
        return Reason("missing_variable", f"the process holds no value {name} that the step needs", name=name)
    if match := _WORKER_FAILURE.fullmatch(text):
        kind = match["kind"].rsplit(".", 1)[-1]
        if kind in _REFUSALS:
            return Reason("step_refused", f"the step was refused: {match['text']}", detail=match["text"])
        return Reason("step_failed", f"the step failed ({kind}): {match['text']}", kind=kind, detail=match["text"])
    return None
