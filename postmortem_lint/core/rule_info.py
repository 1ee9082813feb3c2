"""A rule's metadata, `RuleInfo`: what `pmlint rules`, SARIF, the docs, the engine and the configuration read without importing the rule.

The metadata is written once, beside each rule's function (`@rule(...)` and its
docstring in the ruff shape); `core.catalog` is generated from it
(`python -m postmortem_lint.generate`, and a test fails when it is stale).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from postmortem_lint.core.vocab import COMPLETENESS

PARTS = ("What it does", "Why is this bad?", "Example", "Use instead")
"""The parts of every rule docstring, in this order (the ruff shape)."""
_NEXT_PART = "|".join(re.escape(part) for part in PARTS)


class RuleInfo(NamedTuple):
    code: str
    name: str
    severity: str
    fix: str
    """The safety of the rule's fixes: "" (none), "safe", "unsafe", or "safe or unsafe" (by finding)."""
    scope: str
    """What the rule reads: one document, the repository index, or nothing ("engine": the engine produces its findings, PM000, PM901)."""
    module: str
    """The module of `postmortem_lint.checks` that registers the rule."""
    doc: str

    @property
    def summary(self) -> str:
        """The first sentence of the rule's "What it does"."""
        body = section_of(self.doc, "What it does")
        return body.split(". ")[0].strip().rstrip(".") + "." if body else self.name

    @property
    def fixable(self) -> bool:
        return bool(self.fix)

    @property
    def fix_label(self) -> str:
        """What `pmlint rules`, `pmlint rule` and docs/rules.md say of the rule's fixes."""
        return f"yes ({self.fix})" if self.fix else "no"

    @property
    def severity_label(self) -> str:
        """The default severity as `pmlint rules` and docs/rules.md show it."""
        return "warning/error (by status)" if self.severity == COMPLETENESS else self.severity


def section_of(doc: str, title: str) -> str:
    """The body of a ``## title`` part of a rule docstring (a ``## `` line inside an example does not end it)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## (?:{_NEXT_PART})$|\Z)", doc, re.M | re.S)
    return match.group(1).strip() if match else ""
