"""The settings of a run: a plain frozen dataclass, and the one copy of the defaults.

A run with no configuration file builds `Settings` from these defaults and never
imports pydantic; `config.schema` (the file's pydantic model) takes its defaults
from `DEFAULTS`, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
    folder: str = "tasks"
    tracker: str = "POST_MORTEM_TRACKING.md"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    incident_number_width: int = 3
    blame_extra_phrases: tuple[str, ...] = ()
    blame_allow: tuple[str, ...] = ()
    owners: str | None = None
    since: dt.date | None = None
    sections: str | None = None
    timezone: str = "UTC"

    def fingerprint(self) -> str:
        """A stable hash of every setting that changes findings (for the cache; a pack's content is the cache's to add)."""
        text = json.dumps(self.values(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def values(self) -> dict[str, Any]:
        """The settings a configuration file can set, by field name (not where the project is)."""
        return {k: v for k, v in asdict(self).items() if k not in ("root", "config_path")}


DEFAULTS = Settings()
"""The one copy of the defaults: the configuration file's schema takes its defaults from here."""
