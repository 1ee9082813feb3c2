"""`pmlint report`: patterns across incidents as Markdown, JSON or a self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import click

from postmortem_lint import report
from postmortem_lint.commands.actions import emit, load_archive, parse_date


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(report.FORMATS), default="markdown", show_default=True, help="Output format.")
@click.option("--today", callback=parse_date, help="Date to judge overdue action items against (YYYY-MM-DD).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, help="Worker processes (0: one per core).")
@click.option("--output-file", "-o", "output", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def report_command(
    paths: tuple[Path, ...], format_: str, today: dt.date | None, config_file: Path | None, jobs: int, output: Path | None
) -> int:
    """Patterns across incidents: severities, root causes, months, TTD/TTM, action items, systems, themes."""
    return run_report(paths, format_, today or dt.date.today(), config_file, jobs, output)


def run_report(paths: tuple[Path, ...], format_: str, today: dt.date, config_file: Path | None, jobs: int, output: Path | None) -> int:
    archive = load_archive(paths, config_file, jobs)
    try:
        built = report.build(archive.summaries, today, archive.unreadable)
    except report.PackError as exc:
        raise click.ClickException(str(exc)) from None
    buffer = io.StringIO()
    if format_ == "html":
        from postmortem_lint.report_html import render_html

        render_html(built, buffer)
    elif format_ == "json":
        report.render_json(built, buffer)
    else:
        report.render_markdown(built, buffer)
    emit(buffer.getvalue(), output)
    return 0
