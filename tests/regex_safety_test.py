"""Every regular expression pmlint uses is safe from catastrophic backtracking.

The patterns are collected four ways, so that none is missed:
- module-level compiled patterns (and tuples, lists and dicts of them, such as PM408's SECRETS);
- string literals passed to ``re.*`` calls anywhere in the package source (found with ``ast``);
- every pattern compiled while the real commands run over the demo project (``re._compile``
  is wrapped, which also catches patterns built at run time, such as the compiled blame pack);
- every ``pattern`` in the shipped rule packs (``rules/*.yaml``).

Each is run over adversarial strings of 50,000 characters (long runs of one character,
the pattern's own words repeated as near-misses, random mixes of its characters) in a
worker process that is killed when it exceeds the budget. The budget is a safety bound,
far above the linear time (a super-linear pattern takes minutes on these strings), not a
performance assertion.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import multiprocessing
import pkgutil
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lintkit import REPO
from ruamel.yaml import YAML

import postmortem_lint
from postmortem_lint import cli
from postmortem_lint.commands import group
from postmortem_lint.core import regexes
from postmortem_lint.core.dialect import bounded
from postmortem_lint.lint import packdata

SIZE = 50_000
BUDGET_SECONDS = 20.0
"""Per pattern, for all of its adversarial strings together (typically well under 0.5 s)."""
PACKAGE = Path(postmortem_lint.__file__).resolve().parent
RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}
CONTAINERS = (tuple, list, frozenset, set)

Key = tuple[str, int]
"""A pattern as (source, flags)."""

ANCHORED = {
    "postmortem_lint.checks.blame_engine._DENIED": "only `.match(text, end_of_hit)`: one start per blame hit",
    "postmortem_lint.checks.blame_engine._LOG_LINE": "only `.match(text, line_start)`: one start per line",
}
"""Patterns only ever tried at one position (``.match(text, pos)``), never scanned with search:
they are exercised with ``match`` at many positions instead of ``finditer``."""
PAIRS = ("](", ")(", "[a", "(a", "<a", "a)", "**a", "`a", '"a', "'s ", "- ", "1.", "a,", " and ", "| ", ":0", "@a", "\\a", "<!--")
"""Two- and three-character near-misses (an opener without its closer, a separator without its item)."""


def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(postmortem_lint.__path__, "postmortem_lint."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _patterns_in(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, CONTAINERS):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def module_patterns() -> dict[Key, str]:
    found: dict[Key, str] = {}
    for module in _modules():
        for name, value in vars(module).items():
            for pattern in _patterns_in(value):
                if isinstance(pattern.pattern, str):
                    found.setdefault((pattern.pattern, pattern.flags & ~re.UNICODE), f"{module.__name__}.{name}")
    return found


def _flag_value(node: ast.AST) -> int:
    """``re.I | re.M`` -> the flags; anything else -> 0."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        value = getattr(re, node.attr, 0)
        return int(value) if isinstance(value, (int, re.RegexFlag)) else 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flag_value(node.left) | _flag_value(node.right)
    return 0


def _is_re_call(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re" and func.attr in RE_FUNCTIONS


def literal_patterns() -> dict[Key, str]:
    found: dict[Key, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if _is_re_call(node) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                flags = 0
                for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                    flags |= _flag_value(arg)
                found.setdefault((node.args[0].value, flags), f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def _walk_yaml(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("pattern", "regex") and isinstance(item, str):
                yield item
            else:
                yield from _walk_yaml(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_yaml(item)


def pack_patterns() -> dict[Key, str]:
    found: dict[Key, str] = {}
    for path in sorted((REPO / "rules").glob("*.yaml")):
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        for pattern in _walk_yaml(data):
            found.setdefault((pattern, int(re.IGNORECASE)), f"rules/{path.name}")
    rules = packdata.blame_pack().grammar
    for form in rules.forms:
        compiled = rules.regex(rules.forms.index(form), bounded)
        found.setdefault((compiled.pattern, int(re.IGNORECASE)), f"rules/blame.yaml family {rules.families[form.family].id}")
    return found


@contextlib.contextmanager
def _recording(found: dict[Key, str]) -> Iterator[None]:
    original: Callable[..., Any] = re._compile  # type: ignore[attr-defined]
    re_module = str(Path(re.__file__).parent)

    def record(pattern: Any, flags: Any) -> Any:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith(re_module):
            frame = frame.f_back  # type: ignore[assignment]
        where = frame.f_code.co_filename if frame is not None else ""
        if isinstance(pattern, str) and where.startswith(str(PACKAGE)):
            found.setdefault((pattern, int(flags) & ~re.UNICODE), f"run time: {Path(where).name}:{frame.f_lineno}")
        return original(pattern, flags)

    kept_spec = regexes._spec

    def record_kept(pattern: str, flags: int) -> Any:
        """`core.regexes` compiles without `re._compile` (the blame pack's patterns): record those too."""
        frame = sys._getframe(2)
        found.setdefault((pattern, int(flags) & ~re.UNICODE), f"run time: {Path(frame.f_code.co_filename).name}:{frame.f_lineno}")
        return kept_spec(pattern, flags)

    re._compile = record  # type: ignore[attr-defined]
    regexes._spec = record_kept
    known = dict(regexes._known)
    regexes._known.clear()  # every pattern is compiled, none rebuilt from a kept code
    try:
        yield
    finally:
        re._compile = original  # type: ignore[attr-defined]
        regexes._spec = kept_spec
        regexes._known.update(known)


def runtime_patterns() -> dict[Key, str]:
    """Patterns compiled while the commands run over the demo project (blame pack included)."""

    found: dict[Key, str] = {}
    commands = (["check", "--today", "2026-03-20", "--no-cache"], ["actions"], ["track", "--check"], ["rules"])
    sink = io.StringIO()
    with _recording(found), contextlib.chdir(REPO / "examples"), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        for args in commands:
            if args[0] in group.COMMANDS and (PACKAGE / "commands" / f"{group.COMMANDS[args[0]][0]}.py").exists():
                cli.main(args)
        packdata.blame_pack(extra_phrases=["re:blam(?:e|ed) the intern", "rushed the deploy"], allow=["careless"])
    return found


def all_patterns() -> dict[Key, str]:
    found: dict[Key, str] = {}
    for source in (module_patterns, literal_patterns, pack_patterns, runtime_patterns):
        for key, origin in source().items():
            found.setdefault(key, origin)
    return found


def adversarial(pattern: str) -> Iterator[str]:
    """Strings that make a backtracking pattern try many ways to almost match."""
    for char in " a0_-|*#[(<`.:/'\"\t\n@=\\":
        yield char * SIZE
    for pair in PAIRS:
        yield pair * (SIZE // len(pair))
    words = sorted(set(re.findall(r"[A-Za-z0-9]{2,}", pattern)), key=len, reverse=True)[:12]
    for word in words:
        yield (word + " ") * (SIZE // (len(word) + 1)) + "!"
        yield word * (SIZE // len(word)) + "!"
    if words:
        yield (" ".join(words) + " ") * (SIZE // (len(" ".join(words)) + 1)) + "!"
    alphabet = sorted(set(pattern) | set(" \n"))
    rng = random.Random(pattern)
    for _ in range(2):
        yield "".join(rng.choices(alphabet, k=SIZE))


def exercise(key: Key, anchored: bool = False) -> float:
    """Run one pattern over every adversarial string; returns the seconds it took."""

    source, flags = key
    compiled = re.compile(source, flags)
    started = time.perf_counter()
    for text in adversarial(source):
        if anchored:
            for position in range(0, len(text), 997):
                compiled.match(text, position)
        else:
            for _match in compiled.finditer(text):
                pass
    return time.perf_counter() - started


def _run_all(keys: list[Key]) -> tuple[dict[Key, float], list[Key]]:
    """Elapsed time per pattern, and the patterns whose worker had to be killed."""
    done: dict[Key, float] = {}
    killed: list[Key] = []
    pending = list(keys)
    context = multiprocessing.get_context("fork")
    while pending:
        with context.Pool(2) as pool:
            jobs = [(key, pool.apply_async(exercise, (key, PATTERNS.get(key) in ANCHORED))) for key in pending]
            pending = []
            for index, (key, job) in enumerate(jobs):
                try:
                    done[key] = job.get(timeout=BUDGET_SECONDS)
                except multiprocessing.TimeoutError:
                    killed.append(key)
                    pending = [k for k, _job in jobs[index + 1 :] if k not in done]
                    pool.terminate()
                    break
    return done, killed


PATTERNS = all_patterns()


def test_every_source_of_patterns_is_collected() -> None:
    origins = " ".join(PATTERNS.values())
    assert "pm408_secret_leak.SECRETS" in origins
    assert "rules/blame.yaml" in origins and "run time: blame_engine.py" in origins
    assert all(
        f"postmortem_lint.{module}." in origins
        for module in ("document.build", "document.parse", "core.text", "core.facts", "checks.blame_engine")
    )
    assert set(ANCHORED) <= set(PATTERNS.values())
    assert len(PATTERNS) > 100


def test_adversarial_inputs_are_large_and_pattern_specific() -> None:
    texts = list(adversarial(r"should(?:n't)? have (?:known|noticed)"))
    assert all(len(t) >= SIZE - 10 for t in texts)
    assert any(t.startswith("should should") for t in texts) and any("noticed noticed" in t for t in texts)


@pytest.mark.parametrize("chunk", range(4))
def test_no_pattern_backtracks_catastrophically(chunk: int) -> None:
    keys = sorted(PATTERNS)[chunk::4]
    done, killed = _run_all(keys)
    slow = {k: t for k, t in done.items() if t > BUDGET_SECONDS}
    assert not killed and not slow, [(PATTERNS[k], k[0][:120]) for k in [*killed, *slow]]
    assert len(done) == len(keys)
