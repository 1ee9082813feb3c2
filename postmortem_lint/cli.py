"""`pmlint`: the entry point.

What a pre-commit hook runs, `pmlint check PATH...` with at most on/off options
(`commands.check_options.FLAGS`, read from the same declaration click is built from),
goes straight to `commands.check.run_paths`, as click would call it, without
importing click (~10 ms; NOTES.md: imports are the floor of a hook's latency).
Any other option, and every other command, goes through the click group
(`commands.group`, loaded through `core.lazy` when needed).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from postmortem_lint.core import lazy
from postmortem_lint.lint import replay

COMPLETE_VAR = "_PMLINT_COMPLETE"
"""click's shell-completion variable for prog_name pmlint: when set, click must answer."""


def _commands() -> ModuleType:
    """`commands.group`: the click group and its failure reporting."""
    return lazy.load("postmortem_lint.commands.group")


def group() -> Any:
    """The click group (`commands.group.cli`), loaded when first needed."""
    return _commands().cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return group()
    if name == "FLAGS":
        return _flags()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: exit codes 0 (clean), 1 (findings), 2 (usage, config or I/O).

    A reporting `pmlint check` line (`lint.replay.replayable`) first looks for the
    record of the same run over unchanged inputs and replays it; otherwise it runs
    with its output recorded for next time.
    """
    args = list(argv) if argv is not None else sys.argv[1:]
    if not replay.replayable(args) or os.environ.get(COMPLETE_VAR):
        return _run(args)
    run_key = replay.key(args)
    replayed = replay.replay(args, run_key)
    if replayed is not None:
        return replayed
    with replay.Recorder(args, run_key) as recorder:
        code = _run(args)
    recorder.finish(code)
    return code


def _run(args: list[str]) -> int:
    """`_main`, after seeding `re`'s cache with the patterns pmlint ships compiled (`commands.startup`)."""
    lazy.load("postmortem_lint.commands.startup").seed()
    return _main(args)


def _main(args: list[str]) -> int:
    try:
        plain = _plain_check(args)
        result: int = _commands().run(args) if plain is None else _check_directly(*plain)
    except KeyboardInterrupt:
        code: int = _commands().interrupted()
        return code
    except BrokenPipeError:
        return 1
    except Exception as exc:
        code = _commands().failure(exc)
        return code
    return int(result or 0)


def _plain_check(args: list[str]) -> tuple[list[str], dict[str, bool]] | None:
    """The PATHs and on/off flags of a `pmlint check` line that holds nothing else, as click would parse them.

    Any other option, an empty argument, a shell-completion request or a path
    that exists but cannot be read (click's own usage error) leaves the line to click.
    """
    if not args or args[0] != "check" or os.environ.get(COMPLETE_VAR):
        return None
    paths: list[str] = []
    flags: dict[str, bool] = {}
    known = _flags()
    for arg in args[1:]:
        if arg in known:
            flags[known[arg]] = True
        elif not arg or arg.startswith("-") or not _readable(arg):
            return None
        else:
            paths.append(arg)
    return paths, flags


def _flags() -> dict[str, str]:
    """`commands.check_options.FLAGS`, loaded only when the run is not replayed (`lint.replay`)."""
    flags: dict[str, str] = lazy.load("postmortem_lint.commands.check_options").FLAGS
    return flags


def _readable(path: str) -> bool:
    """What `click.Path()` accepts: a missing path, or one that can be read."""
    return not os.path.exists(path) or os.access(path, os.R_OK)


def _check_directly(paths: list[str], flags: dict[str, bool]) -> int:
    """`commands.check.run_paths`, with the exceptions turned into what click's `main` makes of them."""
    try:
        code: int = lazy.load("postmortem_lint.commands.check").run_paths(paths, **flags)
        return code
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")
        sys.stderr.flush()
        aborted: int = _commands().aborted()
        return aborted
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


if __name__ == "__main__":
    sys.exit(main())
