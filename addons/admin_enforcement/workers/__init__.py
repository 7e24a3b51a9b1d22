"""Zeebe job workers. Imported only by the `enforcement_worker` CLI command,
so the Odoo web server never loads pyzeebe."""
