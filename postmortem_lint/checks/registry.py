"""The rules' registry: `@rule`, `@repo_rule` and `engine_rule` record each rule with its metadata; `load` imports rule modules.

Which module holds which rule is in the generated `core.catalog`, so that a
run imports only the modules of the rules it runs (`load(codes)`), and reads
every rule's name, severity and doc without importing any. A rule never formats
output or reads files: it yields `Finding`s from the model, and the engine
stamps path, code, name and severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from postmortem_lint.checks.context import Context, RepoIndex
from postmortem_lint.checks.fix_safety import FIX_SAFETY
from postmortem_lint.core import lazy
from postmortem_lint.core.catalog import CATALOG
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.rule_info import RuleInfo

if TYPE_CHECKING:
    from postmortem_lint.document.model import PostMortem
    from postmortem_lint.document.summary import Summary

DocumentCheck = Callable[["PostMortem", Context], Iterator[Finding]]
RepoCheck = Callable[["Summary", RepoIndex, Context], Iterator[Finding]]
Check = Callable[..., Iterator[Finding]]


class Registered(NamedTuple):
    """What a rule module declared: the metadata (its doc as written) and the check (None for an engine rule)."""

    info: RuleInfo
    check: Check | None


RULES: dict[str, Registered] = {}
"""The rules of the modules imported so far, by code."""


def rule(code: str, name: str, severity: str) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a document rule: ``check(doc, ctx) -> Iterator[Finding]``; its docstring is the rule's doc."""
    return _register(code, name, severity, "document")


def repo_rule(code: str, name: str, severity: str) -> Callable[[RepoCheck], RepoCheck]:
    """Register a rule over the repository index: ``check(summary, index, ctx)``."""
    return _register(code, name, severity, "repo")


def engine_rule(code: str, name: str, severity: str, module: str, doc: str) -> None:
    """Declare a rule whose findings the engine produces itself (no check function): its metadata and doc."""
    _add(Registered(RuleInfo(code, name, severity, FIX_SAFETY.get(code, ""), "engine", module.rsplit(".", 1)[-1], doc), None))


def _register(code: str, name: str, severity: str, scope: str) -> Callable[[Any], Any]:
    def decorate(func: Check) -> Check:
        info = RuleInfo(code, name, severity, FIX_SAFETY.get(code, ""), scope, func.__module__.rsplit(".", 1)[-1], func.__doc__ or "")
        _add(Registered(info, func))
        return func

    return decorate


def _add(registered: Registered) -> None:
    code = registered.info.code
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    RULES[code] = registered


def catalog() -> dict[str, RuleInfo]:
    """Every rule's metadata, by code, in code order (no rule module is imported)."""
    return CATALOG


def load(codes: Iterable[str] | None = None) -> None:
    """Register the rules ``codes`` by importing the modules that hold them (every module when None or one is unknown)."""
    wanted = None if codes is None else set(codes)
    if wanted is not None and not wanted <= CATALOG.keys():
        wanted = None
    modules = dict.fromkeys(info.module for code, info in CATALOG.items() if wanted is None or code in wanted)
    for module in modules:
        lazy.load(f"{__package__}.{module}")


def checks(codes: Iterable[str]) -> dict[str, Check]:
    """The check function of each of ``codes`` that has one, by code, after importing their modules."""
    wanted = [code for code in codes if CATALOG[code].scope != "engine"]
    load(wanted)
    return {code: check for code in wanted if (check := RULES[code].check) is not None}
