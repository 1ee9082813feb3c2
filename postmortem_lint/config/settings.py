"""The settings of a run: a plain frozen dataclass, and the one copy of the defaults.

A run with no configuration file builds `Settings` from these defaults and never
imports pydantic; `config.schema` (the file's pydantic model) takes its defaults
from `DEFAULTS`, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A configuration problem; the message names the file, line and key."""


@dataclass(frozen=True)
class Settings:
    root: Path = Path(".")
    config_path: Path | None = None
    include: tuple[str, ...] = ("tasks/post-mortem-*.md",)
    exclude: tuple[str, ...] = ()
    folder: str = "tasks"
    tracker: str = "POST_MORTEM_TRACKING.md"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    fixable: tuple[str, ...] = ("ALL",)
    """Rule codes or prefixes whose fixes are offered and applied (default: all)."""
    unfixable: tuple[str, ...] = ()
    """Rule codes or prefixes whose fixes are never offered nor applied (the most specific of the two wins)."""
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    incident_number_width: int = 3
    numbers_tolerance: int = 5
    """Minutes two stated or computed durations may differ by before PM410 calls them a disagreement."""
    timeline_gap: int = 120
    """Minutes without a timeline event inside the impact window before PM412 warns."""
    blame_extra_phrases: tuple[str | tuple[str, str], ...] = ()
    """The team's phrases: a phrase, or a ``(phrase, replace)`` pair (the item written as a table)."""
    blame_allow: tuple[str, ...] = ()
    owners: str | None = None
    since: dt.date | None = None
    sections: str | None = None
    template: str | None = None
    """A preset name (`seed`, `google-sre`, …) or a template file (a YAML pack or Markdown) joined to the configuration's
    folder; None: `seed`."""
    timezone: str = "UTC"
    origins: dict[str, int] = field(default_factory=dict, compare=False)
    """The line of `config_path` where each key was set: ``{"tracker": 2, "blame.allow": 7}`` (keys as written, dotted)."""

    def origin(self, key: str) -> str:
        """``file:line`` of ``key`` (the file alone when the key is not in it), the file relative to the current folder."""
        if self.config_path is None:
            return str(self.root)
        line = self.origins.get(key)
        return f"{shown_path(self.config_path)}:{line}" if line else shown_path(self.config_path)

    def fingerprint(self) -> str:
        """A stable hash of every setting that changes findings (for the cache; a pack's content is the cache's to add)."""
        data = {k: v for k, v in self.values().items() if k != "origins"}
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def values(self) -> dict[str, Any]:
        """Every setting a configuration file can set (and where), by field name: not where the project is."""
        return {k: v for k, v in asdict(self).items() if k not in ("root", "config_path")}


DEFAULTS = Settings()
"""The one copy of the defaults: the configuration file's schema takes its defaults from here."""


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder when below it or in a folder above it, else as it is."""
    try:
        cwd = Path.cwd()
        absolute = path.absolute()
    except OSError:
        return str(path)
    near = absolute.is_relative_to(cwd) or cwd.is_relative_to(absolute.parent)
    return os.path.relpath(absolute, cwd) if near else str(path)
