"""The `pmlint` command group.

Subcommands are loaded lazily from `postmortem_lint.commands.<module>` so that a
one-file `pmlint check` imports only what checking needs (NOTES.md: imports are
the floor of a pre-commit hook's latency). What a pre-commit hook runs, `pmlint
check PATH...` (with at most on/off options such as --no-cache), goes straight to
`check.run_paths`, as click would call it, without importing click (~10 ms); any
other option, and every other command, goes through the click group (`cli`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from postmortem_lint import __version__

if TYPE_CHECKING:
    import click

COMMANDS = {
    "check": ("check", "Lint post-mortems."),
    "new": ("new", "Scaffold a new post-mortem."),
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

BUG_URL = "https://github.com/pmlint/pmlint/issues"
COMPLETE_VAR = "_PMLINT_COMPLETE"
"""click's shell-completion variable for prog_name pmlint: when set, click must answer."""


@functools.cache
def group() -> click.Group:
    """The click group, built when first needed."""
    import click

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(COMMANDS)

        def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
            if name not in COMMANDS:
                return None
            import importlib

            module = importlib.import_module(f"postmortem_lint.commands.{COMMANDS[name][0]}")
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

    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return group()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: exit codes 0 (clean), 1 (findings), 2 (usage, config or I/O)."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        plain = _plain_check(args)
        result = group().main(args=args, prog_name="pmlint", standalone_mode=False) if plain is None else _check_directly(*plain)
    except KeyboardInterrupt:
        import click

        click.echo("pmlint: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        return _failure(exc)
    return int(result or 0)


FLAGS = {
    "--no-cache": "no_cache",
    "--strict": "strict",
    "--staged": "staged",
    "--statistics": "statistics",
    "--quiet": "quiet",
    "-q": "quiet",
    "--fix": "fix",
    "--force-exclude": "force_exclude",
    "--exit-zero": "exit_zero",
}
"""The on/off options of `check` that need no parsing: given alone, click is not needed for them."""


def _plain_check(args: list[str]) -> tuple[list[str], dict[str, bool]] | None:
    """The PATHs and on/off `FLAGS` of a `pmlint check` line that holds nothing else, as click would parse them.

    Any other option, an empty argument, a shell-completion request or a path
    that exists but cannot be read (click's own usage error) leaves the line to click.
    """
    if not args or args[0] != "check" or os.environ.get(COMPLETE_VAR):
        return None
    paths: list[str] = []
    flags: dict[str, bool] = {}
    for arg in args[1:]:
        if arg in FLAGS:
            flags[FLAGS[arg]] = True
        elif not arg or arg.startswith("-") or not _readable(arg):
            return None
        else:
            paths.append(arg)
    return paths, flags


def _readable(path: str) -> bool:
    """What `click.Path()` accepts: a missing path, or one that can be read."""
    return not os.path.exists(path) or os.access(path, os.R_OK)


def _check_directly(paths: list[str], flags: dict[str, bool]) -> int:
    """`check.run_paths`, with the exceptions turned into what click's `main` makes of them."""
    from postmortem_lint.commands.check import run_paths

    try:
        return run_paths(paths, **flags)
    except (EOFError, KeyboardInterrupt) as exc:
        import click

        click.echo(file=sys.stderr)
        raise click.exceptions.Abort() from exc
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        _drain_closed_pipes()
        sys.exit(1)


def _drain_closed_pipes() -> None:
    """After EPIPE, as click does: exit 1 quietly, so the final flush of stdout and stderr must not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


def _failure(exc: Exception) -> int:
    """The exit code (and the message on stderr) for an exception out of a command."""
    import click

    if isinstance(exc, click.exceptions.Abort):
        click.echo("pmlint: aborted", err=True)
        return 2
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show()
        return 2
    if isinstance(exc, click.ClickException):
        click.echo(error_line(exc), err=True)
        return 2
    if isinstance(exc, click.exceptions.Exit):
        return int(exc.exit_code)
    return _internal_error(exc)


def error_line(exc: click.ClickException) -> str:
    """The one line for a usage, configuration or I/O problem: ``pmlint: error: …``.

    Every line pmlint writes on stderr starts with ``pmlint:`` (errors, notes,
    progress); click's own ``Error:`` and usage block are not used. A usage
    error names the help to read instead. A control character the user wrote
    (a newline in a path) is escaped, so the message stays one line.
    """
    import click

    from postmortem_lint.config_errors import printable

    line = f"pmlint: error: {printable(exc.format_message())}"
    ctx = getattr(exc, "ctx", None) if isinstance(exc, click.UsageError) else None
    if ctx is not None:
        line += f" (see `{ctx.command_path} --help`)"
    return line


def _internal_error(exc: BaseException) -> int:
    import traceback

    import click

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    click.echo(f"pmlint: internal error: {type(exc).__name__}: {exc}{where}", err=True)
    click.echo(f"pmlint: this is a bug; please report it with the command you ran: {BUG_URL}", err=True)
    return 2


if __name__ == "__main__":
    sys.exit(main())
