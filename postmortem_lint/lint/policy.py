"""From findings to diagnostics: selection, `since`, per-file ignores, severity, inline suppressions (and PM901).

Everything here is policy set by the user (options, configuration, comments in
the document) applied to what the rules found; the rules themselves never see it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.codes import is_known
from postmortem_lint.core.diagnostics import SAFE, Diagnostic, Edit, Finding, Fix
from postmortem_lint.core.rule_info import RuleInfo
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.summary import Summary
from postmortem_lint.document.suppression import Suppression
from postmortem_lint.lint import providers
from postmortem_lint.lint.results import FileResult

ALWAYS = ("PM1", "PM7", "PM000")
"""Rule prefixes that still apply to post-mortems dated before `since`."""
UNUSED_SUPPRESSION = "PM901"


def enabled(code: str, settings: Settings) -> bool:
    """Selection as in ruff: the most specific matching prefix of select/ignore wins (ignore on a tie)."""
    return selected(code, settings.select, settings.ignore)


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """`enabled` for a selection given as its two lists."""
    chosen = _longest(code, select) if select else 0
    if chosen < 0:
        return False
    ignored = _longest(code, ignore) if ignore else -1
    return ignored < 0 or ignored < chosen


def _longest(code: str, prefixes: Sequence[str]) -> int:
    """Length of the longest prefix matching ``code`` (ALL = 0), -1 if none."""
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


def diagnostics(result: FileResult, findings: list[Finding], rules: dict[str, RuleInfo], settings: Settings) -> list[Diagnostic]:
    """One file's findings, kept or dropped, stamped with path, name and severity, then suppressed."""
    draft = is_draft(result.summary, settings)
    old = _before_since(result.summary, settings)
    kept: list[Diagnostic] = []
    for finding in findings:
        if not _applies(finding.code, result.rel, settings, old):
            continue
        severity = _severity(rules[finding.code], draft, settings)
        if severity != "off":
            kept.append(_stamp(result.rel, finding, rules[finding.code], severity, settings))
    return _suppress(kept, result, rules, settings)


def _applies(code: str, rel: str, settings: Settings, old: bool) -> bool:
    if not enabled(code, settings) or (old and not code.startswith(ALWAYS)):
        return False
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(rel, pattern) and any(code.startswith(c) or c == "ALL" for c in codes):
            return False
    return True


def _before_since(summary: Summary | None, settings: Settings) -> bool:
    if settings.since is None or summary is None:
        return False
    date = summary.incident_date
    return date is not None and date < settings.since


def _severity(rule: RuleInfo, draft: bool, settings: Settings) -> str:
    """Configured, else by status for completeness rules (a missing or invalid status counts as Final), else the rule's own."""
    configured = configured_severity(rule.code, settings)
    if configured:
        return configured
    if rule.severity == COMPLETENESS:
        return "warning" if draft else "error"
    return rule.severity


def is_draft(summary: Summary | None, settings: Settings) -> bool:
    """The document's status is one of the template's drafts (`vocabularies.status.drafts`).

    With the default template the summary's status is already the seed's canonical one
    (drafts: `Draft`), so a run served by the cache loads no pack; with a team's template
    the written status is read through the pack's status vocabulary (aliases included).
    """
    if summary is None:
        return False
    if settings.template is None:
        return summary.status == "Draft"
    statuses = providers.packdata().template_pack(settings.template, settings.root).vocabulary("status")
    canonical = statuses.canonical(summary.status_text or summary.status or "") if statuses else None
    return canonical is not None and canonical in statuses.drafts


def configured_severity(code: str, settings: Settings) -> str | None:
    """The `severity` setting for ``code``: its own entry, else that of its longest configured prefix (ALL the shortest)."""
    if not settings.severity:
        return None
    if code in settings.severity:
        return settings.severity[code]
    best = max(settings.severity, key=lambda prefix: _longest(code, (prefix,)))
    return settings.severity[best] if _longest(code, (best,)) >= 0 else None


def may_fix(code: str, settings: Settings) -> bool:
    """The `fixable`/`unfixable` settings: may ``code``'s fixes be offered (the most specific prefix wins, unfixable on a tie)?"""
    return selected(code, settings.fixable, settings.unfixable)


def _stamp(rel: str, finding: Finding, rule: RuleInfo, severity: str, settings: Settings) -> Diagnostic:
    line = max(1, finding.line)
    return Diagnostic(
        path=rel,
        line=line,
        column=max(0, finding.column),
        end_line=max(line, finding.end_line),
        end_column=max(0, finding.end_column),
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=finding.message,
        text=finding.text,
        fix=finding.fix if finding.fix is not None and may_fix(rule.code, settings) else None,
    )


def _suppress(found: list[Diagnostic], result: FileResult, rules: dict[str, RuleInfo], settings: Settings) -> list[Diagnostic]:
    """Drop the suppressed diagnostics; add PM901 for each suppression that dropped none.

    A suppression naming an unknown code is PM902's (reported by the rule), not PM901's.
    """
    if not result.suppressions:
        return found
    used: set[int] = set()
    kept = []
    for diagnostic in found:
        hit = next((i for i, s in enumerate(result.suppressions) if _covers(s, diagnostic)), None)
        if hit is None:
            kept.append(diagnostic)
        else:
            used.add(hit)
    unused = UNUSED_SUPPRESSION
    if _applies(unused, result.rel, settings, _before_since(result.summary, settings)) and configured_severity(unused, settings) != "off":
        for i, supp in enumerate(result.suppressions):
            if i not in used and all(enabled(c, settings) and is_known(c) for c in supp.codes):
                kept.append(_unused(result.rel, supp, rules[unused], settings))
    return kept


def _covers(supp: Suppression, diagnostic: Diagnostic) -> bool:
    return supp.covers(diagnostic.code, diagnostic.line)


def _unused(rel: str, supp: Suppression, rule: RuleInfo, settings: Settings) -> Diagnostic:
    codes = ",".join(supp.codes) or "all codes"
    finding = Finding(
        supp.line,
        f"`pmlint-disable{'-' + supp.kind if supp.kind != 'range' else ''}` for {codes} suppresses nothing",
        supp.column,
        text=f"{supp.kind}:{codes}",
        fix=_removal(supp),
    )
    return _stamp(rel, finding, rule, configured_severity(rule.code, settings) or rule.severity, settings)


def _removal(supp: Suppression) -> Fix | None:
    """PM901's fix: delete the comment (its whole line when it stands alone; a range's enable is left, harmless)."""
    if not supp.removal:
        return None
    line, column, end_line, end_column = supp.removal
    return Fix(SAFE, "remove the unused suppression comment", (Edit(line, column, end_line, end_column, ""),))
