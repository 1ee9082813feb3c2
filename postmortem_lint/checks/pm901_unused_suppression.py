"""PM901 unused-suppression: produced by the engine (`lint.policy`) after suppressions are applied; this module only declares it."""

from __future__ import annotations

from postmortem_lint.checks.registry import engine_rule

engine_rule(
    "PM901",
    "unused-suppression",
    "warning",
    __name__,
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
""",
)
