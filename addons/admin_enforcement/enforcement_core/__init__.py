"""Pure-Python domain core of admin_enforcement.

Nothing in this package imports Odoo: the statutory rules (deadlines,
surcharges, certificates, discretion, the major-decision catalogue, hearings,
the tamper-evident chain, redaction, the random draw, numbering, BPMN lint,
the reader of the State Council holiday notice) are plain functions over
dataclasses, so they are unit-tested in milliseconds and reused by the Odoo
models, the Zeebe workers and the CLI.

Modules are deliberately not imported here: importing one rule (e.g. the
BPMN linter in CI) must not pull in optional dependencies of another
(``cryptography`` for anchors, ``chinesecalendar`` for deadlines).
"""
