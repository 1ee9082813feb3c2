"""docs/rules.md from the rule docstrings (the same source as `pmlint rule CODE`).

`python -m postmortem_lint.docs` rewrites docs/rules.md; tests/docs_test.py fails
when the committed file drifts from what this module generates.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from postmortem_lint.checks.registry import Rule, catalog, section_of
from postmortem_lint.commands.rules import severity_label

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def render() -> str:
    """The whole of docs/rules.md."""
    rules = list(catalog().values())
    head = [
        "# pmlint rules",
        "",
        "<!-- Generated from the rule docstrings by `python -m postmortem_lint.docs`; do not edit by hand. -->",
        "",
        "Completeness rules are warnings on a `Draft` and errors once the `**Status:**` is",
        "`Under Review`, `Final` or `Closed` (or missing or invalid). `pmlint rule CODE` prints one rule.",
        "",
        "| Code | Name | Default | Fixable | Summary |",
        "|------|------|---------|---------|---------|",
        *(_row(rule) for rule in rules),
    ]
    return "\n".join(head) + "\n" + "".join(_section(rule) for rule in rules)


def _row(rule: Rule) -> str:
    summary = first_sentence(section_of(rule.doc, "What it does")).replace("|", "\\|")
    return (
        f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` | {severity_label(rule)} | {_yes(rule.fixable)} | {summary} |"
    )


def first_sentence(text: str) -> str:
    """The first sentence of a docstring part, on one line."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z`(])", " ".join(text.split()), maxsplit=1)[0]


def _section(rule: Rule) -> str:
    body = re.sub(r"^## ", "### ", rule.doc.strip(), flags=re.M)
    meta = f"Default severity: {severity_label(rule)}. Fixable: {_yes(rule.fixable)}."
    return f"\n## {rule.code} {rule.name}\n\n{meta}\n\n{body}\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def main(argv: list[str] | None = None) -> int:
    """Write docs/rules.md (or the path given)."""
    from postmortem_lint.io.fsutil import atomic_write

    target = Path(argv[0]) if argv else TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, render())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
