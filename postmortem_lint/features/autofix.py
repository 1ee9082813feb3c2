"""`pmlint check --fix / --unsafe-fixes / --diff / --fix-only`: fix the reported files, then say what was fixed and what is left.

Each reported file whose diagnostics carry fixes that apply is fixed in memory by
`lint.fixing.fix_text` (linted as if at its path, the repository around it);
then, unless ``--diff``, written atomically when it did not change on disk
meanwhile, and the tracker (PM703's fix, which has no edits) brought in sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.lint import engine, fixing
from postmortem_lint.lint.results import RunResult, Target

TRACKER_RULE = "PM703"


class FixRun(NamedTuple):
    """What the fixes did: each file's change, how many findings were fixed, and whether the tracker is to be synced."""

    changes: tuple[fixing.FileFix, ...]
    fixed: int
    tracker: int
    """How many PM703 findings offered their fix (bring the tracker in sync)."""


def fix_files(
    result: RunResult, found: list[Target], settings: Settings, today: dt.date, unsafe: bool, write: bool, warn: Callable[[str], None]
) -> FixRun:
    """Fix every reported file that has a fix to apply; write the changes when ``write``."""
    by_rel = {t.rel: t for t in found}
    fixable = sorted({d.path for d in result.diagnostics if fixing.applies(d.fix, unsafe)})
    changes: list[fixing.FileFix] = []
    for rel in fixable:
        change = _fix_one(result, by_rel[rel], settings, today, unsafe)
        if change is None:
            continue
        if write and not fixing.write(by_rel[rel].path, by_rel[rel].content() or b"", change, settings.root):
            warn(f"pmlint: {rel}: changed on disk while it was being fixed; not written")
            continue
        changes.append(change)
    tracker = sum(1 for d in result.diagnostics if d.code == TRACKER_RULE and d.fix is not None)
    return FixRun(tuple(changes), sum(len(c.applied) for c in changes), tracker)


def after(result: RunResult, run: FixRun) -> list[Diagnostic]:
    """The diagnostics once the changes are made: the fixed files' remaining ones, the others' as they were."""
    changed = {c.rel: c for c in run.changes}
    kept = [d for d in result.diagnostics if d.path not in changed]
    return sorted([*kept, *(d for c in changed.values() for d in c.remaining)], key=lambda d: d.sort_key)


def _fix_one(result: RunResult, target: Target, settings: Settings, today: dt.date, unsafe: bool) -> fixing.FileFix | None:
    data = target.content()
    if data is None:
        return None
    try:
        before = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    linter = engine.linter()

    def lint(text: str) -> list[Diagnostic]:
        mine = linter.lint_bytes(target.rel, text.encode("utf-8"), target.path, settings, today)
        return engine.finish({**result.results, target.rel: mine}, {target.rel}, settings, today)

    fixed = fixing.fix_text(before, lint, unsafe)
    if not fixed.applied or fixed.text == before:
        return None
    return fixing.FileFix(target.rel, before, fixed.text, fixed.applied, fixed.remaining)


def summary(fixed: int, remaining: list[Diagnostic], unsafe: bool, diff: bool) -> str:
    """The line on stderr: `Fixed 7 findings (3 remaining); 2 more with --unsafe-fixes`."""
    verb = "Would fix" if diff else "Fixed"
    more = sum(1 for d in remaining if d.fix is not None and d.fix.edits and d.fix.safety != "safe") if not unsafe else 0
    head = f"{verb} {fixed} finding{'s' if fixed != 1 else ''}"
    tail = f"; {more} more with --unsafe-fixes" if more else ""
    return f"pmlint: {head} ({len(remaining)} remaining){tail}"
