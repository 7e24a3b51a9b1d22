"""What the worker's incident import does with one listing of the engine's
open incidents: import the ids Odoo does not know yet, resolve the ones
Odoo holds open that the engine no longer lists. The engine deletes an
incident when it is resolved (retries given, the step restarted or
cancelled, the instance ended), so "not listed" is "resolved"."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
