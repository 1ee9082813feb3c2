"""The JSON report of SPEC §5 (stable public interface)."""

from __future__ import annotations

import json
from typing import TextIO

from postmortem_lint.core.diagnostics import counts
from postmortem_lint.reporters.subjects import CheckReport


def render(report: CheckReport, out: TextIO) -> None:
    diagnostics, files_checked = report.diagnostics, report.files_checked
    payload = {
        "version": 1,
        "files_checked": files_checked,
        "summary": counts(diagnostics),
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
    json.dump(payload, out, indent=2, ensure_ascii=False)
    out.write("\n")
