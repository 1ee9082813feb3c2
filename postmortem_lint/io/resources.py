"""The only module that knows where the shipped data (`rules/`, `scaffolds/`) lives.

In a wheel the data sits in `postmortem_lint/_data/`; in a source checkout or an
editable install it is the top-level folder beside the package.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_ROOTS = (_PACKAGE / "_data", _PACKAGE.parent)


def data_path(relative: str) -> Path:
    """The path of a shipped data file such as ``rules/blame.yaml``."""
    for root in _ROOTS:
        candidate = root / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"pmlint data file missing from the installation: {relative}")


TEMPLATES = "rules/templates"
"""Where the template presets ship."""


@functools.lru_cache(maxsize=1)
def templates_fingerprint() -> str:
    """A hash of the shipped template presets (`rules/templates/*.yaml`): part of the cache key."""
    digest = hashlib.sha256()
    for path in sorted(data_path(TEMPLATES).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def data_fingerprint() -> str:
    """A hash of every shipped rule-data file: part of the cache key."""
    digest = hashlib.sha256()
    folder = data_path("rules")
    for path in sorted(folder.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
