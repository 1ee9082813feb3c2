"""What a check looks at: every post-mortem of the project, the subset to report on, and the other branch's (``--against``).

Cross-file rules always see every post-mortem. ``--staged`` replaces the staged
post-mortems' content with the index's and reports only them;
``--changed-since REF`` reports only the changed ones; ``--against REF`` adds the
post-mortems that branch added, as summaries for PM701/PM702. A git or path
problem is a `Problem` (exit 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from postmortem_lint.config.settings import Settings
from postmortem_lint.core import lazy
from postmortem_lint.core.errors import Problem
from postmortem_lint.document.summary import Summary
from postmortem_lint.io import discover, gitrepo
from postmortem_lint.lint import engine
from postmortem_lint.lint.results import Target


class Scope(NamedTuple):
    """Which post-mortems a check reports on: the PATHs named (none: all), narrowed by git."""

    paths: tuple[Path, ...] = ()
    staged: bool = False
    changed_since: str | None = None
    against: str | None = None

    @property
    def needs_git(self) -> bool:
        return bool(self.staged or self.changed_since or self.against)


def targets(scope: Scope, settings: Settings) -> tuple[list[Target], set[str] | None]:
    """Every post-mortem of the project (sorted), and the subset to report (None: all)."""
    root = settings.root
    found = {rel: Target(p, rel) for rel, p in _project(root, settings, scope).items()}
    named = _named(scope, root, settings)
    found.update((rel, Target(p, rel)) for rel, p in named.items())
    report = set(named) if scope.paths else None
    try:
        if scope.staged:
            staged = _staged(root, named, settings)
            found.update((rel, Target(root / rel, rel, data)) for rel, data in staged.items())
            report = _narrow(report, set(staged))
        if scope.changed_since:
            report = _narrow(report, set(_refs().changed_since(root, scope.changed_since, _patterns(named, settings))))
    except gitrepo.GitError as exc:
        raise Problem(str(exc)) from None
    return [found[rel] for rel in sorted(found)], report


def _project(root: Path, settings: Settings, scope: Scope) -> dict[str, Path]:
    """The project's post-mortems (git's listing, else a filesystem glob)."""
    try:
        return {rel: root / rel for rel in discover.project_files(root, settings.include, scope.needs_git)}
    except gitrepo.GitError as exc:
        raise Problem(str(exc)) from None


def _named(scope: Scope, root: Path, settings: Settings) -> dict[str, Path]:
    try:
        return {discover.relative(p, root): p for p in discover.expand(scope.paths, settings.include)}
    except discover.PathError as exc:
        raise Problem(str(exc)) from None


def _patterns(named: dict[str, Path], settings: Settings) -> tuple[str, ...]:
    """Pathspecs for the git queries: the include globs, or everything when PATHs are named."""
    return ("**",) if named else settings.include


def _staged(root: Path, named: dict[str, Path], settings: Settings) -> dict[str, bytes]:
    """Staged content of the staged post-mortems (of the named PATHs, when given)."""
    paths = [p for p in gitrepo.staged_files(root, _patterns(named, settings)) if not named or p in named]
    return gitrepo.staged_blobs(root, paths)


def _narrow(report: set[str] | None, chosen: set[str]) -> set[str]:
    return chosen if report is None else report & chosen


def against(scope: Scope, settings: Settings, checked: Sequence[Target], today: dt.date) -> dict[str, Summary]:
    """Summaries of the post-mortems the other branch added (``--against REF``), for PM701/PM702.

    The same path at REF is the same post-mortem and is left out.
    """
    if not scope.against:
        return {}
    try:
        added = _refs().added_at(settings.root, scope.against, settings.include)
    except gitrepo.GitError as exc:
        raise Problem(str(exc)) from None
    current = {t.rel for t in checked}
    linter = engine.linter()
    results = (linter.lint_bytes(rel, data, None, settings, today) for rel, data in sorted(added.items()) if rel not in current)
    return {r.rel: r.summary for r in results if r.summary is not None}


def _refs() -> ModuleType:
    """`io.gitrefs` (GitPython), loaded only by the runs that read another ref."""
    return lazy.load("postmortem_lint.io.gitrefs")
