"""`Problem`: a usage, configuration or I/O problem, reported as one line on stderr with exit code 2."""

from __future__ import annotations


class Problem(Exception):
    """What the user must fix (a bad option, configuration, path or file): `pmlint: Error: <message>`, exit 2, no traceback.

    Raised below the command layer, which never imports click; `commands.group`
    reports it exactly as click reports its own usage errors.
    """
