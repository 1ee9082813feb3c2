"""`pmlint check`: options -> `run_check` -> reporter -> exit code."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import click

from postmortem_lint import config, discover
from postmortem_lint.engine import RunResult, Target, check
from postmortem_lint.reporters import FORMATS, render


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


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from None


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(sorted(FORMATS)), default="text", show_default=True, help="Output format.")
@click.option("--select", help="Comma-separated codes or prefixes to enable (replaces the configured selection).")
@click.option("--ignore", help="Comma-separated codes or prefixes to disable.")
@click.option("--strict", is_flag=True, help="Warnings also fail (exit 1).")
@click.option("--staged", is_flag=True, help="Check only staged post-mortems, as staged (read from the git index).")
@click.option("--changed-since", metavar="REF", help="Check only post-mortems changed since REF.")
@click.option("--against", metavar="REF", help="Also compare incident numbers with the tree at REF (e.g. origin/main).")
@click.option("--today", callback=_date, help="Date to judge overdue items against (YYYY-MM-DD).")
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
def check_command(paths: tuple[Path, ...], format_: str, select: str | None, ignore: str | None, **rest: object) -> int:
    """Lint post-mortems (default: every file matching the configured glob)."""
    options = CheckOptions(paths=paths, format=format_, select=_codes(select), ignore=_codes(ignore) or (), **rest)  # type: ignore[arg-type]
    return run_check(options)


def run_check(options: CheckOptions) -> int:
    """Run a check and print the report; returns the exit code."""
    settings = _settings(options)
    if options.fix:
        _fix_tracker(settings)
    today = options.today or dt.date.today()
    targets, report = _targets(options, settings)
    progress = _progress(len(targets), options)
    result = check(targets, settings, today, report=report, jobs=options.jobs, progress=progress)
    return _report(result, options)


def _fix_tracker(settings: config.Settings) -> None:
    """`--fix`: bring the tracker in sync first (PM703); exit 2 when it cannot be parsed."""
    from postmortem_lint import tracker
    from postmortem_lint.fsutil import UnsafePathError

    try:
        tracker.sync(settings)
    except (tracker.TrackerError, UnsafePathError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


def _settings(options: CheckOptions) -> config.Settings:
    start = options.paths[0] if options.paths else Path.cwd()
    root = discover.project_root(start if start.exists() else Path.cwd())
    try:
        settings = config.load(root, options.config_file, cwd=start if start.is_dir() else start.parent)
    except config.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if options.select is not None:
        settings = replace(settings, select=options.select)
    if options.ignore:
        settings = replace(settings, ignore=settings.ignore + options.ignore)
    return settings


def _targets(options: CheckOptions, settings: config.Settings) -> tuple[list[Target], set[str] | None]:
    """Every post-mortem of the project, and the subset to report (None: all)."""
    root = settings.root
    project = {discover.relative(p, root): p for p in discover.glob_project(root, settings.include)}
    if not options.paths:
        return [Target(p, rel) for rel, p in sorted(project.items())], None
    try:
        named = {discover.relative(p, root): p for p in discover.expand(options.paths, settings.include)}
    except discover.PathError as exc:
        raise click.ClickException(str(exc)) from None
    everything = {**project, **named}
    return [Target(p, rel) for rel, p in sorted(everything.items())], set(named)


def _progress(total: int, options: CheckOptions):  # type: ignore[no-untyped-def]
    if options.quiet or total < 200 or not sys.stderr.isatty():
        return None

    def show(done: int, count: int) -> None:
        if done == count or done % 50 == 0:
            end = "\n" if done == count else "\r"
            sys.stderr.write(f"pmlint: checked {done}/{count} files{end}")
            sys.stderr.flush()

    return show


def _report(result: RunResult, options: CheckOptions) -> int:
    diagnostics = result.diagnostics
    out = open(options.output, "w", encoding="utf-8") if options.output else sys.stdout  # noqa: SIM115
    try:
        if options.statistics:
            _statistics(diagnostics, out)
        else:
            render(options.format, diagnostics, result.files_checked, out, colour=options.colour, quiet=options.quiet)
    finally:
        if options.output:
            out.close()
    failing = {"error", "warning"} if options.strict else {"error"}
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def _statistics(diagnostics: list, out) -> None:  # type: ignore[no-untyped-def, type-arg]
    from collections import Counter

    counted = Counter((d.code, d.name, d.severity) for d in diagnostics)
    for (code, name, severity), count in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write(f"{count:>6}  {code}  {name:<28} [{severity}]\n")
    out.write(f"{sum(counted.values()):>6}  total\n")
