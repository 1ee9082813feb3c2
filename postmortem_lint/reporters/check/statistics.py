"""`pmlint check --statistics`: a count per rule, most frequent first (a JSON list with ``--format json``, as ruff does)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from postmortem_lint.core.diagnostics import Diagnostic


def render(diagnostics: Sequence[Diagnostic], out: TextIO, as_json: bool = False) -> None:
    counted = Counter((d.code, d.name, d.severity, d.fixable) for d in diagnostics)
    rows = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        keys = ("code", "name", "severity", "fixable")
        json.dump([{**dict(zip(keys, row, strict=True)), "count": count} for row, count in rows], out, indent=2)
        out.write("\n")
        return
    for (code, name, severity, _fixable), count in rows:
        out.write(f"{count:>6}  {code}  {name:<28} [{severity}]\n")
    out.write(f"{sum(counted.values()):>6}  total\n")
