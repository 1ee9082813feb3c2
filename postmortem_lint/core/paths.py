"""Project-relative paths: which include globs a path matches."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import PurePosixPath


def matches(rel: str, patterns: Sequence[str]) -> bool:
    """Does the root-relative path match one of the include globs?"""
    return any(fnmatch.fnmatch(rel, p) or PurePosixPath(rel).match(p) for p in patterns)
