"""The `pmlint` click group and how its failures are reported (imports click; `cli` loads it when click is needed).

Subcommands are loaded when asked for, from `postmortem_lint.commands.<module>`
(`core.lazy`), so that ``pmlint rules`` does not import the engine.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence

import click

from postmortem_lint import __version__
from postmortem_lint.core import lazy
from postmortem_lint.core.errors import Problem
from postmortem_lint.core.text import printable

COMMANDS = {
    "check": ("check", "Lint post-mortems."),
    "new": ("new", "Scaffold a new post-mortem."),
    "init": ("init", "Fit the template presets to an existing archive and write .pmlint.yaml."),
    "track": ("track", "Sync POST_MORTEM_TRACKING.md with the post-mortems."),
    "commit-msg": ("commit_msg", "prepare-commit-msg hook: fill in the commit template."),
    "rules": ("rules", "List the rule catalog."),
    "rule": ("rules", "Explain one rule."),
    "actions": ("actions", "Action items across all post-mortems."),
    "report": ("report", "Patterns across incidents."),
    "config": ("config", "Show the effective settings and where each comes from (--schema: the JSON Schema)."),
    "server": ("server", "Language Server for editors, on stdio (needs pmlint[lsp])."),
    "mcp": ("mcp", "Model Context Protocol server for AI assistants, on stdio (needs pmlint[mcp])."),
}
"""Command name -> (its module of `postmortem_lint.commands`, its one-line help)."""
BUG_URL = "https://github.com/pmlint/pmlint/issues"


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = lazy.load(f"{__package__}.{COMMANDS[name][0]}")
        command = getattr(module, name.replace("-", "_") + "_command")
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_m, help_) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pmlint")
def cli() -> None:
    """pmlint: lint, scaffold and track blameless incident post-mortems."""


def run(args: Sequence[str]) -> int:
    """The command line ``args`` through click; the command's exit code."""
    return int(cli.main(args=list(args), prog_name="pmlint", standalone_mode=False) or 0)


def failure(exc: Exception) -> int:
    """The exit code (and the message on stderr) for an exception out of a command."""
    if isinstance(exc, Problem):
        exc = click.ClickException(str(exc))
    if isinstance(exc, click.exceptions.Abort):
        return aborted()
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show()
        return 2
    if isinstance(exc, click.ClickException):
        click.echo(error_line(exc), err=True)
        return 2
    if isinstance(exc, click.exceptions.Exit):
        return int(exc.exit_code)
    return internal_error(exc)


def error_line(exc: click.ClickException) -> str:
    """The one line for a usage, configuration or I/O problem: ``pmlint: error: …``.

    Every line pmlint writes on stderr starts with ``pmlint:`` (errors, notes,
    progress); click's own ``Error:`` and usage block are not used. A usage
    error names the help to read instead. A control character the user wrote
    (a newline in a path) is escaped, so the message stays one line.
    """
    line = f"pmlint: error: {printable(exc.format_message())}"
    ctx = getattr(exc, "ctx", None) if isinstance(exc, click.UsageError) else None
    if ctx is not None:
        line += f" (see `{ctx.command_path} --help`)"
    return line


def aborted() -> int:
    click.echo("pmlint: aborted", err=True)
    return 2


def interrupted() -> int:
    click.echo("pmlint: interrupted", err=True)
    return 130


def internal_error(exc: BaseException) -> int:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    click.echo(f"pmlint: internal error: {type(exc).__name__}: {exc}{where}", err=True)
    click.echo(f"pmlint: this is a bug; please report it with the command you ran: {BUG_URL}", err=True)
    return 2
