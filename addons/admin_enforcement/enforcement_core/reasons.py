"""Reasons the rules give for a refusal, readable in any language.

A rule returns each reason as a ``Reason``: it compares and prints as its
English text (logs, the CLI, the unit tests), and carries a stable ``code``
with the ``params`` the text was built from, so the Odoo layer writes the
same reason in the reader's language from its own translated template
instead of translating sentences assembled in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


class Reason(str):
    """One reason for a refusal: English text plus ``code`` and ``params``."""

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, text: str, **params: Any) -> Reason:
        reason = super().__new__(cls, text)
        reason.code = code
        reason.params = MappingProxyType(params)
        return reason

    def __reduce__(self):  # keeps code and params through pickling (Odoo's caches copy values)
        return (_rebuild, (self.code, str(self), dict(self.params)))


def _rebuild(code: str, text: str, params: dict) -> Reason:
    return Reason(code, text, **params)
