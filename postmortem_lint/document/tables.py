"""The template's tables as the rules, the summary and the report read them: first table of a section, columns, action items."""

from __future__ import annotations

from postmortem_lint.core.memo import keep_last
from postmortem_lint.core.text import heading_key
from postmortem_lint.document.model import ActionItem, PostMortem, Table

ACTION_COLUMNS = ("id", "action", "owner", "priority", "due date", "status")
"""The Action Items table's header, normalised (`heading_key`)."""


def first_table(doc: PostMortem, section: str) -> Table | None:
    """The first table anywhere under the ``##`` section ``section``."""
    found = doc.section(section)
    if found is None:
        return None
    return next((b for b in found.all_blocks() if isinstance(b, Table)), None)


def column_index(table: Table, name: str) -> int | None:
    """Index of the header column named ``name`` (normalised), or None."""
    keys = [heading_key(c) for c in table.columns]
    return keys.index(name) if name in keys else None


@keep_last
def action_items(doc: PostMortem) -> tuple[ActionItem, ...]:
    """The rows of the Action Items table, when its header is the template's (six rules and the summary ask)."""
    table = first_table(doc, "action items")
    index = _columns(table) if table is not None else None
    if table is None or index is None:
        return ()
    return tuple(ActionItem(row, *(row.cell(index[name]) for name in ACTION_COLUMNS)) for row in table.rows)


def _columns(table: Table) -> dict[str, int] | None:
    found = {name: column_index(table, name) for name in ACTION_COLUMNS}
    if any(i is None for i in found.values()):
        return None
    return {k: v for k, v in found.items() if v is not None}
