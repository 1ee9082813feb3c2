"""Fixes for the servers: the model is `core.diagnostics` (SPEC §7's ``safety``, ``message``, ``edits``) and applying
them is `lint.fixing`; here a fix is read back from what a client sends (a published diagnostic's ``data``).

Edit positions are pmlint's: 1-based lines, 1-based columns in Unicode code points,
the end exclusive, on the text as the linter sees it (no BOM, any newline).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postmortem_lint.core.diagnostics import EDIT_KEYS, Edit, Fix
from postmortem_lint.lint.fixing import apply_fixes, line_starts, offset

__all__ = ["Edit", "Fix", "apply_fixes", "line_starts", "offset", "parse"]


def parse(raw: Any) -> Fix:
    """A fix from an object with these attributes or from a mapping (the JSON shape)."""
    edits = tuple(_edit(e) for e in _get(raw, "edits") or ())
    return Fix(str(_get(raw, "safety") or "safe"), str(_get(raw, "message") or ""), edits)


def _edit(raw: Any) -> Edit:
    line, column, end_line, end_column = (int(_get(raw, key)) for key in EDIT_KEYS[:4])
    return Edit(line, column, end_line, end_column, str(_get(raw, "replacement") or ""))


def _get(raw: Any, key: str) -> Any:
    return raw.get(key) if isinstance(raw, Mapping) else getattr(raw, key, None)
