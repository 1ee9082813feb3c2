"""The JSON report of SPEC §5 (stable public interface)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters import counts


def render(diagnostics: list[Diagnostic], files_checked: int, out: TextIO, **_: Any) -> None:
    payload = {
        "version": 1,
        "files_checked": files_checked,
        "summary": counts(diagnostics),
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
    json.dump(payload, out, indent=2, ensure_ascii=False)
    out.write("\n")
