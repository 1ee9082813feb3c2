"""`pmlint new [TITLE]`: ask the seed's clarifying questions, write a Draft, print its path.

Every answer is also a flag; a question whose flag is given is not asked.
`--no-input` never prompts: a missing answer takes its default (`--help` lists them).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import iso_date, option
from postmortem_lint.document import tracking
from postmortem_lint.features import scaffold
from postmortem_lint.io.fsutil import UnsafePathError
from postmortem_lint.lint.archive import settings_here
from postmortem_lint.packs.loader import PackError

Callback = Callable[[click.Context, click.Parameter, "str | None"], "str | None"]
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _answer(question: scaffold.Question) -> Callback:
    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None or question.key == "severity":
            return value  # the severity's choices are the template pack's: checked once the settings are read
        try:
            return question.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return convert


def _question_option(flag: str, key: str) -> Decorator:
    question = scaffold.BY_KEY[key]
    values = "|".join(question.values)
    help_ = f"{question.prompt} {values} (or its letter; default {question.default})."
    return click.option(flag, key, metavar="VALUE", callback=_answer(question), help=help_)


@click.command("new")
@click.argument("title", required=False)
@click.option("--date", callback=iso_date, metavar="YYYY-MM-DD", help="Incident date (default: today in the `timezone` setting).")
@_question_option("--severity", "severity")
@_question_option("--impact", "impact")
@_question_option("--duration", "duration")
@_question_option("--detection", "detection")
@_question_option("--root-cause", "root_cause")
@click.option("--author", help="Author (default: git config user.name, else the placeholder [Name]).")
@click.option("--no-input", is_flag=True, help=f"Never prompt; a missing title is {scaffold.DEFAULT_TITLE!r}.")
@option(opts.CONFIG)
def new_command(
    title: str | None, date: dt.date | None, author: str | None, no_input: bool, config_file: Path | None, **given: str | None
) -> int:
    """Scaffold tasks/post-mortem-<date>-<slug>.md, add its tracker row and print its path."""
    settings = settings_here(config_file)
    try:
        asked = scaffold.questions(settings)
    except PackError as exc:
        raise click.ClickException(str(exc)) from None
    given = {**given, "severity": _severity(asked, given.get("severity"))}
    if title is None and not no_input:
        title = click.prompt("Incident title", err=True)
    chosen = {q.key: given[q.key] or (q.default if no_input else _ask(number, q)) for number, q in enumerate(asked, 1)}
    answers = scaffold.Answers(
        title=scaffold.clean_title(title),
        date=date or scaffold.today_in(settings.timezone),
        author=author if author is not None else scaffold.git_author(settings.root),
        **chosen,
    )
    _warn_if_future(answers.date, settings.timezone)
    try:
        path = scaffold.create(settings, answers)
    except (tracking.TrackerError, UnsafePathError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{settings.root / settings.folder}: cannot write the post-mortem: {exc.strerror or exc}") from None
    click.echo(_shown(path))
    click.echo(f"pmlint: added its row to {settings.tracker}; commit both when the draft is ready", err=True)
    return 0


def _severity(asked: tuple[scaffold.Question, ...], value: str | None) -> str | None:
    """``--severity`` checked against the choices of the run's template (a letter or a value)."""
    if value is None:
        return None
    question = next(q for q in asked if q.key == "severity")
    try:
        return question.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--severity'") from None


def _warn_if_future(date: dt.date, zone: str) -> None:
    """A date after today is most likely a typo in the year or month: say so (the draft is still written)."""
    today = scaffold.today_in(zone)
    if date > today:
        click.echo(f"pmlint: warning: --date {date.isoformat()} is in the future (today is {today.isoformat()} in {zone})", err=True)


def _ask(number: int, question: scaffold.Question) -> str:
    click.echo(f"\n{number}. {question.prompt}", err=True)
    for index, choice in enumerate(question.choices):
        click.echo(f"   {chr(ord('A') + index)}) {choice.label}", err=True)
    last = chr(ord("A") + len(question.choices) - 1)

    def convert(text: str) -> str:
        try:
            return question.parse(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    value: str = click.prompt(f"Answer (A-{last} or a value)", default=question.letter(question.default), value_proc=convert, err=True)
    return value


def _shown(path: Path) -> str:
    """``path`` relative to the current directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
