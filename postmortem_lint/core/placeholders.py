"""The scaffold's fill-in tokens (`[Name]`, `HH:MM`, `YYYY-MM-DD` …): what a placeholder is, for the rules and the report."""

from __future__ import annotations

import re
from collections.abc import Iterator

PLACEHOLDER = re.compile(
    r"(?<!\])\$?\[(?!\s?\]|[xX]\]|INC-|\^|!|\d+\]|REDACTED\])([^\[\]\n]{1,80})\](?![(\[:])"
    r"|\b(?:HH:MM|YYYY-MM-DD)\b"
    r"|\b(?:Yes/No|None/Partial/Complete|Excellent/Good/Adequate/Poor)\b"
    r"|Draft \| Under Review \| Final \| Closed"
)
"""The scaffold's fill-in tokens. Links (inline and `[text][ref]`), task boxes, footnotes, [INC-…] references and
`[REDACTED]` (what PM408's fix leaves) are not."""
PLACEHOLDER_LITERALS = (
    *("[", "HH:MM", "YYYY-MM-DD", "Yes/No"),
    *("None/Partial/Complete", "Excellent/Good/Adequate/Poor", "Draft | Under Review"),
)
"""One of these is in every PLACEHOLDER match (a speed-only prefilter)."""

_INLINE_CODE = re.compile(r"`[^`\n]*`")


def placeholders(text: str) -> Iterator[re.Match[str]]:
    """Placeholder tokens in ``text``, skipping inline code spans and URLs."""
    if "[" not in text and "HH" not in text and "YYYY" not in text and "/" not in text and "|" not in text:
        return
    masked = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in PLACEHOLDER.finditer(masked):
        if "://" not in match.group(0):
            yield match


def is_placeholder(text: str) -> bool:
    """True when ``text`` is nothing but placeholders (``[Name]``, ``HH:MM``)."""
    stripped = PLACEHOLDER.sub("", text).strip(" *_`$")
    return bool(text.strip()) and not stripped
