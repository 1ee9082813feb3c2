"""An inline ``pmlint-disable`` comment, as the engine and the result cache keep it.

Its own module, apart from the document model: a run served by the cache applies
suppressions without importing the model.
"""

from __future__ import annotations

from typing import NamedTuple


class Suppression(NamedTuple):
    """An inline ``pmlint-disable`` comment.

    ``kind`` is ``file``, ``next-line`` or ``range``; ``codes`` empty means all codes.
    A range runs from ``line`` to ``end_line`` (the matching enable, or end of file).
    """

    kind: str
    codes: tuple[str, ...]
    line: int
    end_line: int
    column: int
    removal: tuple[int, int, int, int] | tuple[()] = ()
    """What deleting the comment deletes (line, column, end line, end column): its whole line when it stands alone."""

    def covers(self, code: str, line: int) -> bool:
        """Does this comment suppress ``code`` at ``line``?"""
        if self.codes and not any(c == "ALL" or code.startswith(c) for c in self.codes):
            return False
        if self.kind == "next-line":
            return line == self.end_line
        return self.kind == "file" or self.line <= line <= self.end_line
