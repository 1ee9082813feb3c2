"""click commands built from the plain declarations of `commands.options` (imports click)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from postmortem_lint.commands.options import Argument, Option
from postmortem_lint.core.days import parse_day

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date (a usage error otherwise)."""
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def option(spec: Option) -> Decorator:
    """The click option of ``spec``."""
    settings: dict[str, Any] = {"help": spec.help}
    if spec.flag:
        settings["is_flag"] = True
    elif "/" in spec.decls[0]:
        settings["default"] = spec.default
    else:
        settings.update(_value(spec))
    if spec.metavar:
        settings["metavar"] = spec.metavar
    if spec.multiple:
        settings["multiple"] = True
    return click.option(*spec.decls, spec.dest, **settings)


def _value(spec: Option) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if spec.choices:
        found["type"] = click.Choice(spec.choices, case_sensitive=spec.case_sensitive)
    elif spec.kind == "path":
        found["type"] = click.Path(path_type=Path)
    elif spec.kind == "jobs":
        found["type"] = click.IntRange(0, 256)
    elif spec.kind == "date":
        found["callback"] = iso_date
    if spec.default is not None:
        found["default"] = spec.default
    if spec.show_default:
        found["show_default"] = True
    return found


def argument(spec: Argument) -> Decorator:
    settings: dict[str, Any] = {}
    if spec.nargs != 1:
        settings["nargs"] = spec.nargs
    if spec.kind == "path":
        settings["type"] = click.Path(path_type=Path)
    if not spec.required:
        settings["required"] = False
    return click.argument(spec.name, **settings)


def declared(arguments: Sequence[Argument], options: Sequence[Option]) -> Decorator:
    """The click decorators of ``arguments`` then ``options``, in the order `--help` lists them."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for spec in reversed(options):
            function = option(spec)(function)
        for arg in reversed(arguments):
            function = argument(arg)(function)
        return function

    return decorate


def command(name: str, arguments: Sequence[Argument], options: Sequence[Option], function: Callable[..., Any]) -> click.Command:
    """A click command: ``function`` (its docstring is the help) with the declared arguments and options."""
    return click.command(name)(declared(arguments, options)(function))
