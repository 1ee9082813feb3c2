"""`pmlint config`: the effective settings as a `.pmlint.yaml`, the source of each value as a comment.

The text is itself a valid `.pmlint.yaml` (values in JSON's flow style), so it
can be pasted as a starting point.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TextIO

from postmortem_lint.config.settings import shown_path
from postmortem_lint.features.configuration import Effective


def render(view: Effective, out: TextIO) -> None:
    """The settings as a `.pmlint.yaml`, the source of each value as a comment."""
    settings, entries, ignored = view
    used = shown_path(settings.config_path) if settings.config_path else "none (every setting is the default)"
    head = [f"# project root: {settings.root}", f"# configuration file: {used}"]
    if ignored:
        head.append(f"# ignored: {', '.join(ignored)} (the closest configuration file wins)")
    rows: list[tuple[str, str]] = []
    in_blame = False
    for item in entries:
        name = item.key
        if name.startswith("blame."):
            if not in_blame:
                rows.append(("blame:", ""))
                in_blame = True
            name = "  " + name.removeprefix("blame.")
        rows.append((f"{name}: {json.dumps(plain(item.value), ensure_ascii=False)}", item.source))
    width = min(60, max(len(text) for text, _ in rows))
    body = [f"{text:<{width}}  # {source}" if source else text for text, source in rows]
    out.write("\n".join([*head, *body]) + "\n")


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
