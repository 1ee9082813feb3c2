"""`pmlint track [--check]`: sync POST_MORTEM_TRACKING.md's managed table.

Exit codes: 0 already in sync; 1 written (a pre-commit hook must fail when it
edits, and pre-commit does not notice a newly created file) or, with
`--check`, out of sync (a unified diff is printed); 2 the tracker cannot be
parsed or read (nothing is written).
"""

from __future__ import annotations

import difflib
import os
import shlex
import sys
from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import declared
from postmortem_lint.config.settings import Settings
from postmortem_lint.document.tracking import TrackerError
from postmortem_lint.features import tracker
from postmortem_lint.io.discover import git_top
from postmortem_lint.io.fsutil import UnsafePathError
from postmortem_lint.lint.archive import settings_here
from postmortem_lint.lint.providers import tracker_path

OPTIONS = (
    opts.Option(("--check",), "check_only", "Write nothing; print a diff and exit 1 when the tracker is out of sync.", flag=True),
    opts.CONFIG,
)


@click.command("track")
@declared((opts.Argument("files", nargs=-1, kind="path"),), OPTIONS)
def track_command(files: tuple[Path, ...], check_only: bool, config_file: Path | None) -> int:
    """Sync POST_MORTEM_TRACKING.md with the post-mortems.

    FILES (as passed by pre-commit) are ignored: the tracker always lists every
    post-mortem of the project.
    """
    settings = settings_here(config_file)
    try:
        return run_track(settings, check_only)
    except (TrackerError, UnsafePathError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{tracker_path(settings)}: cannot be written: {exc.strerror or exc}") from None


def run_track(settings: Settings, check_only: bool) -> int:
    """Check or sync the tracker; returns the exit code."""
    name = tracker_path(settings).relative_to(settings.root).as_posix()
    if check_only:
        found = tracker.plan(settings)
        if found is None or not found.changed:
            return 0
        sys.stdout.writelines(_diff(found, name))
        click.echo(f"pmlint: {name} is out of sync; run `pmlint track`", err=True)
        return 1
    found = tracker.sync(settings)
    if found is None or not found.changed:
        return 0
    verb = "created" if found.old is None else "updated"
    click.echo(f"pmlint: {verb} {name}{_next_step(found.path, settings.root)}", err=True)
    return 1


def _next_step(path: Path, root: Path) -> str:
    """What to do after a write: in a repository, the `git add` to run (from the current folder),
    and under pre-commit (which sets PRE_COMMIT=1 for its hooks) to commit again.

    Unstaged, the tracker is stashed by pre-commit before the next run and written again:
    without this line every commit fails the same way.
    """
    if git_top(root.resolve()) is None:
        return ""
    try:
        shown = os.path.relpath(path)
    except ValueError:
        shown = str(path)
    again = " and commit again" if os.environ.get("PRE_COMMIT") else ""
    return f"; run `git add {shlex.quote(shown)}`{again}"


def _diff(found: tracker.Plan, name: str) -> list[str]:
    old = (found.old or "").splitlines(keepends=True)
    new = found.new.splitlines(keepends=True)
    return list(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
