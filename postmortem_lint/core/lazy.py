"""The one place where pmlint imports a module when first needed instead of at the top, each with the reason.

A pre-commit hook that checks one file pays for every import (NOTES.md: imports are
the floor of its latency), so the modules below are loaded only by the code that
needs them, through `load`. Every other import in the package sits at the top of
its module (ruff's PLC0415 holds that; this module is its one exception), and
tests/layers_test.py checks that every `load` names an entry of `DEFERRED` and
points down the layers. A name ending in "." stands for every module below it.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

DEFERRED: dict[str, str] = {
    "postmortem_lint.document.parse": "imports mistune (~60 ms); a run whose files all come from the cache never parses",
    "postmortem_lint.config.files": (
        "imports tomllib, ruamel.yaml and pydantic (~200 ms); needed only when a configuration file changed since it was validated"
    ),
    "postmortem_lint.config.schema": "imports pydantic (~130 ms); only `pmlint config --schema` and validating a file need it",
    "postmortem_lint.io.yamlio": (
        "imports ruamel.yaml (~50 ms); the shipped packs come pre-compiled, YAML is read only for a team's pack or roster"
    ),
    "postmortem_lint.io.gitrefs": "imports GitPython (~140 ms); only --against and --changed-since read another ref",
    "postmortem_lint.packs.schema": (
        "imports pydantic (~130 ms); a pack is validated only when it is a team's own or the shipped YAML was edited"
    ),
    "postmortem_lint.packs.templates.schema": (
        "imports pydantic (~130 ms); a template pack is validated only when it is a team's own or a shipped one was edited"
    ),
    "postmortem_lint.lint.linter": (
        "imports the document model, the builder and the rules (~15 ms); a run whose files all come from the cache builds no document"
    ),
    "postmortem_lint.lint.packdata": ("the data packs and the blame engine (~10 ms); only a run that lints a document reads them"),
    "postmortem_lint.features.": (
        "one module per feature: a check loads the tracker only with --fix, the baseline only with --baseline or --write-baseline"
    ),
    "postmortem_lint.lint.pool": "imports concurrent.futures (~20 ms); only a run over many files forks workers",
    "postmortem_lint.checks.": "one module per rule: a run loads only the rules it runs (a cached one-file run: the repository rules)",
    "postmortem_lint.reporters.": "one module per output format: a run prints one",
    "postmortem_lint.commands.": "imports click (~10 ms) and one command's code; `pmlint check PATH...` runs without either",
    "postmortem_lint.servers.": (
        "imports pygls (~0.5 s) or the MCP SDK (~0.8 s), optional extras; only `pmlint server` and `pmlint mcp` load them"
    ),
}


def deferred(name: str) -> bool:
    """Is ``name`` (a module) one that may be imported through `load`?"""
    return name in DEFERRED or any(key.endswith(".") and name.startswith(key) for key in DEFERRED)


def load(name: str) -> ModuleType:
    """The module ``name``, imported now if it was not yet; it must be `deferred`.

    A module already imported (and done initialising) is taken from `sys.modules` as `importlib.import_module` would
    return it, without its five frames of bookkeeping: the rules ask for the run's template pack through here about 60
    times per document."""
    if not deferred(name):
        raise LookupError(f"{name} is not a deferred import: import it at the top of the module, or add it to lazy.DEFERRED with why")
    module = sys.modules.get(name)
    if module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False):
        return module
    return importlib.import_module(name)
