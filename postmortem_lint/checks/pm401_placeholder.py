"""PM401 placeholder: template fill-in tokens left in the document."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks._common import PLACEHOLDER_LITERALS, lines_containing, placeholders
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.build import code_lines
from postmortem_lint.document.model import PostMortem


@rule("PM401", "placeholder", COMPLETENESS)
def placeholder(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds template placeholders left in: the scaffold's bracketed tokens (`[Name]`,
    `[Date]`, `[X minutes]`, …), `HH:MM`, `YYYY-MM-DD`, `$[Amount]` and unchosen
    alternatives such as `Yes/No`. Links, task boxes (`[ ]`, `[x]`), footnotes and
    `[INC-…]` references are not placeholders. Warning on a Draft, error once
    the status is Under Review or later.

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
    skip = code_lines(doc.blocks)
    first = doc.front_matter_lines + 1
    for number in lines_containing(doc.source.text, PLACEHOLDER_LITERALS):
        if number < first or number in skip:
            continue
        line = doc.source.line(number)
        for match in placeholders(line):
            token = match.group(0)
            yield Finding(number, f"placeholder `{token}` left in", match.start() + 1, number, match.end() + 1, token)
