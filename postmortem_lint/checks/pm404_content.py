"""PM404 five-whys, PM405 executive-summary-length, PM406 impact-unquantified."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks._common import ordered_lists
from postmortem_lint.checks._template import first_found, is_slot, reading, without_slots
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import strip_inline
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Block, ListItem, Paragraph, PostMortem
from postmortem_lint.packs.templates.reader import FoundSection
from postmortem_lint.packs.templates.runtime import TemplatePack

_NUMBER = re.compile(r"\d|%|\b(?:none|zero|no users)\b", re.I)
_ANSWER = re.compile(r"(?:→|->|\bbecause\b)", re.I)
_SENTENCE_END = re.compile(r"[.!?](?<!\b[A-Za-z].)(?<!\be\.g.)(?<!\bi\.e.)(?<!\betc.)(?<!\bvs.)(?=[\s\"')\]]|$)")
"""A `.`, `!` or `?` that ends a sentence: not after a single letter, `e.g`, `i.e`, `etc` or `vs`. The mark comes
first, so that the regex engine skips to one (look-behinds first made it try them at every position); each
look-behind takes the mark in with `.` (a property test compares with the look-behinds first)."""


@rule("PM404", "five-whys", COMPLETENESS)
def five_whys(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that `### Why It Happened` holds an ordered list of at least five
    items, each a question ending in `?` followed by an answer (`→`, `->` or
    `Because`).

    ## Why is this bad?
    Stopping at the first why finds the trigger, not the cause; the later whys
    are where the action items that prevent recurrence come from.

    ## Example
    ```markdown
    ### Why It Happened (5 Whys Analysis)
    1. **Why did checkout slow down?**
       → Because the cache was empty.
    ```

    ## Use instead
    ```markdown
    ### Why It Happened (5 Whys Analysis)
    1. **Why did checkout slow down?**
       → Because the cache was empty.
    2. **Why was the cache empty?**
       → Because every key changed format in the 14:00 deploy.
    3. **Why did every key change?**
       → Because the key builder includes the serializer version.
    4. **Why was that not caught?**
       → Because staging starts with a cold cache.
    5. **Why does staging start cold?**
       → Because no test exercises a warm-cache deploy.
    ```
    """
    pack = ctx.packs.template()
    for spec in pack.all_sections():
        section = first_found(reading(doc, ctx), pack, spec) if spec.whys else None
        if section is not None:
            yield from _whys(section.own_blocks, section.line, spec.whys, pack)


def _whys(blocks: tuple[Block, ...], line: int, wanted: int, pack: TemplatePack) -> Iterator[Finding]:
    lists = list(ordered_lists(blocks))
    if not lists:
        yield Finding(line, f"no ordered list of whys: write at least {wanted} `1. **Why …?** → Because …` items", 1, text="no-list")
        return
    items = lists[0].items
    if len(items) < wanted:
        yield Finding(
            lists[0].line,
            f"{wanted} whys has {len(items)} item{'s' * (len(items) != 1)}; ask at least {wanted}",
            text=f"count:{len(items)}",
        )
    for item in items:
        yield from _why(item, pack)


def _why(item: ListItem, pack: TemplatePack) -> Iterator[Finding]:
    text = item.text or _item_text(item)
    if is_slot(pack, text.split("\n")[0]):
        return
    question, _, rest = strip_inline(text).partition("?")
    if not _:
        yield Finding(item.line, "why is not a question ending in `?`", text=question[:60])
    elif not _ANSWER.search(rest):
        yield Finding(item.line, f"why `{question.strip()[:50]}?` has no answer (`→ Because …`)", text=question[:60])


def _item_text(item: ListItem) -> str:
    return "\n".join(b.text for b in item.children if isinstance(b, Paragraph))


@rule("PM405", "executive-summary-length", "warning")
def executive_summary_length(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the Executive Summary has two or three sentences, as the template
    asks ("what happened, impact, and current status"). A placeholder still in it
    (PM401 reports that) is not counted as sentences.

    ## Why is this bad?
    Executives read only this part. One sentence rarely says impact and status;
    a long one buries them.

    ## Example
    ```markdown
    ## Executive Summary
    Checkout was slow.
    ```

    ## Use instead
    ```markdown
    ## Executive Summary
    Checkout was slow for 90 minutes for 18% of users after a cache change. We
    rolled the change back at 15:30 UTC and service is fully restored.
    ```
    """
    pack = ctx.packs.template()
    for spec in pack.all_sections():
        section = first_found(reading(doc, ctx), pack, spec) if spec.sentences else None
        if section is not None and spec.sentences:
            yield from _length(section.own_blocks, spec.name.lower(), spec.sentences, pack)


def _length(blocks: tuple[Block, ...], name: str, bounds: tuple[int, int], pack: TemplatePack) -> Iterator[Finding]:
    paragraphs = [b for b in flatten(blocks) if isinstance(b, Paragraph)]
    if not paragraphs:
        return
    text = " ".join(strip_inline(p.text) for p in paragraphs)
    written = without_slots(pack, text, " ")
    if is_slot(pack, text) or not written.strip(" *_`$"):
        return
    count = count_sentences(written)
    low, high = bounds
    if not low <= count <= high:
        yield Finding(paragraphs[0].line, f"{name} has {count} sentence{'s' * (count != 1)}; write {low}–{high}", text=f"sentences:{count}")


def count_sentences(text: str) -> int:
    """Sentences in plain text; abbreviations and decimals do not end one."""
    text = re.sub(r"\d\.\d", "0", text)
    return max(1, len(_SENTENCE_END.findall(text.strip()))) if text.strip() else 0


@rule("PM406", "impact-unquantified", COMPLETENESS)
def impact_unquantified(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that **Affected Users** under Customer Impact states a number or a
    percentage.

    ## Why is this bad?
    "Some users" cannot be compared across incidents or weighed against the cost
    of the action items; an estimate with a range is better than none.

    ## Example
    ```markdown
    - **Affected Users:** many customers
    ```

    ## Use instead
    ```markdown
    - **Affected Users:** about 18% of checkout sessions (41,000 users)
    ```
    """
    pack = ctx.packs.template()
    for spec in pack.all_sections():
        section = first_found(reading(doc, ctx), pack, spec) if spec.quantified is not None else None
        if section is not None and spec.quantified is not None:
            yield from _quantified(doc, section, spec.quantified, pack)


def _quantified(doc: PostMortem, section: FoundSection, label: str, pack: TemplatePack) -> Iterator[Finding]:
    if not label:
        text = " ".join(doc.source.line(n) for n in range(section.line + 1, section.end_line + 1))
        if text.strip() and not _NUMBER.search(text):
            yield Finding(section.line, f"`{section.label}` states no number or percentage", 1, text="quantified")
        return
    pattern = re.compile(rf"{re.escape(label)}\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$", re.I)
    for number in range(section.line, section.end_line + 1):
        line = doc.source.line(number)
        match = pattern.search(line)
        if match is None:
            continue
        value = match.group(1).strip()
        if value and not is_slot(pack, value) and not _NUMBER.search(value):
            yield Finding(number, f"{label.lower()} `{value}` has no number or percentage", match.start(1) + 1, text=value)
        return
    yield Finding(section.line, f"{section.spec.name} does not state `**{label}:**`", 1, text=_slug(label))


def _slug(label: str) -> str:
    return "-".join(label.lower().split())
