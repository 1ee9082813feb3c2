"""PM802 status-contradicts-document: a Final/Closed post-mortem whose ticked checklist claims what its action items deny."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks import content_facts as facts
from postmortem_lint.checks._template import template
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.placeholders import is_placeholder
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import ListBlock, ListItem, PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundAction
from postmortem_lint.packs.templates.runtime import NO_PERSON, TemplatePack

OWNERS_CLAIM = re.compile(
    r"(?i)\b(?:all|every|each)\s+action\s+items?\s+(?:have|has)\s+(?:an?\s+|their\s+)?owners?\b"
    r"|\baction items are (?:\w+ and )?assigned\b"
)
DONE_CLAIM = re.compile(
    r"(?i)\b(?:all|every|each)\s+action\s+items?\s+(?:are|is|have been|has been)\s+(?:done|completed?|closed|finished|resolved)\b"
)
IMPLEMENTED_CLAIM = re.compile(
    r"(?i)\b(?:prevention|preventive|corrective)\s+(?:measures?|actions?)\s+(?:are|is|have been|has been)\s+"
    r"(?:implemented|in place|done|completed?|deployed)\b"
)
"""The checklist claims that the action items can prove false."""
_CHECKLIST = re.compile(r"(?i)^(?:.*\bchecklist|success criteria|definition of done|completion criteria)\b")


@rule("PM802", "status-contradicts-document", "error")
def status_contradicts(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    On a post-mortem whose status is final (`Final`, `Closed` in the seed; the
    pack's `vocabularies.status.final`), reads the ticked boxes of its
    checklists (sections the pack marks `checklist`, and any "… Checklist" or
    "Success Criteria" section) and checks the claims the action items can
    disprove:

    - "All action items have owners" ticked while an action item has no owner
      (empty, `TBD`, `???`, a placeholder) that PM502 does not already report
      (PM502 reports an empty, `TBD` or placeholder owner where the template
      requires owners; this rule adds `???`, and every missing owner where
      owners are optional);
    - "All action items are done" ticked while one is still open (by the pack's
      `action-status` vocabulary; an unticked task item is open);
    - "Prevention measures are implemented" ticked while every action item and
      every task box of the prevention section is still open.

    Both lines are named: the ticked box and the action item. Each kind of
    claim is reported once, at its first ticked box.

    ## Why is this bad?
    A final status tells readers the work is done; a ticked box that the
    document itself contradicts makes the checklist, and the status, worthless.

    ## Example
    ```markdown
    ### Success Criteria
    Post-mortem is complete when:
    - [x] All action items have owners
    - [x] All action items are done
    ```
    (on a Final post-mortem whose action items AI-002 to AI-005 are still open)

    ## Use instead
    ```markdown
    ### Success Criteria
    Post-mortem is complete when:
    - [x] All action items have owners
    - [x] Action items are tracked in the team's board
    ```
    """
    pack = template(ctx)
    if facts.status_kind(doc, pack) != "final":
        return
    items = reader.actions(doc, pack)
    if not items:
        return
    vocabulary = pack.vocabulary("action-status")
    open_items = [a for a in items if _open(a, pack, vocabulary)]
    reported = pack.actions is not None and reader.action_needs(items, pack.actions.owner, "owner")
    ownerless = [a for a in items if _ownerless(a) and not (reported and _pm502_reports(a))]
    prevention = _prevention_boxes(doc, pack)
    said: set[str] = set()
    for item in _ticked(doc, pack):
        text = re.sub(r"<!--.*?-->", "", strip_inline(item.text)).strip()
        kind = next(
            (k for k, p in (("owners", OWNERS_CLAIM), ("done", DONE_CLAIM), ("implemented", IMPLEMENTED_CLAIM)) if p.search(text)), None
        )
        if kind is None or kind in said:
            continue
        said.add(kind)
        if kind == "owners" and ownerless:
            yield _finding(item, text, f"`{text}` is ticked, but {_named(ownerless)} {_has('no owner', ownerless)}")
        elif kind == "done" and open_items:
            yield _finding(
                item, text, f"`{text}` is ticked on a final post-mortem, but {_named(open_items)} {_is('still open', open_items)}"
            )
        elif kind == "implemented" and open_items and len(open_items) == len(items) and not any(prevention):
            yield _finding(
                item, text, f"`{text}` is ticked on a final post-mortem, but every action item is still open ({_named(open_items)})"
            )


def _finding(item: ListItem, text: str, message: str) -> Finding:
    return Finding(item.line, message, 0, item.line, 0, text[:80])


def _open(action: FoundAction, pack: TemplatePack, vocabulary: object) -> bool:
    if action.checked is not None:
        return not action.checked
    if vocabulary is None or pack.actions is None:
        return False
    status = vocabulary.canonical(action.status.text) if action.status.text else pack.actions.open_status  # type: ignore[attr-defined]
    return bool(vocabulary.is_open(status))  # type: ignore[attr-defined]


def _ownerless(action: FoundAction) -> bool:
    owner = strip_inline(action.owner.text).strip()
    return _pm502_reports(action) or owner.strip("?") == ""


def _pm502_reports(action: FoundAction) -> bool:
    """What PM502 reports as no owner when the template requires one (an empty cell, `TBD`, a placeholder)."""
    owner = strip_inline(action.owner.text).strip()
    return owner.casefold() in NO_PERSON or is_placeholder(action.owner.text)


def _ticked(doc: PostMortem, pack: TemplatePack) -> Iterator[ListItem]:
    for found in reader.read(doc, pack).all_sections():
        if not (found.spec.checklist or (found.heading is not None and _CHECKLIST.match(heading_key(found.heading.text)))):
            continue
        for block in flatten(found.own_blocks or found.blocks):
            if isinstance(block, ListBlock):
                yield from (item for item in block.items if item.checked)


def _prevention_boxes(doc: PostMortem, pack: TemplatePack) -> list[bool]:
    """The task boxes of the prevention section (True when ticked)."""
    boxes: list[bool] = []
    for found in reader.read(doc, pack).sections:
        if found.spec.role == "prevention":
            for block in flatten(found.blocks):
                if isinstance(block, ListBlock):
                    boxes.extend(bool(item.checked) for item in block.items if item.checked is not None)
    return boxes


def _named(actions: list[FoundAction], shown: int = 3) -> str:
    names = [f"{strip_inline(a.id.text) or 'the item'} (line {a.line})" for a in actions[:shown]]
    more = f" and {len(actions) - shown} more" if len(actions) > shown else ""
    return ("action item " if len(actions) == 1 else "action items ") + ", ".join(names) + more


def _has(what: str, actions: list[FoundAction]) -> str:
    return ("has " if len(actions) == 1 else "have ") + what


def _is(what: str, actions: list[FoundAction]) -> str:
    return ("is " if len(actions) == 1 else "are ") + what
