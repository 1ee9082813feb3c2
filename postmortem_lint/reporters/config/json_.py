"""`pmlint config --format json`: the effective settings, each with its source."""

from __future__ import annotations

import json
from typing import TextIO

from postmortem_lint.config.settings import shown_path
from postmortem_lint.features.configuration import Effective
from postmortem_lint.reporters.config.text import plain


def render(view: Effective, out: TextIO) -> None:
    settings, entries, ignored = view
    payload = {
        "root": str(settings.root),
        "config_file": shown_path(settings.config_path) if settings.config_path else None,
        "ignored_files": ignored,
        "settings": {item.key: {"value": plain(item.value), "source": item.source} for item in entries},
    }
    out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
