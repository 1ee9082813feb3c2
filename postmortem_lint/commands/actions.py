"""`pmlint actions`: every action item across the archive, filtered, as a table, Markdown, JSON or CSV.

Also home of what `pmlint report` shares with it: reading the archive's summaries
(the engine with no rule selected) and writing the output.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import click

from postmortem_lint import actions, config, discover, fsutil, roster
from postmortem_lint.checks.pm50x_actions import PRIORITIES
from postmortem_lint.commands._options import iso_date
from postmortem_lint.engine import Target, lint_all
from postmortem_lint.index import Summary

NO_RULES = ("-",)
"""A selection that matches no rule code: the engine then only builds summaries."""
SUMMARY_DAY = dt.date(2000, 1, 1)
"""The date the summaries are built "on": no rule runs, so it changes nothing but the cache key, kept fixed across days."""


@dataclass(frozen=True)
class Archive:
    settings: config.Settings
    summaries: list[Summary]
    unreadable: list[str]
    """Post-mortems that could not be read or decoded (PM000 in `pmlint check`)."""


def load_archive(paths: tuple[Path, ...], config_file: Path | None, jobs: int, cache: bool = True) -> Archive:
    """Summaries of the project's post-mortems (or of those under ``paths``), sorted by path; unchanged files from the cache."""
    start = paths[0] if paths else Path.cwd()
    root = discover.project_root(start if start.exists() else Path.cwd())
    try:
        settings = config.load(root, config_file, cwd=start if start.is_dir() else start.parent)
        files = _named(paths, settings) if paths else _project(settings)
    except (config.ConfigError, discover.PathError) as exc:
        raise click.ClickException(str(exc)) from None
    targets = [Target(p, rel) for rel, p in sorted(files.items())]
    results = list(lint_all(targets, replace(settings, select=NO_RULES), SUMMARY_DAY, jobs, cache=cache))
    summaries = [r.summary for r in results if r.summary is not None]
    return Archive(settings, summaries, [r.rel for r in results if r.summary is None])


def _project(settings: config.Settings) -> dict[str, Path]:
    return {rel: settings.root / rel for rel in discover.archive_files(settings)}


def _named(paths: tuple[Path, ...], settings: config.Settings) -> dict[str, Path]:
    found = discover.expand(paths, settings)
    for folder in found.empty_folders:
        click.echo(f"pmlint: warning: {folder} is a folder without post-mortems", err=True)
    return {discover.relative(p, settings.root): p for p in found.files}


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        fsutil.atomic_write(output, text)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class ActionsOptions:
    paths: tuple[Path, ...] = ()
    keep: actions.ActionFilter = field(default_factory=actions.ActionFilter)
    format: str = "text"
    fail: bool = False
    today: dt.date | None = None
    config_file: Path | None = None
    jobs: int = 0
    no_cache: bool = False
    output: Path | None = None


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@click.command("actions")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--open", "open_only", is_flag=True, help="Only open items (not Done, Closed or Won't Do).")
@click.option("--overdue", is_flag=True, help="Only open items whose due date has passed.")
@click.option(
    "--owner",
    "owners",
    multiple=True,
    metavar="NAME",
    help="Only this owner's items (a name, @handle or any alias on the owners roster; repeatable).",
)
@click.option(
    "--priority", "priorities", multiple=True, type=click.Choice(PRIORITIES, case_sensitive=False), help="Only this priority (repeatable)."
)
@click.option("--format", "format_", type=click.Choice(sorted(actions.FORMATS)), default="text", show_default=True, help="Output format.")
@click.option("--fail", is_flag=True, help="Exit 1 when any listed item is overdue (use with --overdue in a scheduled CI job).")
@click.option("--today", metavar="YYYY-MM-DD", callback=iso_date, help="Date to judge overdue items against (default: today).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, help="Worker processes (0: one per core).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--output-file", "-o", "output", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def actions_command(
    open_only: bool, overdue: bool, owners: tuple[str, ...], priorities: tuple[str, ...], format_: str, **rest: object
) -> int:
    """Action items across all post-mortems, soonest due first."""
    keep = actions.ActionFilter(open_only, overdue, _split(owners), tuple(p.capitalize() for p in priorities))
    return run_actions(ActionsOptions(keep=keep, format=format_, **rest))  # type: ignore[arg-type]


def _aliases(owners: tuple[str, ...], settings: config.Settings) -> dict[str, tuple[str, ...]]:
    """Each ``--owner`` value widened to every alias of the same person on the owners roster, when one is configured."""
    try:
        found = roster.load(settings) if owners else None
    except roster.RosterError as exc:
        raise click.ClickException(str(exc)) from None
    if found is None:
        return {owner: (owner,) for owner in owners}
    return {owner: tuple(sorted(found.aliases_of(owner))) for owner in owners}


def _unknown_owners(aliases: dict[str, tuple[str, ...]], every: list[actions.Action]) -> None:
    """Say on stderr which ``--owner`` owns no item at all (else `0 action items` reads as "all done"), with a close name."""
    import difflib

    names = sorted({name for a in every for name in roster.owners_in(a.owner)})
    for owner, alias in aliases.items():
        if any(actions.ActionFilter(owners=alias).keeps(a) for a in every):
            continue
        close = difflib.get_close_matches(owner, names, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        click.echo(f"pmlint: warning: no action item in the archive is owned by `{owner}`{hint}", err=True)


def run_actions(options: ActionsOptions) -> int:
    """List the action items; 1 with ``fail`` when any listed item is overdue, else 0."""
    today = options.today or dt.date.today()
    archive = load_archive(options.paths, options.config_file, options.jobs, cache=not options.no_cache)
    aliases = _aliases(options.keep.owners, archive.settings)
    keep = replace(options.keep, owners=tuple(sorted({a for alias in aliases.values() for a in alias})))
    every = actions.collect(archive.summaries, today)
    _unknown_owners(aliases, every)
    listed = actions.select(every, keep)
    buffer = io.StringIO()
    actions.FORMATS[options.format](listed, buffer, today)
    emit(buffer.getvalue(), options.output)
    return 1 if options.fail and any(a.overdue for a in listed) else 0
