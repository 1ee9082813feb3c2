"""PM801 sign-off-incomplete: a Final post-mortem is signed off and checked."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks._template import first_found, is_slot, path_to, reading, template
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.pm50x_actions import items
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import strip_inline
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import ListBlock, PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundSection
from postmortem_lint.packs.templates.runtime import SectionSpec, TemplatePack


@rule("PM801", "sign-off-incomplete", "error")
def sign_off_incomplete(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    On a `Final` or `Closed` post-mortem, checks that every Quality Checklist and
    Success Criteria box is ticked and every Sign-off row has a name, a date and
    `[x]`.

    ## Why is this bad?
    "Final" is a claim that the review happened. An unticked box or an unsigned
    role says it did not, and the document should stay Under Review. A box that
    claims finished work ("Prevention measures are implemented") should not be
    ticked while action items are still open: the message names them, and the
    honest status until they are done is `Under Review`.

    ## Example
    ```markdown
    ## Post-Mortem Quality Checklist

    - [x] Timeline is complete and accurate
    - [ ] Root cause is clearly identified
    ```

    ## Use instead
    ```markdown
    ## Post-Mortem Quality Checklist

    - [x] Timeline is complete and accurate
    - [x] Root cause is clearly identified
    ```
    """
    pack = template(ctx)
    statuses = pack.vocabulary("status")
    read = reading(doc, ctx)
    field = next((read.fields.get(f.key) for f in pack.fields if f.type == "vocabulary" and f.vocabulary == "status"), None)
    status = statuses.canonical(field.value) if statuses and field else None
    if statuses is None or status is None or status not in statuses.final:
        return
    still_open = _open_items(doc, pack)
    review = next((v for v in statuses.values if v not in statuses.final and v not in statuses.drafts), None)
    checklists = sorted((s for s in pack.all_sections() if s.checklist), key=lambda s: len(_depth(pack, s)))
    for spec in checklists:
        section = first_found(read, pack, spec)
        if section is not None:
            yield from _unticked(section, status, still_open, review)
    yield from _unsigned(doc, pack)


def _depth(pack: TemplatePack, spec: SectionSpec) -> list[SectionSpec]:
    return path_to(pack.sections, spec)


_DONE_CLAIM = re.compile(r"\b(?:implemented|completed?|done|deployed|in place|rolled out|shipped|updated|fixed)\b", re.I)
"""A box that claims work is finished ("Prevention measures are implemented"), which open action items contradict."""


def _open_items(doc: PostMortem, pack: TemplatePack) -> list[str]:
    statuses = pack.vocabulary("action-status")
    return [
        strip_inline(a.id.text) or f"{'row' if a.form == 'table' else 'line'} {a.line}"
        for a in items(doc, pack)
        if statuses is None or statuses.is_open(statuses.canonical(a.status.text))
    ]


def _unticked(section: FoundSection, status: str, still_open: list[str], review: str | None) -> Iterator[Finding]:
    heading = section.heading.text if section.heading else section.label
    for block in flatten(section.blocks):
        if isinstance(block, ListBlock):
            for item in block.items:
                if item.checked is False:
                    claim = item.text.strip()[:60]
                    message = f"unticked box in {heading} on a {status} post-mortem: `{claim}`"
                    if still_open and _DONE_CLAIM.search(item.text):
                        keep = f": keep the status `{review}` until they are done" if review else ""
                        message += f", and {_listed(still_open)} still open{keep}"
                    yield Finding(item.line, message, text=claim)


def _listed(ids: list[str], shown: int = 5) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    noun = "action item" if len(ids) == 1 else "action items"
    return f"{noun} {', '.join(ids[:shown])}{more} {'is' if len(ids) == 1 else 'are'}"


def _unsigned(doc: PostMortem, pack: TemplatePack) -> Iterator[Finding]:
    found = reader.find_table(doc, pack, "sign-off")
    if found is None:
        return
    name, date, reviewed = (found.layout.get(c) for c in ("name", "date", "reviewed"))
    for row in found.table.rows:
        role = row.cell(found.layout.get("role", 0)).text
        missing = [label for label, index in (("name", name), ("date", date)) if index is None or _blank(row.cell(index).text, pack)]
        if reviewed is None or strip_inline(row.cell(reviewed).text).casefold() not in ("[x]", "x", "yes", "✓", "✔"):
            missing.append("[x]")
        if missing:
            yield Finding(row.line, f"sign-off for {role or 'a role'} lacks {', '.join(missing)}", 1, text=f"{role}:{','.join(missing)}")


def _blank(text: str, pack: TemplatePack) -> bool:
    return not text.strip(" -") or is_slot(pack, text)
