"""PM404 five-whys, PM405 executive-summary-length, PM406 impact-unquantified."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks._common import ordered_lists
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.placeholders import PLACEHOLDER, is_placeholder
from postmortem_lint.core.text import strip_inline
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import ListItem, Paragraph, PostMortem

MIN_WHYS = 5
_ANSWER = re.compile(r"(?:→|->|\bbecause\b)", re.I)
_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?](?=[\s\"')\]]|$)")


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
    section = doc.subsection("root cause analysis", "why it happened")
    if section is None:
        return
    lists = list(ordered_lists(section.blocks))
    if not lists:
        yield Finding(section.line, "no ordered list of whys: write at least 5 `1. **Why …?** → Because …` items", 1, text="no-list")
        return
    items = lists[0].items
    if len(items) < MIN_WHYS:
        yield Finding(
            lists[0].line, f"5 whys has {len(items)} item{'s' * (len(items) != 1)}; ask at least {MIN_WHYS}", text=f"count:{len(items)}"
        )
    for item in items:
        yield from _why(item)


def _why(item: ListItem) -> Iterator[Finding]:
    text = item.text or _item_text(item)
    if is_placeholder(text.split("\n")[0]):
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
    section = doc.section("executive summary")
    paragraphs = [b for b in flatten(section.blocks) if isinstance(b, Paragraph)] if section else []
    if not paragraphs:
        return
    text = " ".join(strip_inline(p.text) for p in paragraphs)
    written = PLACEHOLDER.sub(" ", text)
    if is_placeholder(text) or not written.strip(" *_`$"):
        return
    count = count_sentences(written)
    if not 2 <= count <= 3:
        yield Finding(
            paragraphs[0].line, f"executive summary has {count} sentence{'s' * (count != 1)}; write 2–3", text=f"sentences:{count}"
        )


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
    section = doc.subsection("impact", "customer impact")
    if section is None:
        return
    for number in range(section.line, section.end_line + 1):
        line = doc.source.line(number)
        match = re.search(r"Affected Users\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$", line, re.I)
        if match is None:
            continue
        value = match.group(1).strip()
        if value and not is_placeholder(value) and not re.search(r"\d|%|\b(?:none|zero|no users)\b", value, re.I):
            yield Finding(number, f"affected users `{value}` has no number or percentage", match.start(1) + 1, text=value)
        return
    yield Finding(section.line, "Customer Impact does not state `**Affected Users:**`", 1, text="affected-users")
