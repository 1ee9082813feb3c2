"""PM401 placeholder: template fill-in tokens left in the document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate

from postmortem_lint.checks._common import lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.placeholders import GENERIC, GENERIC_LITERALS, generic_slots, is_generic_slot, masked, not_a_slot, pack_slots
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.build import code_lines
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader, runtime
from postmortem_lint.packs.templates.runtime import NO_PERSON, TemplatePack


@rule("PM401", "placeholder", COMPLETENESS)
def placeholder(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds template placeholders left in: the template's own slot tokens (the
    pack's `placeholders`; for the seed, `[Name]`, `[X minutes]`, `HH:MM`,
    `YYYY-MM-DD`, unchosen alternatives such as `Yes/No`) and the slot shapes
    of any template: a bracket that reads as a slot (`[Link to PR]`, `[Owner]`,
    `[Technical learning 1]`), angle slots (`<commit-before-fix>`), `{{DATE}}`,
    `____` blanks, `???`, `TBD`/`TBA`/`XXX`, `lorem ipsum`, `description here`,
    and a title left as the template wrote it (`# Postmortem Template`). Front
    matter values, the title and table cells are read too.

    Not placeholders: links and citations (`[[Ohn88]](…)`), code spans and
    blocks, HTML comments, task boxes, footnotes, `[INC-…]` references,
    `name[bot]` and `SQLSTATE[HY000]`, JSON and arrays, alert-title prefixes
    (`[FIRING] …`, `[No Data] …`), box-drawing and ASCII-art bars, owners the
    template writes in brackets (`[Rick]`) and an owner or due date of only
    `TBD` (PM502 and PM505 report those). Warning on a Draft, error once the
    status is Under Review or later.

    On a Draft, where the scaffold's placeholders are the to-do list, each
    section's placeholders are one warning: the first of them, with how many
    more the section holds and on which lines (a fresh `pmlint new` draft gets
    one per section instead of one per token). From Under Review on, every
    placeholder is its own error.

    ## Why is this bad?
    A placeholder in a reviewed post-mortem is a question nobody answered.

    ## Example
    ```markdown
    - **Affected Users:** [Number or percentage]
    ```

    ## Use instead
    ```markdown
    - **Affected Users:** 18% of checkout sessions (about 41,000 users)
    ```
    """
    found = list(_found(doc, ctx))
    if doc.status != "Draft":
        yield from (_one(number, match) for number, match in found)
        return
    groups: dict[str, list[tuple[int, re.Match[str]]]] = {}
    for number, match in found:
        if any(s.covers(CODE, number) for s in doc.suppressions):
            yield _one(number, match)
        else:
            groups.setdefault(_section_of(doc, number), []).append((number, match))
    for name, group in groups.items():
        yield _one(*group[0]) if len(group) == 1 else _grouped(name, group)


CODE = "PM401"
_TEMPLATE_TITLE = re.compile(
    r"(?i)^\W*(?:(?:post[- ]?mortem|incident|outage)(?: report| review)? template|template|(?:incident |your )?title(?: here)?"
    r"|<title>|title goes here|incident name|issue name)\W*$"
)
"""A title left as the template wrote it: `# Post-Mortem Template`, `# Incident Title`, `# <title>`."""


def _found(doc: PostMortem, ctx: Context) -> Iterator[tuple[int, re.Match[str]]]:
    """Each placeholder: the pack's slot tokens and the generic slot shapes, in prose (front matter values too)."""
    pack = ctx.packs.template()
    own = pack.placeholder_regex
    literals = (*pack.placeholder_prefilter, *GENERIC_LITERALS) if own is not None and pack.placeholder_prefilter else None
    text = masked(doc.source.text)
    starts = [0, *accumulate(len(line) + 1 for line in doc.source.lines)]  # masked keeps every character's place
    skip = code_lines(doc.blocks)
    owners = _owner_spans(doc, pack)
    numbers = lines_containing(text, literals) if literals else range(1, len(doc.source.lines) + 1)
    for number in numbers:
        if number in skip or number >= len(starts):
            continue
        line = _line(text[starts[number - 1] : starts[number] - 1], number, doc.front_matter_lines)
        taken = bytearray(len(line) + 1)
        for match in _matches(line, own):
            start, end = match.span()
            if taken[start] or taken[max(end - 1, start)] or (number, match.group(0)) in owners:
                continue
            taken[start:end] = b"\x01" * (end - start)
            yield number, match
    title = doc.title
    if title is not None and title.line not in skip:
        yield from _template_title(doc, pack, title.line)


def _line(line: str, number: int, front_matter: int) -> str:
    """Line ``number`` of the masked text; in front matter only its value (the key blanked)."""
    if (number == 1 and front_matter) or number == front_matter:
        return ""
    if number < front_matter:
        key = re.match(r"^\s*(?:-\s+)?[\w.-]+\s*:", line)
        return " " * key.end() + line[key.end() :] if key else line
    return line


def _matches(line: str, own: re.Pattern[str] | None) -> Iterator[re.Match[str]]:
    """The pack's matches first (its own tokens), then the generic shapes; brackets that are not slots dropped."""
    if own is not None:
        for match in pack_slots(own, line):
            if match.group(0) and not not_a_slot(line, *match.span()):
                yield match
    for match in generic_slots(line):
        bracket = match.group("bracket")
        if bracket is not None and (not is_generic_slot(bracket) or not_a_slot(line, *match.span())):
            continue
        if match.group(0).startswith("_") and not line.replace("_", "").strip(" |"):
            continue
        yield match


def _owner_spans(doc: PostMortem, pack: TemplatePack) -> set[tuple[int, str]]:
    """(line, token) that are not PM401's: bracketed owners the pack writes so (mentimeter's `[Rick]`, not `[Owner]`),
    and an owner or due cell of only `TBD` (PM502 and PM505 report it)."""
    if pack.actions is None:
        return set()
    items = reader.actions(doc, pack)
    spans = {(item.line, cell.text) for item in items for cell in (item.owner, item.due) if cell.text.casefold() in NO_PERSON}
    if "bracket" in pack.actions.owner_forms:
        spans.update((item.line, f"[{item.owner.text}]") for item in items if item.owner.text and not is_generic_slot(item.owner.text))
    return spans


def _template_title(doc: PostMortem, pack: TemplatePack, number: int) -> Iterator[tuple[int, re.Match[str]]]:
    assert doc.title is not None
    text = doc.title.text.strip()
    if len(text) > 80:
        return
    proper = runtime.regex(pack.title.pattern, True).match(text)
    title = proper.group("title") if proper and "title" in proper.groupdict() and proper.group("title") else text
    own = pack.placeholder_regex
    if _TEMPLATE_TITLE.match(title) and not GENERIC.search(title) and not (own and own.search(title)):
        found = re.search(re.escape(title), doc.source.line(number))
        if found:
            yield number, found


def _one(number: int, match: re.Match[str]) -> Finding:
    token = match.group(0)
    return Finding(number, f"placeholder `{token}` left in", match.start() + 1, number, match.end() + 1, token)


def _grouped(name: str, group: list[tuple[int, re.Match[str]]]) -> Finding:
    """A Draft's placeholders of one section as one finding, at the first of them."""
    number, match = group[0]
    last = group[-1][0]
    lines = f"line {number}" if last == number else f"lines {number}–{last}"
    message = f"placeholder `{match.group(0)}` and {len(group) - 1} more left in {name} ({lines})"
    return Finding(number, message, match.start() + 1, number, match.end() + 1, f"draft:{name}")


def _section_of(doc: PostMortem, number: int) -> str:
    """The `##` section holding line ``number`` (the header before the first one)."""
    for section in doc.sections:
        if section.heading.line <= number <= section.end_line:
            return section.heading.text.strip()
    return "the header"
