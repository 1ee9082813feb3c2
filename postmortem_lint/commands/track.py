"""`pmlint track [--check]`: sync POST_MORTEM_TRACKING.md's managed table.

Exit codes: 0 already in sync; 1 written (a pre-commit hook must fail when it
edits, and pre-commit does not notice a newly created file) or, with
`--check`, out of sync (a unified diff is printed); 2 the tracker cannot be
parsed or read (nothing is written).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from postmortem_lint import config, discover, tracker
from postmortem_lint.fsutil import UnsafePathError


def project_settings(config_file: Path | None = None) -> config.Settings:
    """Settings of the project around the current directory (ClickException on bad config)."""
    cwd = Path.cwd()
    try:
        return config.load(discover.project_root(cwd), config_file, cwd=cwd)
    except config.ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("track")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Write nothing; print a diff and exit 1 when the tracker is out of sync.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
def track_command(files: tuple[Path, ...], check_only: bool, config_file: Path | None) -> int:
    """Sync POST_MORTEM_TRACKING.md with the post-mortems.

    FILES (as passed by pre-commit) are ignored: the tracker always lists every
    post-mortem of the project.
    """
    settings = project_settings(config_file)
    try:
        return run_track(settings, check_only)
    except (tracker.TrackerError, UnsafePathError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{tracker.tracker_path(settings)}: cannot be written: {exc.strerror or exc}") from None


def run_track(settings: config.Settings, check_only: bool) -> int:
    """Check or sync the tracker; returns the exit code."""
    name = tracker.tracker_path(settings).relative_to(settings.root).as_posix()
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
    if discover.git_top(root.resolve()) is None:
        return ""
    import os
    import shlex

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
