"""Make ``enforcement_core`` importable without Odoo: it lives inside the addon."""

import sys
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parents[2] / "addons" / "admin_enforcement"
sys.path.insert(0, str(ADDON_DIR))
