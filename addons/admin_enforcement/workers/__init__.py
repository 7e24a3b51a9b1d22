"""The engine's external-task workers. Imported only by the
`enforcement_worker` CLI command, so the Odoo web server never loads them.

Each area of the procedure has its own module `<area>_handlers.py` whose
`@topic` handlers register themselves in `runtime.TOPICS`; the worker imports
every such module, so adding an area is adding a file.
"""
import importlib
import pkgutil


def load_handlers():
    """Import every `<area>_handlers` module; returns runtime.TOPICS."""
    from .runtime import TOPICS

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_handlers")):
        importlib.import_module(f"{__name__}.{module}")
    return TOPICS
