"""PM301–PM304: required sections, their order, content and uniqueness."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from postmortem_lint.checks import fixers
from postmortem_lint.checks._common import has_content
from postmortem_lint.checks._template import sections_pack
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding, Fix
from postmortem_lint.core.memo import keep_last
from postmortem_lint.core.text import heading_key
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.model import Heading, PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundSection
from postmortem_lint.packs.templates.runtime import SectionSpec, TemplatePack


@dataclass(frozen=True, slots=True)
class _Sibling:
    """A heading at one level: a section of the pack (``spec``) or one the pack does not know (a stray)."""

    line: int
    text: str
    spec: SectionSpec | None
    end: int = 0


def _marks(spec: SectionSpec, default: int) -> str:
    """`##` for a section written at level 2 (its first level; ``default`` when it may be at any)."""
    return "#" * (spec.levels[0] if spec.levels else default)


@keep_last
def _top(doc: PostMortem, pack: TemplatePack) -> tuple[tuple[FoundSection, ...], tuple[Heading, ...]]:
    """The pack's sections found, and the headings that are neither a section nor a field (`## Date: July 1, 2020`)
    (kept: PM301–PM304 ask in turn)."""
    reading = reader.read(doc, pack)
    fields = {f.line for f in reading.fields.values() if f.form in ("heading", "section")}
    return reading.sections, tuple(h for h in reading.unmatched if h.line not in fields)


def _first_of(found: tuple[FoundSection, ...]) -> dict[int, FoundSection]:
    """The first found section of each of the pack's sections, by the spec's identity (what a search of ``found`` for
    each spec gives, made in one pass over it)."""
    first: dict[int, FoundSection] = {}
    for section in found:
        first.setdefault(id(section.spec), section)
    return first


def _siblings(found: tuple[FoundSection, ...], strays: list[Heading]) -> list[_Sibling]:
    items = [_Sibling(f.line, f.heading.text if f.heading else f.label, f.spec, f.end_line) for f in found]
    items += [_Sibling(h.line, h.text, None, h.line) for h in strays]
    return sorted(items, key=lambda s: s.line)


@rule("PM301", "section-missing", "error")
def section_missing(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that every `##` section of the template (or of the team's pack) is
    present, and the `###` subsections of Impact, Root Cause Analysis, Detection
    and Response, and Resolution. Headings match case-insensitively, ignoring
    punctuation and a parenthesised suffix such as `(UTC)`.

    ## Why is this bad?
    A missing section is usually a missing analysis: no Trigger means nobody
    asked what set the incident off.

    ## Example
    ```markdown
    ## Root Cause Analysis

    ### What Happened
    A deploy changed the cache key format.
    ```

    ## Use instead
    ```markdown
    ## Root Cause Analysis

    ### What Happened
    A deploy changed the cache key format.

    ### Why It Happened (5 Whys Analysis)
    See below.

    ### Root Cause
    **Primary Cause:** keys were not versioned.

    ### Trigger
    The 14:00 deploy.
    ```
    """
    pack = sections_pack(ctx)
    found, unmatched = _top(doc, pack)
    end = doc.blocks[-1].end_line if doc.blocks else 1
    first = _first_of(found)
    for index, spec in enumerate(pack.sections):
        if spec.required and id(spec) not in first:
            strays = [h for h in unmatched if h.level in (spec.levels or (2,))]
            yield _missing(doc, _siblings(found, strays), pack.sections, index, f"{_marks(spec, 2)} {spec.name}", end)
    for spec in pack.sections:
        section = first.get(id(spec))
        if section is not None and spec.subsections:
            yield from _missing_subsections(doc, section, unmatched)


_AFTER_NAME = re.compile(r"(?:\(|\[\[|\[\^).*$")
"""A parenthesis or footnote link after a heading's name (`Supporting information: [[168]](…)`), ignored when comparing."""
RENAMED = 0.68
"""How alike a heading must be to a missing section's name to be called a rename of it (`similarity`): measured on
the PM301 hints the corpus gave (tests/data/renamed_pairs.yaml, judged by hand), the lowest score with no false hint
above it: `Appendices`/`Atendees` (0.67) and `Detection and Response`/`Resolution and recovery` (0.62) are not renames,
`Root Cause Analysis`/`Root Causes` (0.73) and `Timeline`/`Issue Timeline` (a name inside the other) are."""


def similarity(name: str, heading: str) -> float:
    """1.0 when one's words all appear in the other (`Root Cause` in `Root Cause Analysis`, plurals folded), else
    difflib's ratio of the normalised texts (`Appendix`/`Appendices` 0.78)."""
    a, b = heading_key(name), heading_key(_AFTER_NAME.sub("", heading, count=1).strip() or heading)
    if not a or not b:
        return 0.0
    words_a, words_b = ({w[:-1] if len(w) > 3 and w.endswith("s") else w for w in k.split()} for k in (a, b))
    if words_a <= words_b or words_b <= words_a:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _missing(doc: PostMortem, siblings: list[_Sibling], order: tuple[SectionSpec, ...], index: int, label: str, end: int) -> Finding:
    """At a heading between its neighbours that looks like a rename of the section, else where the section belongs:
    right after the previous section of the template that is present (before the next one when none is)."""
    position = {id(spec): i for i, spec in enumerate(order)}
    known = [s for s in siblings if s.spec is not None and id(s.spec) in position]
    before = [s for s in known if position[id(s.spec)] < index]
    after = [s for s in known if position[id(s.spec)] > index]
    low = before[-1].line if before else 0
    high = after[0].line if after else end + 1
    stray = [s for s in siblings if (s.spec is None or id(s.spec) not in position) and low < s.line < high]
    spec = order[index]
    alike = [(max(similarity(n, s.text) for n in (spec.name, *spec.aliases)), s) for s in stray]
    best = max(alike, key=lambda pair: pair[0], default=None)
    if best is not None and best[0] >= RENAMED:
        return Finding(best[1].line, f"missing section `{label}` (found `{best[1].text}` here: renamed?)", 1, text=label)
    line = before[-1].end + 1 if before else (after[0].line if after else end)
    line = min(max(line, 1), max(end, 1))
    at_heading = any(s.line == line for s in siblings)
    fix = _insertion(doc, before[-1].end + 1 if before else high, label)
    return Finding(line, f"missing section `{label}`", 1 if at_heading else 0, text=label, fix=fix)


def _insertion(doc: PostMortem, line: int, label: str) -> Fix:
    """PM301's fix: an empty ``label`` heading before the first non-blank line from ``line`` on (after the end when none)."""
    lines = doc.source.lines
    while line <= len(lines) and not lines[line - 1].strip():
        line += 1
    return fixers.insert_section(line, label, at_end=line > len(lines))


def _missing_subsections(doc: PostMortem, section: FoundSection, unmatched: tuple[Heading, ...]) -> Iterator[Finding]:
    """The required subsections ``section`` lacks; its headings are gathered only when one is missing (most have all)."""
    specs = section.spec.subsections
    missing = [index for index, spec in enumerate(specs) if spec.required and all(f.spec is not spec for f in section.subsections)]
    if not missing:
        return
    level = (section.heading.level if section.heading else 1) + 1
    strays = [h for h in unmatched if section.line < h.line <= section.end_line and h.level == level]
    siblings = _siblings(section.subsections, strays)
    last = section.blocks[-1].end_line if section.blocks else section.line
    for index in missing:
        yield _missing(doc, siblings, specs, index, f"{_marks(specs[index], level)} {specs[index].name}", last)


@rule("PM302", "section-order", "warning")
def section_order(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the required sections come in the template's order.

    ## Why is this bad?
    Readers skim post-mortems in a known order (summary, impact, timeline, cause,
    actions); a shuffled document hides the part they came for.

    ## Example
    ```markdown
    ## Impact
    Checkout p95 rose to 4 s for 18% of users.

    ## Executive Summary
    Checkout was slow for 90 minutes. We restored it by rolling back.
    ```

    ## Use instead
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes. We restored it by rolling back.

    ## Impact
    Checkout p95 rose to 4 s for 18% of users.
    ```
    """
    pack = sections_pack(ctx)
    position = {id(spec): i for i, spec in enumerate(pack.sections)}
    highest: tuple[int, FoundSection] | None = None
    found = _top(doc, pack)[0]
    for section in found:
        index = position.get(id(section.spec))
        if index is None or not section.spec.ordered:
            continue
        if highest is not None and index < highest[0]:
            yield Finding(
                section.line,
                f"`{_written(section, section.spec.name)}` should come before `{_written(highest[1])}`",
                1,
                text=_text(section),
                fix=_restore_order(doc, found, position, section, index),
            )
        elif highest is None or index > highest[0]:
            highest = (index, section)


def _restore_order(
    doc: PostMortem, found: tuple[FoundSection, ...], position: dict[int, int], section: FoundSection, index: int
) -> Fix | None:
    """PM302's fix: ``section`` moved, byte for byte up to the next section of its level, before the first section
    the template puts after it (``found``: the top-level sections PM302 walked; ``position``: the template's order)."""
    later = next((s for s in found if s.line < section.line and position.get(id(s.spec), -1) > index), None)
    if later is None or section.heading is None or later.heading is None:
        return None
    following = [s.line for s in found if s.line > section.line]
    end = following[0] if following else len(doc.source.lines) + 1
    return fixers.move_lines(doc, section.line, end, later.line, _text(section), _text(later))


def _text(section: FoundSection) -> str:
    return section.heading.text if section.heading else section.label


def _written(section: FoundSection, name: str | None = None) -> str:
    """The section as a heading for messages (`## Impact`); a section written as a bold paragraph by its label."""
    text = name if name is not None else _text(section)
    return f"{'#' * section.level} {text}" if section.level else text


@rule("PM303", "section-empty", COMPLETENESS)
def section_empty(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that each required section and subsection has content: text of its own
    or a subsection with content. A `##` holding only filled `###` subsections is
    not empty. Warning on a Draft, error once the status is Under Review or later.

    ## Why is this bad?
    An empty heading promises an analysis that is not there; reviewers assume it
    was done.

    ## Example
    ```markdown
    ## Executive Summary
    <!-- What happened, impact, and current status (2-3 sentences) -->
    ```

    ## Use instead
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes for 18% of users. We rolled back the cache
    change and service is fully restored.
    ```
    """
    pack = sections_pack(ctx)
    first = _first_of(_top(doc, pack)[0])
    for spec in pack.sections:
        section = first.get(id(spec))
        if section is None or not spec.required or spec.content == "none":
            continue
        if not has_content(section.blocks):
            yield Finding(section.line, f"section `{_text(section)}` is empty", 1, text=_text(section))
            continue
        for sub_spec in spec.subsections:
            sub = next((f for f in section.subsections if f.spec is sub_spec), None)
            if sub is not None and sub_spec.required and sub_spec.content != "none" and not has_content(sub.blocks):
                yield Finding(sub.line, f"subsection `{_text(sub)}` is empty", 1, text=_text(sub))


@rule("PM304", "section-duplicate", "error")
def section_duplicate(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that no required section heading appears twice (at `##`, or at `###`
    within the same section).

    ## Why is this bad?
    Two `## Action Items` sections split the list: the tracker counts one, the
    reader sees the other.

    ## Example
    ```markdown
    ## Lessons Learned
    Cache keys need versions.

    ## Lessons Learned
    Alerts should page on p95.
    ```

    ## Use instead
    ```markdown
    ## Lessons Learned
    Cache keys need versions. Alerts should page on p95.
    ```
    """
    pack = sections_pack(ctx)
    found = _top(doc, pack)[0]
    yield from _duplicates(found, {id(s) for s in pack.sections if s.required})
    for section in found:
        yield from _duplicates(section.subsections, {id(s) for s in section.spec.subsections if s.required})


def _duplicates(sections_: tuple[FoundSection, ...], required: set[int]) -> Iterator[Finding]:
    seen: dict[int, int] = {}
    for section in sections_:
        key = id(section.spec)
        if key in required and key in seen:
            yield Finding(
                section.line,
                f"`{_written(section)}` appears again (first at line {seen[key]})",
                1,
                text=_text(section),
            )
        seen.setdefault(key, section.line)
