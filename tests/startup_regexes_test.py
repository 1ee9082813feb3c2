"""commands.startup and core.regexes.seed: `re`'s cache seeded with the shipped patterns, each the one re.compile builds."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from re import _compiler

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.commands import startup
from postmortem_lint.core import regexes
from postmortem_lint.io.resources import data_path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = data_path(startup.STARTUP_REGEXES).read_bytes()
ENTRIES = marshal.loads(zlib.decompress(SHIPPED))[1]


@pytest.fixture
def empty_cache() -> Iterator[dict[tuple[type, str, int], re.Pattern[str]]]:
    """`re`'s cache, empty for the test, as it was afterwards."""
    cache: dict[tuple[type, str, int], re.Pattern[str]] = re._cache  # type: ignore[attr-defined]
    before = dict(cache)
    cache.clear()
    yield cache
    cache.clear()
    cache.update(before)


def test_every_shipped_code_is_the_one_re_compile_makes_of_its_pattern() -> None:
    assert len(ENTRIES) > 200
    for flags, spec in ENTRIES:
        assert regexes._stored(regexes._spec(spec[0], flags)) == spec, spec[0]


def test_seeding_puts_each_shipped_pattern_where_re_compile_and_re_match_find_it(empty_cache: dict) -> None:
    regexes.seed(SHIPPED)
    assert len(empty_cache) == len(ENTRIES)
    for flags, spec in ENTRIES:
        seeded = empty_cache[(str, spec[0], flags)]
        assert re.compile(spec[0], flags) is seeded
        reference = _compiler.compile(spec[0], flags)
        assert (seeded.pattern, seeded.flags, seeded.groups, seeded.groupindex) == (
            reference.pattern,
            reference.flags,
            reference.groups,
            reference.groupindex,
        )


TEXT = st.text(st.sampled_from("aA0 _-:.*#[]()`|/\n\t\u00e9") | st.characters(), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRIES), TEXT)
def test_a_seeded_pattern_matches_as_the_compiled_one(entry: tuple, text: str) -> None:
    flags, spec = entry
    seeded, reference = regexes._built(spec), _compiler.compile(spec[0], flags)
    assert [m.span() for m in seeded.finditer(text)] == [m.span() for m in reference.finditer(text)]
    assert [m.groups() for m in seeded.finditer(text)] == [m.groups() for m in reference.finditer(text)]


def test_seeding_keeps_what_is_cached_and_stays_within_the_cache_size(empty_cache: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    flags, spec = ENTRIES[0]
    mine = _compiler.compile(spec[0], flags)
    empty_cache[(str, spec[0], flags)] = mine
    monkeypatch.setattr(re, "_MAXCACHE", 10)
    regexes.seed(SHIPPED)
    assert len(empty_cache) == 10
    assert empty_cache[(str, spec[0], flags)] is mine


@pytest.mark.parametrize("data", [b"", b"not zlib", zlib.compress(b"not marshal"), zlib.compress(marshal.dumps((("other", 1), [])))])
def test_damaged_or_foreign_bytes_seed_nothing(empty_cache: dict, data: bytes) -> None:
    regexes.seed(data)
    assert not empty_cache


def test_a_cold_check_compiles_next_to_nothing_once_seeded() -> None:
    code = (
        "import sys; from re import _compiler; made = []; compile = _compiler.compile\n"
        "_compiler.compile = lambda p, f=0: made.append(p) or compile(p, f)\n"
        "from postmortem_lint import cli\n"
        "code = cli.main(['check', '--no-cache', '.']); print(len(made), file=sys.stderr); sys.exit(code)"
    )
    env = {"PMLINT_NO_PRELUDE": "1", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "examples", env=env, capture_output=True, text=True)
    assert int(done.stderr.strip().splitlines()[-1]) < 15, done.stderr
