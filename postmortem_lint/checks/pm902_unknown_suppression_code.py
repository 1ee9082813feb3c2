"""PM902 unknown-suppression-code: a pmlint-disable/-enable comment names a code no rule has."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core import codes
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document.build import suppression_comments
from postmortem_lint.document.model import PostMortem


@rule("PM902", "unknown-suppression-code", "warning")
def unknown_suppression_code(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Reports a code in a `<!-- pmlint-disable … -->` comment (any of its forms,
    and `pmlint-enable`) that is neither a rule code, nor the prefix of one,
    nor `ALL`, and names the closest code that exists.

    ## Why is this bad?
    A mistyped code suppresses nothing: the finding it was meant to silence is
    still reported, or, worse, the comment looks as if it were reviewed and kept.

    ## Example
    ```markdown
    <!-- pmlint-disable-next-line PM60l -->
    The deploy pipeline skipped the canary stage.
    ```

    ## Use instead
    ```markdown
    <!-- pmlint-disable-next-line PM601 -->
    The deploy pipeline skipped the canary stage.
    ```
    """
    for comment in suppression_comments(doc.source, doc.blocks):
        line = doc.source.line(comment.line)
        for code, column in zip(comment.codes, comment.code_columns, strict=True):
            if not codes.is_known(code):
                written = line[column - 1 : column - 1 + len(code)]
                effect = "it ends no disable for it" if comment.kind == "enable" else "it suppresses nothing for it"
                message = f"`pmlint-{comment.kind}` names {codes.problem(written)}; {effect}"
                yield Finding(comment.line, message, column, end_column=column + len(code), text=code)
