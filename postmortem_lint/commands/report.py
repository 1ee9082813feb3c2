"""`pmlint report`: patterns across incidents as Markdown, JSON or a self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

import click

from postmortem_lint import packs, report
from postmortem_lint.commands._options import iso_date
from postmortem_lint.commands.actions import emit, load_archive


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(report.FORMATS), default="markdown", show_default=True, help="Output format.")
@click.option("--today", metavar="YYYY-MM-DD", callback=iso_date, help="Date to judge overdue action items against (default: today).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, help="Worker processes (0: one per core).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--output-file", "-o", "output", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def report_command(paths: tuple[Path, ...], format_: str, today: dt.date | None, no_cache: bool, **rest: object) -> int:
    """Patterns across incidents: severities, root causes, months, TTD/TTM, action items, systems, themes."""
    options = ReportOptions(paths, format_, today or dt.date.today(), cache=not no_cache, **rest)  # type: ignore[arg-type]
    return run_report(options)


@dataclass(frozen=True)
class ReportOptions:
    paths: tuple[Path, ...]
    format: str
    today: dt.date
    config_file: Path | None = None
    jobs: int = 0
    cache: bool = True
    output: Path | None = None


def run_report(options: ReportOptions) -> int:
    """Build the report and print or write it; always 0 (problems are exit 2 with a message)."""
    archive = load_archive(options.paths, options.config_file, options.jobs, cache=options.cache)
    try:
        built = report.build(archive.summaries, options.today, archive.unreadable)
    except packs.PackError as exc:
        raise click.ClickException(str(exc)) from None
    buffer = io.StringIO()
    if options.format == "html":
        from postmortem_lint.report_html import render_html

        render_html(built, buffer, root_href=root_href(archive.settings.root, options.output))
    elif options.format == "json":
        report.render_json(built, buffer)
    else:
        report.render_markdown(built, buffer)
    emit(buffer.getvalue(), options.output)
    return 0


def root_href(root: Path, output: Path | None) -> str:
    """The way from the page's folder (``output``'s, else the current one, where `> page.html` writes) to the project root."""
    base = (output.parent if output else Path.cwd()).resolve()
    rel = Path(os.path.relpath(root.resolve(), base)).as_posix()
    return "" if rel == "." else rel + "/"
