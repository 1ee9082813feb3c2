"""PM301–PM304: required sections, their order, content and uniqueness."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks import fixers
from postmortem_lint.checks._common import has_content
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.model import PostMortem, Section
from postmortem_lint.packs.sections import RequiredSection


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
    pack = ctx.packs.sections()
    present = {s.key for s in doc.sections}
    end = doc.blocks[-1].end_line if doc.blocks else 1
    for index, required in enumerate(pack.sections):
        if required.key not in present:
            yield _missing(doc.sections, pack.sections, index, f"## {required.name}", end)
    for required in pack.sections:
        found = doc.section(required.key)
        if found is not None and required.subsections:
            yield from _missing_subsections(found, required)


def _missing(
    siblings: tuple[Section, ...], order: tuple[RequiredSection, ...] | tuple[tuple[str, str], ...], index: int, label: str, end: int
) -> Finding:
    """A finding at a heading that looks renamed, else where the section belongs."""
    keys = [o.key if isinstance(o, RequiredSection) else o[1] for o in order]
    before = [s for s in siblings if s.key in keys[:index]]
    after = [s for s in siblings if s.key in keys[index + 1 :]]
    low = before[-1].line if before else 0
    high = after[0].line if after else end + 1
    stray = [s for s in siblings if s.key not in keys and low < s.line < high]
    if stray:
        return Finding(stray[0].line, f"missing section `{label}` (found `{stray[0].heading.text}` here: renamed?)", 1, text=label)
    line = high if after else max(end, 1)
    return Finding(line, f"missing section `{label}`", text=label, fix=fixers.insert_section(high, label, at_end=not after))


def _missing_subsections(section: Section, required: RequiredSection) -> Iterator[Finding]:
    present = {s.key for s in section.subsections}
    level = "#" * (section.heading.level + 1)
    blocks = section.all_blocks()
    last = blocks[-1].end_line if blocks else section.line
    for index, (name, key) in enumerate(required.subsections):
        if key not in present:
            yield _missing(section.subsections, required.subsections, index, f"{level} {name}", last)


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
    pack = ctx.packs.sections()
    highest: tuple[int, Section] | None = None
    for section in doc.sections:
        index = pack.index(section.key)
        if index is None:
            continue
        if highest is not None and index < highest[0]:
            yield Finding(
                section.line,
                f"`## {pack.sections[index].name}` should come before `## {highest[1].heading.text}`",
                1,
                text=section.heading.text,
                fix=fixers.restore_order(doc, section, index, pack),
            )
        elif highest is None or index > highest[0]:
            highest = (index, section)


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
    pack = ctx.packs.sections()
    for required in pack.sections:
        found = doc.section(required.key)
        if found is None:
            continue
        if not _filled(found):
            yield Finding(found.line, f"section `{found.heading.text}` is empty", 1, text=found.heading.text)
            continue
        for _name, key in required.subsections:
            sub = found.subsection(key)
            if sub is not None and not _filled(sub):
                yield Finding(sub.line, f"subsection `{sub.heading.text}` is empty", 1, text=sub.heading.text)


def _filled(section: Section) -> bool:
    return has_content(section.blocks) or any(_filled(sub) for sub in section.subsections)


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
    pack = ctx.packs.sections()
    required = {s.key for s in pack.sections}
    yield from _duplicates(doc.sections, required, "##")
    for section in doc.sections:
        spec = next((s for s in pack.sections if s.key == section.key), None)
        if spec is not None:
            yield from _duplicates(section.subsections, {k for _n, k in spec.subsections}, "###")


def _duplicates(sections_: tuple[Section, ...], required: set[str], level: str) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for section in sections_:
        if section.key in required and section.key in seen:
            yield Finding(
                section.line,
                f"`{level} {section.heading.text}` appears again (first at line {seen[section.key]})",
                1,
                text=section.heading.text,
            )
        seen.setdefault(section.key, section.line)
