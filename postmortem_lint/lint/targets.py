"""What a check looks at: every post-mortem of the project, the subset to report on, and the other branch's (``--against``).

Cross-file rules always see every post-mortem. ``--staged`` replaces the staged
post-mortems' content with the index's and reports only them;
``--changed-since REF`` reports only the changed ones; ``--against REF`` adds the
post-mortems that branch added, as summaries for PM701/PM702. A git or path
problem is a `Problem` (exit 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from postmortem_lint.config.scope import checked_globs, excluded
from postmortem_lint.config.settings import Settings
from postmortem_lint.core import lazy
from postmortem_lint.core.errors import Problem
from postmortem_lint.document.summary import Summary
from postmortem_lint.io import discover, gitrepo
from postmortem_lint.lint import engine, files
from postmortem_lint.lint.results import Target


class Scope(NamedTuple):
    """Which post-mortems a check reports on: the PATHs named (none: all), narrowed by git."""

    paths: tuple[Path, ...] = ()
    staged: bool = False
    changed_since: str | None = None
    against: str | None = None
    force_exclude: bool = False
    """Named files the configuration would not check are skipped (pre-commit passes every staged file)."""

    @property
    def needs_git(self) -> bool:
        return bool(self.staged or self.changed_since or self.against)


def targets(scope: Scope, settings: Settings, warn: Callable[[str], None]) -> tuple[list[Target], set[str] | None]:
    """Every post-mortem of the project (sorted), and the subset to report (None: all); ``warn`` is told of a named folder without one."""
    root = settings.root
    found = {rel: Target(p, rel) for rel, p in _project(root, settings, scope).items()}
    named = _named(scope, root, settings, warn)
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
        return {rel: root / rel for rel in files.checked_files(settings, scope.needs_git)}
    except gitrepo.GitError as exc:
        raise Problem(str(exc)) from None


def _named(scope: Scope, root: Path, settings: Settings, warn: Callable[[str], None]) -> dict[str, Path]:
    """The files the PATHs name; a named folder without a post-mortem is a warning, not an error."""
    try:
        found = files.expand(scope.paths, settings, scope.force_exclude)
    except discover.PathError as exc:
        raise Problem(str(exc)) from None
    for folder in found.empty_folders:
        warn(f"pmlint: warning: {folder} is a folder without post-mortems (nothing to check there)")
    return {discover.relative(p, root): p for p in found.files}


def _patterns(named: dict[str, Path], settings: Settings) -> tuple[str, ...]:
    """Pathspecs for the git queries: what `check` lists, or everything when PATHs are named."""
    return ("**",) if named else checked_globs(settings)


def _staged(root: Path, named: dict[str, Path], settings: Settings) -> dict[str, bytes]:
    """Staged content of the staged post-mortems (of the named PATHs, when given)."""
    staged = gitrepo.staged_files(root, _patterns(named, settings))
    paths = [p for p in staged if p in named] if named else [p for p in staged if not excluded(p, settings)]
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
        added = _refs().added_at(settings.root, scope.against, checked_globs(settings))
    except gitrepo.GitError as exc:
        raise Problem(str(exc)) from None
    current = {t.rel for t in checked}
    linter = engine.linter()
    fresh = sorted((rel, data) for rel, data in added.items() if rel not in current and not excluded(rel, settings))
    results = (linter.lint_bytes(rel, data, None, settings, today) for rel, data in fresh)
    return {r.rel: r.summary for r in results if r.summary is not None}


def _refs() -> ModuleType:
    """`io.gitrefs` (GitPython), loaded only by the runs that read another ref."""
    return lazy.load("postmortem_lint.io.gitrefs")
