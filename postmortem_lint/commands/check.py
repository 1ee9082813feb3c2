"""`pmlint check`: options -> `features.check.run` -> reporter -> exit code.

Click-free, so that `cli` can run a plain ``pmlint check PATH...`` without
importing click: the options are declared as data (`commands.check_options`),
the click command is built from them when first asked for (`check_command`),
and the fast path reads its on/off flags from the same declaration.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from postmortem_lint.commands.check_options import ARGUMENTS, OPTIONS
from postmortem_lint.core import lazy
from postmortem_lint.core.errors import Problem
from postmortem_lint.document import source
from postmortem_lint.features import autofix
from postmortem_lint.features.check import CheckOutcome, CheckRequest, run
from postmortem_lint.io import discover
from postmortem_lint.lint import fixing
from postmortem_lint.lint.results import Target
from postmortem_lint.lint.targets import Scope
from postmortem_lint.reporters import registry
from postmortem_lint.reporters.check import statistics
from postmortem_lint.reporters.subjects import CheckReport


class CheckOptions(NamedTuple):
    paths: tuple[Path, ...] = ()
    format: str = "text"
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    strict: bool = False
    staged: bool = False
    changed_since: str | None = None
    against: str | None = None
    today: dt.date | None = None
    config_file: Path | None = None
    no_cache: bool = False
    jobs: int = 0
    statistics: bool = False
    quiet: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    fix_only: bool = False
    exit_non_zero_on_fix: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    colour: bool | None = None
    output: Path | None = None
    force_exclude: bool = False
    exit_zero: bool = False
    stdin_filename: Path | None = None
    """``--stdin-filename PATH``: the document comes from stdin and is linted as if it were at PATH."""

    def request(self, stdin: bytes | None = None) -> CheckRequest:
        """What to check; ``stdin`` is the document read from stdin (with ``--stdin-filename``)."""
        document = (self.stdin_filename, stdin) if self.stdin_filename is not None and stdin is not None else None
        scope = Scope(self.paths, self.staged, self.changed_since, self.against, self.force_exclude, document)
        return CheckRequest(
            scope,
            self.select,
            self.ignore,
            self.today,
            self.config_file,
            self.no_cache,
            self.jobs,
            self.fix,
            self.unsafe_fixes,
            self.diff,
            self.fix_only,
            self.baseline,
            self.write_baseline,
        )


def __getattr__(name: str) -> Any:
    if name == "check_command":
        return _command()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _command() -> Any:
    """The click command, built from `OPTIONS` when first needed (`cli` runs a plain `check PATH...` without click)."""
    return lazy.load("postmortem_lint.commands.click_options").command("check", ARGUMENTS, OPTIONS, check)


def check(paths: tuple[Path, ...], format_: str, select: str | None, ignore: str | None, **rest: Any) -> int:
    """Lint post-mortems (default: every file matching the configured glob)."""
    options = CheckOptions(paths=paths, format=format_, select=_codes(select), ignore=_codes(ignore) or (), **rest)
    return run_check(_stdin_checked(options))


STDIN_CONFLICTS = {
    "staged": "--staged",
    "changed_since": "--changed-since",
    "fix": "--fix",
    "unsafe_fixes": "--unsafe-fixes",
    "diff": "--diff",
    "fix_only": "--fix-only",
    "write_baseline": "--write-baseline",
}
"""Options that choose or change files on disk, meaningless for a document read from stdin."""


def _stdin_checked(options: CheckOptions) -> CheckOptions:
    """``-`` and ``--stdin-filename`` go together, alone: the PATHs become none, the document is stdin's."""
    dash = Path("-") in options.paths
    if not dash and options.stdin_filename is None:
        return options
    if options.stdin_filename is None:
        raise Problem("`-` reads the document from stdin and needs --stdin-filename PATH (where the document would be)")
    if any(p != Path("-") for p in options.paths):
        raise Problem("--stdin-filename checks the document on stdin only; give `-` as the only PATH")
    for key, flag in STDIN_CONFLICTS.items():
        if getattr(options, key):
            raise Problem(f"{flag} cannot be combined with --stdin-filename")
    return options._replace(paths=())


def _stdin() -> bytes:
    try:
        return sys.stdin.buffer.read()
    except OSError as exc:
        raise Problem(f"stdin: cannot be read: {exc.strerror or exc}") from None


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip() for c in value.split(",") if c.strip())


def run_paths(paths: Sequence[str], **flags: bool) -> int:
    """`pmlint check PATH...` with only on/off `FLAGS`, the others at their default: what click would pass to `run_check`."""
    return run_check(CheckOptions(tuple(Path(p) for p in paths), **flags))  # type: ignore[arg-type]


def run_check(options: CheckOptions) -> int:
    """Run a check and print the report; returns the exit code."""
    stdin = _stdin() if options.stdin_filename is not None else None
    outcome = run(options.request(stdin), lambda total: _progress(total, options), _warn)
    if outcome.recorded:
        sys.stderr.write(f"pmlint: recorded {len(outcome.result.diagnostics)} findings in {options.write_baseline}\n")
        return 0
    if outcome.fixes is not None:
        _fix_summary(outcome, options)
        if options.diff:
            return 1 if outcome.fixes.changes or outcome.fixes.tracker else 0
        if options.fix_only:
            return 1 if options.exit_non_zero_on_fix and outcome.fixes.changes else 0
    _report(outcome, options)
    if options.exit_non_zero_on_fix and outcome.fixes is not None and outcome.fixes.changes:
        return 1
    failing = {"error", "warning"} if options.strict else {"error"}
    return 1 if any(d.severity in failing for d in outcome.result.diagnostics) and not options.exit_zero else 0


def _fix_summary(outcome: CheckOutcome, options: CheckOptions) -> None:
    """The diffs on stdout with ``--diff``; the count of fixed and remaining findings on stderr."""
    fixes = outcome.fixes
    assert fixes is not None
    if options.diff:
        for change in fixes.changes:
            sys.stdout.write(fixing.diff(change))
    if not options.quiet:
        fixed = fixes.fixed + fixes.tracker
        _warn(autofix.summary(fixed, outcome.result.diagnostics, options.unsafe_fixes, options.diff))


def _warn(message: str) -> None:
    sys.stderr.write(message + "\n")


def _progress(total: int, options: CheckOptions) -> Callable[[int, int], None] | None:
    if options.quiet or total < 200 or not sys.stderr.isatty():
        return None

    def show(done: int, count: int) -> None:
        if done == count or done % 50 == 0:
            end = "\n" if done == count else "\r"
            sys.stderr.write(f"pmlint: checked {done}/{count} files{end}")
            sys.stderr.flush()

    return show


def _report(outcome: CheckOutcome, options: CheckOptions) -> None:
    result = outcome.result
    try:
        out: TextIO = open(options.output, "w", encoding="utf-8") if options.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise Problem(f"{options.output}: cannot write the report: {exc.strerror or exc}") from None
    try:
        if options.statistics:
            statistics.render(result.diagnostics, out, as_json=options.format == "json")
        else:
            prefix = _path_prefix(outcome.settings.root)
            data = CheckReport(result.diagnostics, result.files_checked, options.colour, options.quiet, prefix, _sources(outcome.targets))
            registry.render("check", options.format, data, out)
    finally:
        if options.output:
            out.close()


def _sources(targets: list[Target]) -> Callable[[str], tuple[str, ...] | None]:
    """The lines of each checked file as it was checked (the staged content with ``--staged``), for `--format full`."""
    by_rel = {t.rel: t for t in targets}

    def lines(rel: str) -> tuple[str, ...] | None:
        target = by_rel.get(rel)
        data = target.content() if target is not None else None
        text = source.decode(data) if data is not None else None
        return None if text is None or isinstance(text, source.SourceError) else text.lines

    return lines


def _path_prefix(root: Path) -> str:
    """The project root relative to the repository top ('' or 'sub/'): CI formats want repository paths."""
    top = discover.git_top(root.resolve())
    rel = root.resolve().relative_to(top).as_posix() if top else "."
    return "" if rel == "." else rel + "/"
