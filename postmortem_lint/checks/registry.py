"""The rule catalog: `@rule` and `@repo_rule` register checks with their metadata.

The catalog itself is the table of rule modules in `postmortem_lint/checks/__init__.py`.
A rule never formats output or reads files: it yields `Finding`s from the model
and the engine stamps path, code, name and severity.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from postmortem_lint.core.diagnostics import Finding

if TYPE_CHECKING:
    from postmortem_lint.config.settings import Settings
    from postmortem_lint.document.model import PostMortem
    from postmortem_lint.document.summary import RepoIndex, Summary


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the document: settings and the date of the run."""

    settings: Settings
    today: dt.date
    extra: dict[str, Any] = field(default_factory=dict)


DocumentCheck = Callable[["PostMortem", Context], Iterator[Finding]]
RepoCheck = Callable[["Summary", "RepoIndex", Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    fixable: bool
    doc: str
    check: Callable[..., Iterator[Finding]]
    scope: str = "document"

    @property
    def summary(self) -> str:
        """The first sentence of the rule's "What it does"."""
        body = section_of(self.doc, "What it does")
        return body.split(". ")[0].strip().rstrip(".") + "." if body else self.name


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, fixable: bool = False) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a document rule: ``check(doc, ctx) -> Iterator[Finding]``."""
    return _register(code, name, severity, fixable, "document")


def repo_rule(code: str, name: str, severity: str, fixable: bool = False) -> Callable[[RepoCheck], RepoCheck]:
    """Register a rule over the repository index: ``check(summary, index, ctx)``."""
    return _register(code, name, severity, fixable, "repo")


def _register(code: str, name: str, severity: str, fixable: bool, scope: str) -> Callable[[Any], Any]:
    def decorate(func: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, name, severity, fixable, _module_doc(func), func, scope)
        return func

    return decorate


def _module_doc(func: Callable[..., Any]) -> str:
    import sys

    module = sys.modules.get(func.__module__)
    return inspect.cleandoc(func.__doc__ or (module.__doc__ if module else "") or "")


PARTS = ("What it does", "Why is this bad?", "Example", "Use instead")
"""The parts of every rule docstring, in this order (the ruff shape)."""
_NEXT_PART = "|".join(re.escape(part) for part in PARTS)


def section_of(doc: str, title: str) -> str:
    """The body of a ``## title`` part of a rule docstring (a ``## `` line inside an example does not end it)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## (?:{_NEXT_PART})$|\Z)", doc, re.M | re.S)
    return match.group(1).strip() if match else ""


def catalog() -> dict[str, Rule]:
    """Every rule, by code (imports every module of the checks package once)."""
    from postmortem_lint.checks import load

    load()
    return dict(sorted(RULES.items()))
