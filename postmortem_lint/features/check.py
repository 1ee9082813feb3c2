"""`pmlint check` without its output: settings, the safe fixes, targets, the engine, the baseline.

`run(request)` returns the run's diagnostics (after ``--baseline``) for
`commands.check` to print; ``--write-baseline`` records them instead. Every
problem the user must fix is a `Problem` (exit 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from postmortem_lint.config.load import load as load_settings
from postmortem_lint.config.settings import ConfigError, Settings
from postmortem_lint.core import codes, lazy
from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.core.errors import Problem
from postmortem_lint.document.tracking import TrackerError
from postmortem_lint.features import autofix
from postmortem_lint.io import cachedir, discover
from postmortem_lint.io.fsutil import UnsafePathError
from postmortem_lint.lint import engine, prelude, providers, targets
from postmortem_lint.lint.results import RunResult, Target
from postmortem_lint.packs import roster
from postmortem_lint.packs.loader import PackError

Progress = Callable[[int, int], None]


class CheckRequest(NamedTuple):
    """Everything a check needs to know but how to print it."""

    scope: targets.Scope = targets.Scope()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    today: dt.date | None = None
    config_file: Path | None = None
    no_cache: bool = False
    jobs: int = 0
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    fix_only: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None


class CheckOutcome(NamedTuple):
    settings: Settings
    result: RunResult
    targets: list[Target]
    recorded: bool = False
    """True when ``--write-baseline`` recorded the findings (nothing is to be reported)."""
    fixes: autofix.FixRun | None = None
    """What ``--fix``/``--unsafe-fixes``/``--diff``/``--fix-only`` did (None without them)."""


def run(
    request: CheckRequest, progress: Callable[[int], Progress | None] = lambda total: None, warn: Callable[[str], None] = print
) -> CheckOutcome:
    """Run a check; ``progress`` is asked, with the number of files, for a callback to report progress with; ``warn`` prints a warning."""
    settings, found, report = _settings_and_targets(request, warn)
    today = request.today or dt.date.today()
    other = targets.against(request.scope, settings, found, today)
    result = engine.check(
        found,
        settings,
        today,
        report=report,
        jobs=request.jobs,
        progress=progress(len(found)),
        against=other,
        against_ref=request.scope.against,
        cache=not request.no_cache,
    )
    fixes = None
    if fixing(request):
        result, fixes = _fixed(request, result, found, report, settings, today, warn)
    if request.write_baseline:
        _write_baseline(request.write_baseline, result)
        return CheckOutcome(settings, result, found, recorded=True)
    if request.baseline:
        result.diagnostics = _baselined(request.baseline, result)
    return CheckOutcome(settings, result, found, fixes=fixes)


def _settings_and_targets(request: CheckRequest, warn: Callable[[str], None]) -> tuple[Settings, list[Target], set[str] | None]:
    """The settings, the files and the subset to report (`settings_for`, `targets.targets`); ``warn`` is told of a named folder without one.

    A run that lints every file (`_lints_everything`) works them out in a forked child while this
    process loads the rules and packs (`lint.prelude`); the child's warnings are passed on here.
    """

    def compute(tell: Callable[[str], None]) -> tuple[Settings, list[Target], set[str] | None]:
        settings = settings_for(request)
        found, report = targets.targets(request.scope, settings, tell)
        return settings, found, report

    if not (request.scope.stdin is None and prelude.available() and _lints_everything(request)):
        return compute(warn)

    def in_child() -> tuple[Settings, list[Target], set[str] | None, list[str]]:
        said: list[str] = []
        return (*compute(said.append), said)

    def warm() -> None:
        engine.warm_up(request.jobs, _lints_many(request))

    settings, found, report, said = prelude.overlapped(in_child, warm, lambda: (*compute(warn), []))
    for message in said:
        warn(message)
    return settings, found, report


def fixing(request: CheckRequest) -> bool:
    """Does the run fix (or, with ``--diff``, show the fixes)? ``--unsafe-fixes`` alone fixes too."""
    return request.fix or request.unsafe_fixes or request.diff or request.fix_only


def _fixed(
    request: CheckRequest,
    result: RunResult,
    found: list[Target],
    report: set[str] | None,
    settings: Settings,
    today: dt.date,
    warn: Callable[[str], None],
) -> tuple[RunResult, autofix.FixRun]:
    """Fix the files (write them unless ``--diff``), sync the tracker, and check again what is left."""
    fixes = autofix.fix_files(result, found, settings, today, request.unsafe_fixes, not request.diff, warn)
    if request.diff:
        return RunResult(autofix.after(result, fixes), result.files_checked, result.results), fixes
    fix_tracker(settings)
    if not fixes.changes and not fixes.tracker:
        return result, fixes
    again, _ = targets.targets(request.scope, settings, warn)
    checked = engine.check(again, settings, today, report=report, jobs=request.jobs, cache=not request.no_cache)
    return checked, fixes


def settings_for(request: CheckRequest) -> Settings:
    """The project's settings with ``--select``/``--ignore`` applied; the roster and a team's sections pack read up front."""
    start = _start(request)
    root = _root(start)
    try:
        settings = load_settings(root, request.config_file, cwd=start if start.is_dir() else start.parent, remember=not request.no_cache)
    except ConfigError as exc:
        raise Problem(str(exc)) from None
    _check_codes("--select", request.select or ())
    _check_codes("--ignore", request.ignore)
    if request.select is not None:
        settings = replace(settings, select=tuple(c.upper() for c in request.select))
    if request.ignore:
        settings = replace(settings, ignore=settings.ignore + tuple(c.upper() for c in request.ignore))
    _check_roster(settings)
    _check_sections_pack(settings)
    providers.check_template(settings)
    return settings


def _start(request: CheckRequest) -> Path:
    """Where the project is looked for: the first PATH, the folder of ``--stdin-filename``, else the current folder."""
    paths = request.scope.paths
    return paths[0] if paths else _existing(request.scope.stdin[0]) if request.scope.stdin else Path.cwd()


def _root(start: Path) -> Path:
    return discover.project_root(start if start.exists() else Path.cwd())


def _lints_everything(request: CheckRequest) -> bool:
    """Whether the run will lint every file: ``--no-cache``, or a project without a cache folder yet (a first run, a fresh CI checkout)."""
    if request.no_cache:
        return True
    try:
        return not cachedir.cache_dir(_root(_start(request))).exists()
    except (OSError, ValueError):
        return False


def _lints_many(request: CheckRequest) -> bool:
    """Whether the run likely lints many files: it names no PATH (the whole project) or a folder."""
    return not request.scope.paths or any(path.is_dir() for path in request.scope.paths)


def _existing(path: Path) -> Path:
    """The nearest folder at or above ``path`` that exists (a document on stdin may not exist on disk yet)."""
    for folder in (path, *path.absolute().parents):
        if folder.is_dir():
            return folder
    return Path.cwd()


def _check_codes(option: str, given: tuple[str, ...]) -> None:
    """An unknown code or prefix in ``--select``/``--ignore`` is a usage error, never a silent pass."""
    for code in codes.unknown(given):
        raise Problem(f"{option}: {codes.problem(code)}")


def fix_tracker(settings: Settings) -> None:
    """`--fix`: bring the tracker in sync first (PM703); a tracker that cannot be parsed is a `Problem`."""
    try:
        lazy.load("postmortem_lint.features.tracker").sync(settings)
    except (TrackerError, UnsafePathError, OSError) as exc:
        raise Problem(str(exc)) from None


def _check_roster(settings: Settings) -> None:
    """The owners roster is read up front: an unreadable one is a configuration error (exit 2)."""
    if not settings.owners:
        return
    try:
        roster.roster(settings)
    except roster.RosterError as exc:
        raise Problem(str(exc)) from None


def _check_sections_pack(settings: Settings) -> None:
    """A team's sections pack is read up front: a bad one is a configuration error (exit 2), not a crash mid-run."""
    if settings.sections is None:
        return
    try:
        providers.packdata().sections_pack(settings.sections)
    except PackError as exc:
        raise Problem(str(exc)) from None


def _write_baseline(path: Path, result: RunResult) -> None:
    baseline = _baseline()
    try:
        baseline.write(path, result.diagnostics)
    except baseline.BaselineError as exc:
        raise Problem(str(exc)) from None


def _baselined(path: Path, result: RunResult) -> list[Diagnostic]:
    baseline = _baseline()
    try:
        fresh: list[Diagnostic] = baseline.new_findings(result.diagnostics, baseline.load(path))
    except baseline.BaselineError as exc:
        raise Problem(str(exc)) from None
    return fresh


def _baseline() -> ModuleType:
    """`features.baseline`, loaded only by the runs that read or write a baseline."""
    return lazy.load("postmortem_lint.features.baseline")
