"""`pmlint actions`: every action item across the archive, filtered, as a table, Markdown, JSON or CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import declared
from postmortem_lint.commands.output import emit, rendered
from postmortem_lint.core.vocab import PRIORITIES
from postmortem_lint.features import actions
from postmortem_lint.reporters import registry
from postmortem_lint.reporters.subjects import ActionList

OPTIONS = (
    opts.Option(("--open",), "open_only", "Only open items (not Done, Closed or Won't Do).", flag=True),
    opts.Option(("--overdue",), "overdue", "Only open items whose due date has passed.", flag=True),
    opts.Option(
        ("--owner",),
        "owners",
        "Only this owner's items (a name, @handle or any alias on the owners roster; repeatable).",
        metavar="NAME",
        multiple=True,
    ),
    opts.Option(("--priority",), "priorities", "Only this priority (repeatable).", choices=PRIORITIES, multiple=True, case_sensitive=False),
    opts.format_option(sorted(registry.formats("actions")), "text"),
    opts.Option(("--fail",), "fail", "Exit 1 when any listed item is overdue (use with --overdue in a scheduled CI job).", flag=True),
    opts.TODAY,
    opts.CONFIG,
    opts.JOBS,
    opts.NO_CACHE,
    opts.OUTPUT,
)


@click.command("actions")
@declared((opts.PATHS,), OPTIONS)
def actions_command(
    paths: tuple[Path, ...],
    open_only: bool,
    overdue: bool,
    owners: tuple[str, ...],
    priorities: tuple[str, ...],
    format_: str,
    fail: bool,
    today: dt.date | None,
    config_file: Path | None,
    jobs: int,
    no_cache: bool,
    output: Path | None,
) -> int:
    """Action items across all post-mortems, soonest due first."""
    keep = actions.ActionFilter(open_only, overdue, _split(owners), tuple(p.capitalize() for p in priorities))
    day = today or dt.date.today()
    found = actions.listed(paths, config_file, keep, day, jobs, cache=not no_cache, warn=_warn)
    emit(rendered("actions", format_, ActionList(found, day)), output)
    return 1 if fail and any(a.overdue for a in found) else 0


def _warn(message: str) -> None:
    click.echo(message, err=True)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
