"""The memo of validated settings: a configuration file validated before, byte for byte, is not validated again.

The settings are stored as JSON in the project's cache folder (`io.cachedir`),
keyed by the file's bytes, pmlint's version and where the file and the project
are; this spares a one-file run the ~150 ms of importing ruamel.yaml and pydantic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from postmortem_lint import __version__
from postmortem_lint.config.settings import Settings
from postmortem_lint.io import cachedir

SETTINGS_NOTE = "settings.json"
MEMO_FORMAT = 2
"""Bumped when the remembered settings change shape (2: `origins`)."""


def config_key(path: Path, root: Path) -> str | None:
    """What the memo of ``path`` is keyed by: pmlint's version, the memo's format, where the file and the project are, its bytes."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    seed = f"{__version__}|{MEMO_FORMAT}|{path.resolve()}|{root.resolve()}|".encode()
    return hashlib.sha256(seed + data).hexdigest()


def remember(settings: Settings, key: str) -> None:
    """Store the validated ``settings`` under ``key`` in the project's cache folder."""
    note = json.dumps({"key": key, "settings": settings.values()}, default=str, sort_keys=True)
    cachedir.write_note(settings.root, SETTINGS_NOTE, note.encode())


def remembered(root: Path, key: str, path: Path) -> Settings | None:
    """The settings stored under ``key`` (None when there are none, or others)."""
    note = cachedir.read_note(root, SETTINGS_NOTE)
    try:
        stored = json.loads(note) if note else None
        if not stored or stored.get("key") != key:
            return None
        return _settings_from(stored["settings"], root, path)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _settings_from(data: dict[str, Any], root: Path, path: Path) -> Settings:
    """The inverse of `remember`'s JSON (lists back to tuples, the date back to a date)."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list):
            value = tuple(value)
        values[name] = value
    values["per_file_ignores"] = {k: tuple(v) for k, v in data["per_file_ignores"].items()}
    values["since"] = dt.date.fromisoformat(data["since"]) if data["since"] else None
    return Settings(root=root, config_path=path, **values)
