"""The `pmlint` command group.

Subcommands are loaded lazily from `postmortem_lint.commands.<module>` so that a
one-file `pmlint check` imports only what checking needs (NOTES.md: imports are
the floor of a pre-commit hook's latency).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from postmortem_lint import __version__

COMMANDS = {
    "check": ("check", "Lint post-mortems."),
    "new": ("new", "Scaffold a new post-mortem."),
    "track": ("track", "Sync POST_MORTEM_TRACKING.md with the post-mortems."),
    "commit-msg": ("commit_msg", "prepare-commit-msg hook: fill in the commit template."),
    "rules": ("rules", "List the rule catalog."),
    "rule": ("rules", "Explain one rule."),
    "actions": ("actions", "Action items across all post-mortems."),
    "report": ("report", "Patterns across incidents."),
}

BUG_URL = "https://github.com/pmlint/pmlint/issues"


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"postmortem_lint.commands.{COMMANDS[name][0]}")
        command = getattr(module, name.replace("-", "_") + "_command")
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_m, help_) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmlint")
def cli() -> None:
    """pmlint: lint, scaffold and track blameless incident post-mortems."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: exit codes 0 (clean), 1 (findings), 2 (usage, config or I/O)."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="pmlint", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("pmlint: aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("pmlint: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        return _internal_error(exc)
    return int(result or 0)


def _internal_error(exc: BaseException) -> int:
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    click.echo(f"pmlint: internal error: {type(exc).__name__}: {exc}{where}", err=True)
    click.echo(f"pmlint: this is a bug; please report it with the command you ran: {BUG_URL}", err=True)
    return 2


def fail(message: str) -> Any:
    """Raise a usage/config/I-O problem: one line on stderr, exit 2."""
    raise click.ClickException(message)


if __name__ == "__main__":
    sys.exit(main())
