"""Where a command's text goes: stdout, or a file written atomically (``--output-file``)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from postmortem_lint.core.errors import Problem
from postmortem_lint.io.fsutil import atomic_write
from postmortem_lint.reporters import registry


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        atomic_write(output, text)
    except OSError as exc:
        raise Problem(f"{output}: cannot write: {exc.strerror or exc}") from None


def rendered(subject: str, name: str, data: Any) -> str:
    """``data`` in the format ``name`` of ``subject``, as text."""
    buffer = io.StringIO()
    registry.render(subject, name, data, buffer)
    return buffer.getvalue()
