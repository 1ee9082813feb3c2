"""PM407 template-example-left: the template's illustrative example kept verbatim."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks._common import folded_lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import CASEFOLD_TO_ASCII
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.model import PostMortem


@rule("PM407", "template-example-left", COMPLETENESS)
def template_example_left(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds the template's *illustrative example* still in the document: its
    connection-pool 5 whys, its AI-001..AI-005 action texts, its prevention items,
    sample metrics, logs and related incidents (INC-2025-08-15, INC-2025-07-20),
    and its `kubectl rollout undo` / `UPDATE config` fix. The template's structural
    text (checklists, agenda, sign-off roles) is meant to stay and is not flagged.

    ## Why is this bad?
    The example describes somebody else's incident; left in, it reads as fact
    and sends the next reader after a connection pool that was never involved.

    ## Example
    ```markdown
    - [x] Implement circuit breakers
    ```

    ## Use instead
    ```markdown
    - [x] Version cache keys so a format change cannot evict the whole cache
    ```
    """
    phrases = ctx.packs.template_examples()
    literals = (phrase for phrase, _group in phrases)
    for number in folded_lines_containing(doc.source.text, literals, str.casefold, CASEFOLD_TO_ASCII):
        line = doc.source.line(number)
        folded = line.casefold()
        for phrase, group in phrases:
            at = folded.find(phrase)
            if at >= 0:
                yield Finding(
                    number,
                    f"template example text left in ({group}): `{line[at : at + len(phrase)]}`",
                    at + 1,
                    number,
                    at + len(phrase) + 1,
                    phrase,
                )
                break
