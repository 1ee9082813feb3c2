"""Settings for a run from `[tool.pmlint]` in pyproject.toml or `.pmlint.yaml`, else the defaults.

When a file exists it is read and validated (`config.files`, which imports
tomllib, ruamel.yaml and pydantic), and an error is reported as
``file:line: key: problem`` (exit 2); unless the memo (`config.memo`) knows the
file's bytes already.
"""

from __future__ import annotations

from pathlib import Path

from postmortem_lint.config import memo
from postmortem_lint.config.settings import ConfigError, Settings
from postmortem_lint.core import lazy
from postmortem_lint.io.discover import find_config


def load(root: Path, explicit: Path | None = None, cwd: Path | None = None, remember: bool = True) -> Settings:
    """Settings for a run: the explicit file, else the nearest one, else defaults.

    A file validated before, byte for byte, is not validated again: its settings
    come from the project's cache folder (``remember``), which spares a one-file
    run the ~150 ms of importing ruamel.yaml and pydantic.
    """
    path = explicit or find_config(cwd or Path.cwd(), root)
    if path is None:
        return Settings(root=root)
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    key = memo.config_key(path, root)
    known = memo.remembered(root, key, path) if remember and key else None
    if known is not None:
        return known
    settings: Settings = lazy.load("postmortem_lint.config.files").read_settings(path, root)
    if remember and key:
        memo.remember(settings, key)
    return settings
