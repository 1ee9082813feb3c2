"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every rule of the catalog is described (help text from its docstring); results
point at repository-relative URIs. ``partialFingerprints`` are left to the
uploader (GitHub computes ``primaryLocationLineHash`` itself). Columns are
Unicode code points, 1-based; ``endColumn`` is the column after the last
character, as in SARIF.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from postmortem_lint import __version__
from postmortem_lint.checks.registry import catalog
from postmortem_lint.core.diagnostics import Diagnostic, Fix
from postmortem_lint.core.rule_info import RuleInfo, section_of
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.reporters.subjects import CheckReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/pmlint/pmlint"
LEVELS = {"error": "error", "warning": "warning", "info": "note", COMPLETENESS: "error"}


def render(report: CheckReport, out: TextIO) -> None:
    diagnostics, path_prefix = report.diagnostics, report.path_prefix
    rules = catalog()
    order = {code: i for i, code in enumerate(rules)}
    run = {
        "tool": {"driver": _driver(list(rules.values()))},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the repository."}}},
        "results": [_result(d, order[d.code], path_prefix) for d in diagnostics],
    }
    json.dump({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _driver(rules: list[RuleInfo]) -> dict[str, Any]:
    return {
        "name": "pmlint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(r) for r in rules],
    }


def _rule(rule: RuleInfo) -> dict[str, Any]:
    full = " ".join(section_of(rule.doc, "What it does").split()) or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": " ".join(rule.summary.split())},
        "fullDescription": {"text": full},
        "help": {"text": rule.doc or rule.summary, "markdown": rule.doc or rule.summary},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": ["post-mortem"]},
    }


def _result(d: Diagnostic, index: int, prefix: str) -> dict[str, Any]:
    result = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": LEVELS.get(d.severity, "warning"),
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(prefix + d.path), "region": _region(d)}}],
    }
    if d.fix is not None and d.fix.edits:
        result["fixes"] = [_fix(d.fix, prefix + d.path)]
    return result


def _fix(fix: Fix, path: str) -> dict[str, Any]:
    """A SARIF fix: one artifact change with a replacement per edit (an insertion deletes an empty region)."""
    replacements = [
        {
            "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line, "endColumn": e.end_column},
            "insertedContent": {"text": e.replacement},
        }
        for e in fix.edits
    ]
    description = {"text": f"{fix.message} ({fix.safety} fix)"}
    return {"description": description, "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": replacements}]}


def _artifact(path: str) -> dict[str, str]:
    """A percent-encoded URI: repository-relative, or ``file://`` for a file outside the project."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def _region(d: Diagnostic) -> dict[str, int]:
    region = {"startLine": d.line}
    if d.column > 0:
        region["startColumn"] = d.column
    region["endLine"] = max(d.line, d.end_line)
    if d.end_column > 0 and (d.end_line > d.line or d.end_column > d.column):
        region["endColumn"] = d.end_column
    return region
