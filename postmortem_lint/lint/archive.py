"""The archive: the project's post-mortems as summaries.

`summaries` is the one way summaries are loaded (`pmlint actions`, `report`,
`track`, `commit-msg` and `new` all use it): the engine with no rule selected, in
parallel for large archives, unchanged files from the result cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from postmortem_lint.config.load import load as load_settings
from postmortem_lint.config.settings import ConfigError, Settings
from postmortem_lint.core.errors import Problem
from postmortem_lint.document.summary import Summary
from postmortem_lint.io import discover
from postmortem_lint.lint import files, providers
from postmortem_lint.lint.engine import lint_all
from postmortem_lint.lint.results import Target

NO_RULES = ("-",)
"""A selection that matches no rule code: the engine then only builds summaries."""
SUMMARY_DAY = dt.date(2000, 1, 1)
"""The date the summaries are built "on": no rule runs, so it changes nothing but the cache key, kept fixed across days."""


@dataclass(frozen=True)
class Archive:
    settings: Settings
    summaries: list[Summary]
    unreadable: list[str]
    """Post-mortems that could not be read or decoded (PM000 in `pmlint check`)."""


def summaries(targets: Sequence[Target], settings: Settings, jobs: int = 0, cache: bool = True) -> Archive:
    """The summary of each target (sorted as given); those that cannot be read or decoded are listed as unreadable."""
    results = list(lint_all(targets, replace(settings, select=NO_RULES), SUMMARY_DAY, jobs, cache=cache))
    found = [r.summary for r in results if r.summary is not None]
    return Archive(settings, found, [r.rel for r in results if r.summary is None])


def project_targets(settings: Settings) -> list[Target]:
    """The archive's post-mortems (`lint.files.archive_files`): a misnamed file gets its row once renamed."""
    return [Target(settings.root / rel, rel) for rel in files.archive_files(settings)]


def load(
    paths: Sequence[Path], config_file: Path | None, jobs: int = 0, cache: bool = True, warn: Callable[[str], None] = print
) -> Archive:
    """Summaries of the project's post-mortems (or of those under ``paths``), sorted by path.

    The project is found from the first path (else the current folder); a bad
    configuration or a missing path is a `Problem`; ``warn`` is told of a named
    folder without post-mortems.
    """
    start = paths[0] if paths else Path.cwd()
    root = discover.project_root(start if start.exists() else Path.cwd())
    try:
        settings = load_settings(root, config_file, cwd=start if start.is_dir() else start.parent)
        providers.check_template(settings)
        found = _named(paths, settings, warn) if paths else {t.rel: t.path for t in project_targets(settings)}
    except (ConfigError, discover.PathError) as exc:
        raise Problem(str(exc)) from None
    return summaries([Target(p, rel) for rel, p in sorted(found.items())], settings, jobs, cache)


def _named(paths: Sequence[Path], settings: Settings, warn: Callable[[str], None]) -> dict[str, Path]:
    found = files.expand(paths, settings)
    for folder in found.empty_folders:
        warn(f"pmlint: warning: {folder} is a folder without post-mortems")
    return {discover.relative(p, settings.root): p for p in found.files}


def settings_here(config_file: Path | None = None) -> Settings:
    """The settings of the project around the current folder (a bad configuration is a `Problem`)."""
    cwd = Path.cwd()
    try:
        settings = load_settings(discover.project_root(cwd), config_file, cwd=cwd)
    except ConfigError as exc:
        raise Problem(str(exc)) from None
    providers.check_template(settings)
    return settings


def of_blobs(blobs: dict[str, bytes], settings: Settings) -> list[Summary]:
    """Summaries of content not on disk (staged blobs, by path), those that decode, without the cache."""
    return summaries([Target(settings.root / rel, rel, data) for rel, data in blobs.items()], settings, cache=False).summaries
