"""What a command line that is not replayed does first: put in `re`'s cache the patterns pmlint ships compiled.

A cold run compiles ~300 patterns through `re.compile` and `re.match` (the modules' own at
import, mistune's, the packs'): an eighth of a one-file check. `postmortem_lint.generate` records
them in a fresh interpreter and writes their codes for this Python (`core.regexes.table`);
`seed` builds them from those codes before anything imports them (`core.regexes.seed`).
Loaded by `cli` only for a run it does not replay: a replayed one compiles none.
"""

from __future__ import annotations

import sys

from postmortem_lint.core import regexes
from postmortem_lint.io.resources import data_path

STARTUP_REGEXES = f"rules/startup-regexes-{sys.implementation.name}-{sys.version_info[0]}{sys.version_info[1]}.bin"
"""The patterns a cold run compiles through `re`'s cache, compiled for this Python (`postmortem_lint.generate`)."""


def seed() -> None:
    """Seed `re`'s cache with the shipped patterns (none when pmlint ships none for this Python)."""
    try:
        data = data_path(STARTUP_REGEXES).read_bytes()
    except OSError:  # FileNotFoundError from data_path too: each pattern is compiled as usual
        return
    regexes.seed(data)
