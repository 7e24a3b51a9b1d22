"""Zeebe job workers. Imported only by the `enforcement_worker` CLI command,
so the Odoo web server never loads pyzeebe.

Each area of the procedure has its own module `<area>_router.py` exposing
`build_router(runner, settings) -> ZeebeTaskRouter`; the worker includes
every such module, so adding an area is adding a file.
"""
import importlib
import pkgutil


def router_builders():
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_router")):
        yield importlib.import_module(f"{__name__}.{module}").build_router
