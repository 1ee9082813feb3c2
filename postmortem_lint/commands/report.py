"""`pmlint report`: patterns across incidents as Markdown, JSON or a self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import declared
from postmortem_lint.commands.output import emit, rendered
from postmortem_lint.features import insights
from postmortem_lint.reporters import registry
from postmortem_lint.reporters.subjects import ReportPage

OPTIONS = (
    opts.format_option(registry.formats("report"), "markdown"),
    opts.TODAY.but(help="Date to judge overdue action items against (default: today)."),
    opts.CONFIG,
    opts.JOBS,
    opts.NO_CACHE,
    opts.OUTPUT,
)


@click.command("report")
@declared((opts.PATHS,), OPTIONS)
def report_command(
    paths: tuple[Path, ...], format_: str, today: dt.date | None, config_file: Path | None, jobs: int, no_cache: bool, output: Path | None
) -> int:
    """Patterns across incidents: severities, root causes, months, TTD/TTM, action items, systems, themes."""
    built, root = insights.of_archive(paths, config_file, today or dt.date.today(), jobs, cache=not no_cache, warn=_warn)
    emit(rendered("report", format_, ReportPage(built, root_href(root, output))), output)
    return 0


def _warn(message: str) -> None:
    click.echo(message, err=True)


def root_href(root: Path, output: Path | None) -> str:
    """The way from the page's folder (``output``'s, else the current one, where `> page.html` writes) to the project root."""
    base = (output.parent if output else Path.cwd()).resolve()
    rel = Path(os.path.relpath(root.resolve(), base)).as_posix()
    return "" if rel == "." else rel + "/"
