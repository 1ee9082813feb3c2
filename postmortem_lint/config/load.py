"""Settings for a run from `[tool.pmlint]` in pyproject.toml or `.pmlint.yaml`, else the defaults.

When a file exists it is read and validated (`config.files`, which imports
tomllib, ruamel.yaml and pydantic), and an error is reported as
``file:line: key: problem`` (exit 2); unless the memo (`config.memo`) knows the
file's bytes already. The paths it names are checked on every load
(`config.paths`): what they lead to can change without the file changing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from postmortem_lint.config import memo
from postmortem_lint.config.paths import check_paths
from postmortem_lint.config.settings import ConfigError, Settings, shown_path
from postmortem_lint.core import lazy
from postmortem_lint.io.discover import find_configs


def load(root: Path, explicit: Path | None = None, cwd: Path | None = None, remember: bool = True) -> Settings:
    """Settings for a run: the explicit file, else the closest one, else defaults.

    A file validated before, byte for byte, is not validated again: its settings
    come from the project's cache folder (``remember``), which spares a one-file
    run the ~150 ms of importing ruamel.yaml and pydantic. The paths it names
    are checked on every load (`check_paths`): what they lead to can change
    without the file changing. When several files are found, a note on stderr
    names the one used and those ignored.
    """
    if explicit is None:
        found = find_configs(cwd or Path.cwd(), root)
        if len(found) > 1:
            _note_ignored(found)
        path = found[0] if found else None
    else:
        path = explicit
    if path is None:
        return Settings(root=root)
    if not path.is_file():
        raise ConfigError(f"{shown_path(path)}: configuration file not found")
    key = memo.config_key(path, root)
    settings = memo.remembered(root, key, path) if remember and key else None
    if settings is None:
        settings = lazy.load("postmortem_lint.config.files").read_settings(path, root)
        if remember and key:
            memo.remember(settings, key)
    check_paths(settings)
    return settings


def _note_ignored(found: list[Path]) -> None:
    ignored = ", ".join(_shown(p) for p in found[1:])
    sys.stderr.write(
        f"pmlint: note: using {_shown(found[0])}; ignoring {ignored} "
        "(the configuration file closest to the current folder wins; in one folder .pmlint.yaml comes before pyproject.toml)\n"
    )


def _shown(path: Path) -> str:
    """A configuration file as the user knows it, pyproject.toml with its table."""
    text = shown_path(path)
    return f"{text} [tool.pmlint]" if path.name == "pyproject.toml" else text
