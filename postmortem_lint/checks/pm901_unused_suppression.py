"""PM901 unused-suppression: reported by the engine after suppressions are applied."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks.registry import Context, rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document.model import PostMortem


@rule("PM901", "unused-suppression", "warning")
def unused_suppression(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Reports a `<!-- pmlint-disable … -->` comment (any of its forms) that
    suppressed no finding. The engine computes this after every other rule ran,
    so it sees findings of repository rules too.

    ## Why is this bad?
    A stale suppression silently swallows the next real finding on that line.

    ## Example
    ```markdown
    <!-- pmlint-disable-next-line PM601 -->
    The deploy pipeline skipped the canary stage.
    ```

    ## Use instead
    ```markdown
    The deploy pipeline skipped the canary stage.
    ```
    """
    return iter(())
