"""GitLab Code Quality report: a JSON array of Code Climate issues.

The fingerprint hashes the path, the code, the offending text and its
occurrence, not the line, so that GitLab's comparison with the target branch
does not call a finding new because lines moved above it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.reporters.subjects import CheckReport

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(report: CheckReport, out: TextIO) -> None:
    diagnostics, path_prefix = report.diagnostics, report.path_prefix
    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for d in diagnostics:
        key = (d.path, d.code, d.text or d.message)
        seen[key] = seen.get(key, 0) + 1
        issues.append(_issue(d, prefix=path_prefix, occurrence=seen[key]))
    json.dump(issues, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _issue(d: Diagnostic, prefix: str, occurrence: int) -> dict[str, Any]:
    raw = "\0".join((prefix + d.path, d.code, d.text or d.message, str(occurrence)))
    return {
        "type": "issue",
        "check_name": d.code,
        "description": f"{d.code} {d.name}: {d.message}",
        "categories": ["Style"],
        "fingerprint": hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest(),
        "severity": SEVERITIES.get(d.severity, "minor"),
        "location": {"path": prefix + d.path, "lines": {"begin": d.line, "end": max(d.line, d.end_line)}},
    }
