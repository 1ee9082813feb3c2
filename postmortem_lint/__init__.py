"""pmlint: a git-native linter for blameless incident post-mortems."""

from __future__ import annotations

__version__ = "0.1.0"
