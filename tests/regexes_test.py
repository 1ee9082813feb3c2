"""core.regexes: patterns rebuilt from the code a run before compiled, identical to re.compile's; the cache note end to end."""

from __future__ import annotations

import marshal
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.core import regexes
from postmortem_lint.lint import packdata
from postmortem_lint.lint.engine import REGEX_NOTE
from tests.repokit import make_repo, pmlint

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PATTERNS = [
    (r"(?P<who>\w+) (?:forgot|failed) to (?P<what>\w+)", re.IGNORECASE),
    (r"(?<!prevent )human error(?! rates?)", re.IGNORECASE),
    (r"^\s*(?:[-*]\s+)?\*\*(?P<label>[^*]+):\*\*", re.MULTILINE),
    (r"(?i:SEV)[- ]?(\d)\b", 0),
    (r"[\u2600-\u27bf]|caf\u00e9", 0),
]


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    """Each test starts with no kept codes, and leaves none behind for the others."""
    kept, used, shipped = dict(regexes._known), set(regexes._used), set(regexes._shipped)
    regexes._known.clear()
    regexes._used.clear()
    regexes._shipped.clear()
    regexes._added = False
    yield
    for store, before in ((regexes._known, kept), (regexes._used, used), (regexes._shipped, shipped)):
        store.clear()
        store.update(before)  # type: ignore[attr-defined]


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_rebuilt_pattern_is_the_one_re_compiles(pattern: str, flags: int) -> None:
    regexes.compile(pattern, flags)
    assert regexes.added()
    data = regexes.export()
    regexes._known.clear()
    regexes.load(data)
    assert not regexes.added()
    rebuilt = regexes.compile(pattern, flags)
    assert not regexes.added(), "a known pattern is rebuilt, not compiled"
    _same(rebuilt, re.compile(pattern, flags))
    text = "Dana forgot to check; the human error rate; **Owner:** x; sev-2 and SEV 3; café ☀"
    assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in re.compile(pattern, flags).finditer(text)]


def test_the_flags_a_pattern_was_compiled_with_are_part_of_what_is_kept() -> None:
    regexes.compile("abc", re.IGNORECASE)
    data = regexes.export()
    regexes._known.clear()
    regexes.load(data)
    plain = regexes.compile("abc")
    assert regexes.added(), "abc without IGNORECASE is another pattern"
    assert plain.match("ABC") is None


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", marshal.dumps(None), marshal.dumps((("pmlint-regexes", 0), [])), marshal.dumps(("x", [(0, ("a",))]))],
)
def test_damaged_or_foreign_bytes_are_ignored(data: bytes) -> None:
    regexes.load(data)
    assert regexes._known == {}
    _same(regexes.compile("a+b", 0), re.compile("a+b"))


def test_bytes_of_another_python_are_ignored() -> None:
    regexes.compile("a+b")
    header, entries = marshal.loads(regexes.export())
    regexes._known.clear()
    regexes.load(marshal.dumps(((*header[:2], (2, 7), *header[3:]), entries)))
    assert regexes._known == {}


def test_invalid_code_is_compiled_again_the_usual_way() -> None:
    regexes.compile(r"x(\d+)y")
    header, entries = marshal.loads(regexes.export())
    flags, spec = entries[0]
    broken = (spec[0], spec[1], [999999, *spec[2][1:]], *spec[3:])
    regexes._known.clear()
    regexes.load(marshal.dumps((header, [(flags, broken)])))
    rebuilt = regexes.compile(r"x(\d+)y")
    _same(rebuilt, re.compile(r"x(\d+)y"))
    assert rebuilt.search("ax42y").group(1) == "42"


def test_a_bad_pattern_raises_as_re_compile_does() -> None:
    with pytest.raises(re.error):
        regexes.compile("(unclosed")


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"[a-c()|*+?\\dws^$.-]{0,12}", fullmatch=True),
    st.sampled_from([0, re.IGNORECASE, re.MULTILINE]),
    st.text("abc 12\n-", max_size=30),
)
def test_any_pattern_behaves_as_re_compile(pattern: str, flags: int, text: str) -> None:
    try:
        expected = re.compile(pattern, flags)
    except re.error:
        with pytest.raises(re.error):
            regexes.compile(pattern, flags)
        return
    regexes.compile(pattern, flags)
    data = regexes.export()
    regexes._known.clear()
    regexes.load(data)
    rebuilt = regexes.compile(pattern, flags)
    _same(rebuilt, expected)
    assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in expected.finditer(text)]


def test_a_check_keeps_the_blame_patterns_in_the_cache_and_the_next_one_reads_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    shutil.copytree(EXAMPLES / "tasks", repo / "tasks")
    phrases = [f"lazy rotation {n}" for n in range(60)] + ["search index outage"]  # not shipped: compiled, then kept
    (repo / ".pmlint.yaml").write_text("blame:\n  extra-phrases:\n" + "".join(f"    - {p}\n" for p in phrases))
    first = pmlint(repo, "check", "--today", "2026-03-20", "tasks")
    note = repo / ".pmlint_cache" / REGEX_NOTE
    assert note.is_file()
    header, entries = marshal.loads(note.read_bytes())
    assert header[0] == "pmlint-regexes" and len(entries) > 50
    (repo / "tasks" / "post-mortem-2026-01-09-search-index-outage.md").write_text(
        (EXAMPLES / "tasks" / "post-mortem-2026-01-09-search-index-outage.md").read_text() + "\nOne more line.\n"
    )
    second = pmlint(repo, "check", "--today", "2026-03-20", "--no-cache", "tasks")
    note.write_bytes(b"\x00damaged")
    third = pmlint(repo, "check", "--today", "2026-03-20", "tasks")
    assert first.returncode == second.returncode == third.returncode
    assert second.stdout == third.stdout, "a damaged note changes nothing but speed"
    assert marshal.loads(note.read_bytes())[0][0] == "pmlint-regexes", "and is written again"
    assert "Traceback" not in first.stderr + second.stderr + third.stderr


def test_the_codes_this_run_used_are_kept_first_and_old_ones_do_not_pile_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexes, "KEEP", 3)
    for word in ("old1", "old2", "old3"):
        regexes.compile(word)
    data = regexes.export()
    regexes._known.clear()
    regexes._used.clear()
    regexes.load(data)
    regexes.compile("new1")
    regexes.compile("old2")
    _header, entries = marshal.loads(regexes.export())
    kept = {spec[0] for _flags, spec in entries}
    assert len(kept) == 3 and {"new1", "old2"} <= kept


def test_a_shipped_table_is_rebuilt_from_and_not_copied_into_the_cache() -> None:
    data = regexes.table([(pattern, flags) for pattern, flags in PATTERNS])
    assert regexes.table(reversed(PATTERNS)) == data, "the same bytes for the same patterns"
    regexes.load_shipped(data)
    for pattern, flags in PATTERNS:
        rebuilt = regexes.compile(pattern, flags)
        _same(rebuilt, re.compile(pattern, flags))
    assert not regexes.added(), "every pattern came from the table"
    regexes.compile("not shipped")
    _header, entries = marshal.loads(regexes.export())
    assert [spec[0] for _flags, spec in entries] == ["not shipped"]


@pytest.mark.parametrize("data", [b"", b"garbage", zlib.compress(b"garbage"), zlib.compress(marshal.dumps(("x", [])))])
def test_a_damaged_shipped_table_is_ignored(data: bytes) -> None:
    regexes.load_shipped(data)
    assert regexes._known == {} and regexes._shipped == set()


def test_the_shipped_table_holds_every_pattern_of_the_shipped_blame_pack() -> None:
    pack = packdata.blame_pack()
    packdata.shipped_regexes.cache_clear()
    packdata.shipped_regexes()
    assert regexes._shipped, f"{packdata.SHIPPED_REGEXES} is missing: run `python -m postmortem_lint.generate`"
    for pattern, flags in pack.patterns():
        regexes.compile(pattern, flags)
    assert not regexes.added(), "a pattern of the pack was compiled: the table is stale"
