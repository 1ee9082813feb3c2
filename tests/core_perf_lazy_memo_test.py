"""`core.lazy.load` taking an imported module from `sys.modules` gives what `importlib.import_module` gives, and
`core.memo.keep_last` comparing arguments in C keeps and drops answers as the generator comparison did."""

from __future__ import annotations

import importlib
import sys

import pytest

from postmortem_lint.core import lazy
from postmortem_lint.core.memo import keep_last, keep_last_each

DEFERRED_NAMES = ("postmortem_lint.lint.packdata", "postmortem_lint.checks.pm2xx_header", "postmortem_lint.reporters.registry")


@pytest.mark.parametrize("name", DEFERRED_NAMES)
def test_a_loaded_module_is_the_one_import_module_returns(name: str) -> None:
    first = lazy.load(name)
    assert name in sys.modules
    assert lazy.load(name) is first is importlib.import_module(name)


def test_a_module_not_deferred_is_refused_even_when_imported() -> None:
    assert "postmortem_lint.core.text" in sys.modules or importlib.import_module("postmortem_lint.core.text")
    with pytest.raises(LookupError):
        lazy.load("postmortem_lint.core.text")


def test_a_module_still_initialising_goes_through_import_module(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "postmortem_lint.lint.packdata"
    module = lazy.load(name)
    calls: list[str] = []
    monkeypatch.setattr(module.__spec__, "_initializing", True, raising=False)
    monkeypatch.setattr(importlib, "import_module", lambda n: calls.append(n) or module)
    assert lazy.load(name) is module and calls == [name]


def _general_keep_last_hit(last: list[object], args: tuple[object, ...]) -> bool:
    """The comparison `keep_last` made before it compared in C."""
    return bool(last) and len(last[0]) == len(args) and all(a is b for a, b in zip(last[0], args, strict=True))  # type: ignore[arg-type]


def test_keep_last_recomputes_exactly_when_the_generator_comparison_did() -> None:
    calls: list[tuple[object, ...]] = []

    @keep_last
    def ask(*args: object) -> tuple[object, ...]:
        calls.append(args)
        return args

    one, two, equal = [1], [2], [1]
    asked = [(), (), (one,), (one,), (equal,), (one, two), (one, two), (two, one), (one,), (one, two, one), (one, two, one), ()]
    last: list[object] = []
    for args in asked:
        hit = _general_keep_last_hit(last, args)
        before = len(calls)
        assert ask(*args) == args
        assert (len(calls) == before) is hit, args
        if not hit:
            last[:] = [args, args]


def test_keep_last_each_keeps_by_key_for_identical_leading_arguments() -> None:
    calls: list[tuple[object, ...]] = []

    @keep_last_each
    def ask(*args: object) -> tuple[object, ...]:
        calls.append(args)
        return args

    one, equal = [1], [1]
    assert ask(one, "a") == (one, "a") and ask(one, "a") == (one, "a") and len(calls) == 1
    assert ask(equal, "a") == (equal, "a") and len(calls) == 2
    assert ask("k") == ("k",) and ask("k") == ("k",) and len(calls) == 3
