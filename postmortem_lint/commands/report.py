"""`pmlint report`: patterns across incidents as Markdown, JSON or a self-contained HTML page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import declared
from postmortem_lint.commands.output import emit, rendered
from postmortem_lint.features import insights
from postmortem_lint.reporters import registry

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
    built = insights.of_archive(paths, config_file, today or dt.date.today(), jobs, cache=not no_cache)
    emit(rendered("report", format_, built), output)
    return 0
