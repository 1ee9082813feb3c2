"""`pmlint check`: options -> `run_check` -> reporter -> exit code."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from postmortem_lint import config, discover, gitrepo, source
from postmortem_lint.diagnostics import Diagnostic
from postmortem_lint.engine import RunResult, Target, check, lint_bytes
from postmortem_lint.index import Summary
from postmortem_lint.reporters import render

if TYPE_CHECKING:
    import click


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[Path, ...] = ()
    format: str = "text"
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    strict: bool = False
    staged: bool = False
    changed_since: str | None = None
    against: str | None = None
    today: dt.date | None = None
    config_file: Path | None = None
    no_cache: bool = False
    jobs: int = 0
    statistics: bool = False
    quiet: bool = False
    fix: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    colour: bool | None = None
    output: Path | None = None
    force_exclude: bool = False
    exit_zero: bool = False
    stdin_filename: Path | None = None
    """``--stdin-filename PATH``: the document comes from stdin and is linted as if it were at PATH."""

    @property
    def stdin(self) -> bool:
        return self.stdin_filename is not None


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip() for c in value.split(",") if c.strip())


def __getattr__(name: str) -> Any:
    if name == "check_command":
        return _command()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _command() -> click.Command:
    """The click command, built when first needed (`cli.main` runs a plain `check PATH...` without click)."""
    import click

    from postmortem_lint.commands._options import iso_date
    from postmortem_lint.reporters import FORMATS

    @click.command("check")
    @click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
    @click.option("--format", "format_", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Output format.")
    @click.option("--select", help="Comma-separated codes or prefixes to enable (replaces the configured selection).")
    @click.option("--ignore", help="Comma-separated codes or prefixes to disable.")
    @click.option("--strict", is_flag=True, help="Warnings also fail (exit 1).")
    @click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail (usage and configuration errors are still 2).")
    @click.option("--staged", is_flag=True, help="Check only staged post-mortems, as staged (read from the git index).")
    @click.option("--changed-since", metavar="REF", help="Check only post-mortems changed since REF.")
    @click.option("--against", metavar="REF", help="Also compare incident numbers with the tree at REF (e.g. origin/main).")
    @click.option("--today", callback=iso_date, help="Date to judge overdue items against (YYYY-MM-DD).")
    @click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
    @click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
    @click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, help="Worker processes (0: one per core).")
    @click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
    @click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary or progress.")
    @click.option("--fix", is_flag=True, help="Apply the safe fixes (the tracker); still exit 1 when findings remain.")
    @click.option("--baseline", type=click.Path(path_type=Path), help="Do not report findings recorded in this baseline file.")
    @click.option("--write-baseline", type=click.Path(path_type=Path), help="Record the current findings as the baseline and exit 0.")
    @click.option("--color/--no-color", "colour", default=None, help="Force colour on or off (default: on a TTY unless NO_COLOR).")
    @click.option("--output-file", "-o", "output", type=click.Path(path_type=Path), help="Write the report to a file instead of stdout.")
    @click.option(
        "--stdin-filename",
        type=click.Path(path_type=Path),
        metavar="PATH",
        help="Read the document from stdin (give `-` as the path) and lint it as if it were at PATH, with the repository around it.",
    )
    @click.option(
        "--force-exclude",
        is_flag=True,
        help="Skip named files the configuration would not check (README, the tracker, `exclude`, other Markdown); for pre-commit.",
    )
    def check_command(paths: tuple[Path, ...], format_: str, select: str | None, ignore: str | None, **rest: object) -> int:
        """Lint post-mortems (default: every file matching the configured glob)."""
        options = CheckOptions(paths=paths, format=format_, select=_codes(select), ignore=_codes(ignore) or (), **rest)  # type: ignore[arg-type]
        return run_check(_stdin_checked(options))

    return check_command


def run_paths(
    paths: Sequence[str],
    *,
    no_cache: bool = False,
    strict: bool = False,
    staged: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    fix: bool = False,
    force_exclude: bool = False,
    exit_zero: bool = False,
) -> int:
    """`pmlint check PATH...` with only on/off options, the others at their default: what click would pass to `run_check`."""
    named = tuple(Path(p) for p in paths)
    options = CheckOptions(named, no_cache=no_cache, strict=strict, staged=staged, statistics=statistics, quiet=quiet, fix=fix)
    return run_check(replace(options, force_exclude=force_exclude, exit_zero=exit_zero))


STDIN_CONFLICTS = {"staged": "--staged", "changed_since": "--changed-since", "fix": "--fix", "write_baseline": "--write-baseline"}
"""Options that choose or change files on disk, meaningless for a document read from stdin."""


def _stdin_checked(options: CheckOptions) -> CheckOptions:
    """``-`` and ``--stdin-filename`` go together, alone: the PATHs become none, the document is stdin's."""
    dash = Path("-") in options.paths
    if not dash and not options.stdin:
        return options
    if not options.stdin:
        raise _problem("`-` reads the document from stdin and needs --stdin-filename PATH (where the document would be)")
    if any(p != Path("-") for p in options.paths):
        raise _problem("--stdin-filename checks the document on stdin only; give `-` as the only PATH")
    for key, flag in STDIN_CONFLICTS.items():
        if getattr(options, key):
            raise _problem(f"{flag} cannot be combined with --stdin-filename")
    return replace(options, paths=())


def _problem(message: str) -> Exception:
    """A usage, configuration or I/O problem: one line on stderr, exit 2 (click imported only then)."""
    import click

    return click.ClickException(message)


def run_check(options: CheckOptions) -> int:
    """Run a check and print the report; returns the exit code."""
    settings = _settings(options)
    if options.fix:
        _fix_tracker(settings)
    today = options.today or dt.date.today()
    targets, report = _targets(options, settings)
    against = _against(options, settings, targets, today)
    progress = _progress(len(targets), options)
    jobs = options.jobs
    cache = not options.no_cache
    result = check(
        targets, settings, today, report=report, jobs=jobs, progress=progress, against=against, against_ref=options.against, cache=cache
    )
    if options.write_baseline:
        return _write_baseline(options.write_baseline, result)
    if options.baseline:
        result.diagnostics = _baselined(options.baseline, result.diagnostics)
    return _report(result, options, settings, targets)


def _fix_tracker(settings: config.Settings) -> None:
    """`--fix`: bring the tracker in sync first (PM703); exit 2 when it cannot be parsed."""
    from postmortem_lint import tracker
    from postmortem_lint.fsutil import UnsafePathError

    try:
        tracker.sync(settings)
    except (tracker.TrackerError, UnsafePathError, OSError) as exc:
        raise _problem(str(exc)) from None


def _settings(options: CheckOptions) -> config.Settings:
    start = options.paths[0] if options.paths else _existing(options.stdin_filename) if options.stdin_filename else Path.cwd()
    root = discover.project_root(start if start.exists() else Path.cwd())
    try:
        settings = config.load(root, options.config_file, cwd=start if start.is_dir() else start.parent, remember=not options.no_cache)
    except config.ConfigError as exc:
        raise _problem(str(exc)) from None
    _check_codes("--select", options.select or ())
    _check_codes("--ignore", options.ignore)
    if options.select is not None:
        settings = replace(settings, select=tuple(c.upper() for c in options.select))
    if options.ignore:
        settings = replace(settings, ignore=settings.ignore + tuple(c.upper() for c in options.ignore))
    _check_roster(settings)
    _check_sections_pack(settings)
    return settings


def _existing(path: Path) -> Path:
    """The nearest folder at or above ``path`` that exists (a document on stdin may not exist on disk yet)."""
    for folder in (path, *path.absolute().parents):
        if folder.is_dir():
            return folder
    return Path.cwd()


def _check_codes(option: str, given: tuple[str, ...]) -> None:
    """An unknown code or prefix in ``--select``/``--ignore`` is a usage error, never a silent pass."""
    from postmortem_lint import codes

    for code in codes.unknown(given):
        raise _problem(f"{option}: {codes.problem(code)}")


def _check_roster(settings: config.Settings) -> None:
    """The owners roster is read up front: an unreadable one is a configuration error (exit 2)."""
    if not settings.owners:
        return
    from postmortem_lint import roster

    try:
        roster.roster(settings)
    except roster.RosterError as exc:
        raise _problem(str(exc)) from None


def _check_sections_pack(settings: config.Settings) -> None:
    """A team's sections pack is read up front: a bad one is a configuration error (exit 2), not a crash mid-run."""
    if settings.sections is None:
        return
    from postmortem_lint import packs
    from postmortem_lint.yamlio import YamlError

    try:
        packs.sections(settings.sections)
    except (packs.PackError, YamlError) as exc:
        raise _problem(str(exc)) from None


def _targets(options: CheckOptions, settings: config.Settings) -> tuple[list[Target], set[str] | None]:
    """Every post-mortem of the project, and the subset to report (None: all).

    ``--staged`` replaces the staged post-mortems' content with the index's and
    reports only them; ``--changed-since`` reports only the changed ones. The
    repository rules still see every post-mortem.
    """
    root = settings.root
    targets = {rel: Target(p, rel) for rel, p in _project(root, settings, options).items()}
    named = _named(options, root, settings)
    targets.update((rel, Target(p, rel)) for rel, p in named.items())
    report = set(named) if options.paths else None
    if options.stdin_filename is not None:
        report = _from_stdin(options.stdin_filename, settings, targets, options.force_exclude)
    try:
        if options.staged:
            staged = _staged(root, named, settings)
            targets.update((rel, Target(root / rel, rel, data)) for rel, data in staged.items())
            report = _narrow(report, set(staged))
        if options.changed_since:
            report = _narrow(report, set(gitrepo.changed_since(root, options.changed_since, _patterns(named, settings))))
    except gitrepo.GitError as exc:
        raise _problem(str(exc)) from None
    return [targets[rel] for rel in sorted(targets)], report


def _from_stdin(path: Path, settings: config.Settings, targets: dict[str, Target], force_exclude: bool) -> set[str]:
    """Put stdin's document in place of (or beside) the file at ``path``; the set to report: that one file.

    With ``--force-exclude``, a PATH the configuration would not check reports nothing, as ruff does.
    """
    rel = discover.relative(path, settings.root)
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise _problem(f"stdin: cannot be read: {exc.strerror or exc}") from None
    targets[rel] = Target(settings.root / rel, rel, data)
    return set() if force_exclude and not discover.wanted(rel, settings) else {rel}


def _project(root: Path, settings: config.Settings, options: CheckOptions) -> dict[str, Path]:
    """The project's post-mortems (git's listing, else a filesystem glob)."""
    try:
        return {rel: root / rel for rel in discover.checked_files(settings, _needs_git(options))}
    except gitrepo.GitError as exc:
        raise _problem(str(exc)) from None


def _needs_git(options: CheckOptions) -> bool:
    return bool(options.staged or options.changed_since or options.against)


def _named(options: CheckOptions, root: Path, settings: config.Settings) -> dict[str, Path]:
    """The files the PATHs name; a named folder without a post-mortem is a warning on stderr, not an error."""
    try:
        found = discover.expand(options.paths, settings, options.force_exclude)
    except discover.PathError as exc:
        raise _problem(str(exc)) from None
    for folder in found.empty_folders:
        sys.stderr.write(f"pmlint: warning: {folder} is a folder without post-mortems (nothing to check there)\n")
    return {discover.relative(p, root): p for p in found.files}


def _patterns(named: dict[str, Path], settings: config.Settings) -> tuple[str, ...]:
    """Pathspecs for the git queries: what `check` lists, or everything when PATHs are named."""
    return ("**",) if named else discover.checked_globs(settings)


def _staged(root: Path, named: dict[str, Path], settings: config.Settings) -> dict[str, bytes]:
    """Staged content of the staged post-mortems (of the named PATHs, when given)."""
    staged = gitrepo.staged_files(root, _patterns(named, settings))
    paths = [p for p in staged if p in named] if named else [p for p in staged if not discover.excluded(p, settings)]
    return gitrepo.staged_blobs(root, paths)


def _narrow(report: set[str] | None, chosen: set[str]) -> set[str]:
    return chosen if report is None else report & chosen


def _against(options: CheckOptions, settings: config.Settings, targets: list[Target], today: dt.date) -> dict[str, Summary]:
    """Summaries of the post-mortems the other branch added (``--against REF``), for PM701/PM702.

    The same path at REF is the same post-mortem and is left out.
    """
    if not options.against:
        return {}
    try:
        added = gitrepo.added_at(settings.root, options.against, discover.checked_globs(settings))
    except gitrepo.GitError as exc:
        raise _problem(str(exc)) from None
    current = {t.rel for t in targets}
    fresh = sorted((rel, data) for rel, data in added.items() if rel not in current and not discover.excluded(rel, settings))
    results = (lint_bytes(rel, data, None, settings, today) for rel, data in fresh)
    return {r.rel: r.summary for r in results if r.summary is not None}


def _write_baseline(path: Path, result: RunResult) -> int:
    from postmortem_lint import baseline

    try:
        baseline.write(path, result.diagnostics)
    except baseline.BaselineError as exc:
        raise _problem(str(exc)) from None
    sys.stderr.write(f"pmlint: recorded {len(result.diagnostics)} findings in {path}\n")
    return 0


def _baselined(path: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    from postmortem_lint import baseline

    try:
        return baseline.new_findings(diagnostics, baseline.load(path))
    except baseline.BaselineError as exc:
        raise _problem(str(exc)) from None


def _progress(total: int, options: CheckOptions):  # type: ignore[no-untyped-def]
    if options.quiet or total < 200 or not sys.stderr.isatty():
        return None

    def show(done: int, count: int) -> None:
        if done == count or done % 50 == 0:
            end = "\n" if done == count else "\r"
            sys.stderr.write(f"pmlint: checked {done}/{count} files{end}")
            sys.stderr.flush()

    return show


def _report(result: RunResult, options: CheckOptions, settings: config.Settings, targets: list[Target]) -> int:
    diagnostics = result.diagnostics
    try:
        out = open(options.output, "w", encoding="utf-8") if options.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise _problem(f"{options.output}: cannot write the report: {exc.strerror or exc}") from None
    try:
        if options.statistics:
            _statistics(diagnostics, out, as_json=options.format == "json")
        else:
            prefix = _path_prefix(settings.root)
            shown = {"colour": options.colour, "quiet": options.quiet, "path_prefix": prefix, "source": _sources(targets)}
            render(options.format, diagnostics, result.files_checked, out, **shown)
    finally:
        if options.output:
            out.close()
    failing = {"error", "warning"} if options.strict else {"error"}
    return 1 if any(d.severity in failing for d in diagnostics) and not options.exit_zero else 0


def _sources(targets: list[Target]) -> Callable[[str], tuple[str, ...] | None]:
    """The lines of each checked file as it was checked (the staged content with ``--staged``), for `--format full`."""
    by_rel = {t.rel: t for t in targets}

    def lines(rel: str) -> tuple[str, ...] | None:
        target = by_rel.get(rel)
        if target is None:
            return None
        text = source.decode(target.data) if target.data is not None else source.read(target.path)
        return None if isinstance(text, source.SourceError) else text.lines

    return lines


def _path_prefix(root: Path) -> str:
    """The project root relative to the repository top ('' or 'sub/'): CI formats want repository paths."""
    top = discover.git_top(root.resolve())
    rel = root.resolve().relative_to(top).as_posix() if top else "."
    return "" if rel == "." else rel + "/"


def _statistics(diagnostics: list[Diagnostic], out: TextIO, as_json: bool = False) -> None:
    """A count per rule, most frequent first (a JSON list with ``--format json``, as ruff does)."""
    from collections import Counter

    counted = Counter((d.code, d.name, d.severity, d.fixable) for d in diagnostics)
    rows = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        import json

        keys = ("code", "name", "severity", "fixable")
        json.dump([{**dict(zip(keys, row, strict=True)), "count": count} for row, count in rows], out, indent=2)
        out.write("\n")
        return
    for (code, name, severity, _fixable), count in rows:
        out.write(f"{count:>6}  {code}  {name:<28} [{severity}]\n")
    out.write(f"{sum(counted.values()):>6}  total\n")
