"""PM000 parse-error: produced by the engine (`lint.linter`) when a file cannot be read or decoded; this module only declares it."""

from __future__ import annotations

from postmortem_lint.checks.registry import engine_rule

engine_rule(
    "PM000",
    "parse-error",
    "error",
    __name__,
    """## What it does
Reports a file that cannot be read or decoded: not UTF-8, binary (NUL bytes),
unreadable, a directory named like a post-mortem, or over the size limit.
The run goes on with the other files.

## Why is this bad?
A post-mortem nobody can open in an editor or render on a code host is lost
knowledge; a linter that crashes on it protects nothing.

## Example
```text
a file saved as UTF-16 or Latin-1
```

## Use instead
```text
the same text saved as UTF-8
```
""",
)
