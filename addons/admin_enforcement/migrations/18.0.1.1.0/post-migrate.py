"""18.0.1.1.0: chain entries are signed with the bureau's key.

A database from before then holds unsigned entries (no key id, no
signature), and nothing can be added on top of an unsigned entry. Every
chain that verifies with the rules of that time is signed, entry by entry in
order; a chain that does not is left unsigned and flagged on its case, so
the break stays visible. Anchors signed before key ids are signed again
with their key id when their old signature verifies. See
enforcement.chain.entry._sign_pre_signature_chains.
"""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["enforcement.chain.entry"]._sign_pre_signature_chains()
