"""The words post-mortems use, defined once: statuses, priorities, severities.

Every reader of a status (PM205/PM506/PM507, the tracker's open/total count,
`pmlint actions`, `pmlint report`) goes through the functions here, so that
`Won't  Do`, `won’t do` and `DONE` mean the same thing everywhere.
"""

from __future__ import annotations

from postmortem_lint.core.text import strip_inline

DOCUMENT_STATUSES = ("Draft", "Under Review", "Final", "Closed")
"""The header `**Status:**` values (SPEC §3)."""
ACTION_STATUSES = ("Open", "In Progress", "Blocked", "Done", "Closed", "Won't Do")
"""The Action Items table's Status values (PM506)."""
FINISHED = ("Done", "Closed", "Won't Do")
"""An action item in one of these is not open; any other status, recognised or not, is open."""
PRIORITIES = ("High", "Medium", "Low")
INCIDENT_SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
COMPLETENESS = "completeness"
"""Severity of rules marked C in SPEC §3: warning on a Draft, error otherwise."""


def fold(text: str) -> str:
    """How vocabulary words are compared: curly apostrophes straightened, case folded, runs of white space made one space."""
    return " ".join(text.replace("’", "'").casefold().split())


_ACTION = {fold(s): s for s in ACTION_STATUSES}
_DOCUMENT = {fold(s): s for s in DOCUMENT_STATUSES}
_PRIORITY = {fold(p): p for p in PRIORITIES}


def action_status(text: str) -> str | None:
    """An action status as the template spells it, emphasis and links dropped (None when it is not one of `ACTION_STATUSES`)."""
    return _ACTION.get(fold(strip_inline(text)))


def document_status(text: str) -> str | None:
    """A header status as the template spells it (None when it is not one of `DOCUMENT_STATUSES`); ``text`` is a cleaned field value."""
    return _DOCUMENT.get(fold(text))


def is_open(status: str) -> bool:
    """An action item is open unless its status is Done, Closed or Won't Do (in any spelling `fold` forgives)."""
    return action_status(status) not in FINISHED


def priority(text: str) -> str | None:
    """A priority as the template spells it (None when it is not High, Medium or Low)."""
    return _PRIORITY.get(fold(text))
