"""Trying a phrase only near its keywords finds what trying it over the whole text finds.

`BlamePack.hits` runs each phrase's regex only in windows around the words the pack lists as
its keywords (the `judgement` phrase, for one, is tried near "judgement" and its adjectives,
not near every "error" or "bad"). The general path is the regex over the whole masked text;
both are compared on the labelled sets, on every document of the shared corpus, of the test
fixtures and of a small generated corpus.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from postmortem_lint.checks import blame_engine as blame
from postmortem_lint.checks import blame_prose
from postmortem_lint.checks import blame_shapes as shapes
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.lint.packdata import blame_pack

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_archives import CORPUS  # noqa: E402

Span = tuple[int, int, str]


def _gated(pack: blame.BlamePack, doc: blame._Doc) -> list[Span]:
    return sorted({(h.start, h.end, h.entry) for h in pack.hits(doc)})


def _everywhere(pack: blame.BlamePack, doc: blame._Doc) -> list[Span]:
    """The general path: every phrase's regex over the whole text."""
    pairs = zip(pack.phrases, pack.matchers, strict=True)
    return sorted({(m.start(), m.end(), phrase.id) for phrase, matcher in pairs for m in matcher.regex.finditer(doc.masked)})


def _prepared(text: str, pack: blame.BlamePack) -> blame._Doc:
    return blame._prepare(text, blame._wanted(pack.keywords, pack.grammar.person_words))


def _texts(folder: Path) -> Iterator[str]:
    for path in sorted(folder.rglob("*.md")):
        decoded = source.decode(path.read_bytes())
        if isinstance(decoded, source.Source):
            yield blame_prose.prose(build(str(path), decoded)).text


def _same(texts: Iterator[str]) -> int:
    pack = blame_pack()
    count = 0
    for text in texts:
        doc = _prepared(text, pack)
        assert _gated(pack, doc) == _everywhere(pack, doc), text[:200]
        count += 1
    return count


def _labelled_sentences() -> list[str]:
    """Every sentence of the blame labelled sets (`tests/data/blame*.yaml`)."""
    sentences = []
    for path in sorted((ROOT / "tests" / "data").glob("blame*.yaml")):
        sentences += [str(s["text"]) for s in YAML(typ="safe").load(path.read_text(encoding="utf-8"))["sentences"]]
    return sentences


def test_gating_loses_nothing_on_the_labelled_sets() -> None:
    assert _same(iter(_labelled_sentences())) > 500


def test_gating_loses_nothing_on_the_fixtures() -> None:
    assert _same(_texts(ROOT / "tests")) > 100


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_gating_loses_nothing_on_the_shared_corpus() -> None:
    assert _same(_texts(CORPUS)) > 100


def test_gating_loses_nothing_on_a_generated_corpus(tmp_path: Path) -> None:
    generator = ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), str(tmp_path), "--count", "40", "--seed", "5"], check=True)
    assert _same(_texts(tmp_path / "tasks")) == 40


@pytest.mark.parametrize(
    "text",
    [
        "It was poor judgement, an error of judgment, a manual error and a rookie mistake.",
        "Bad judgement.",
        "The error was in judgement, not in the code: errors of judgement happen.",
        "Lapses in judgement were blamed; lapse of judgment too.",
    ],
)
def test_judgement_is_found_without_error_bad_or_poor_as_keywords(text: str) -> None:
    pack = blame_pack()
    doc = _prepared(text, pack)
    found = _gated(pack, doc)
    assert found == _everywhere(pack, doc)
    assert any(entry == "judgement" for _, _, entry in found)


def _scanned(texts: Iterator[str]) -> list[list[blame.BlameHit]]:
    pack = blame_pack()
    return [blame.scan(text, [], pack) for text in texts]


def _every_text() -> list[str]:
    texts = list(_texts(ROOT / "tests"))
    if CORPUS.is_dir():
        texts += _texts(CORPUS)
    return texts + _labelled_sentences()


def test_the_negation_gate_reads_only_the_block_and_loses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A negated form (an omission: "did not check") is tried only where a negation stands shortly before it in its
    own block; looking past the block break, as far as `NEED_REACH`, finds nothing more."""
    texts = _every_text()
    blocked = _scanned(iter(texts))
    monkeypatch.setattr(shapes, "_block_start", lambda text, at: max(0, at - shapes.NEED_REACH))
    assert _scanned(iter(texts)) == blocked
    assert len(texts) > 700 and sum(map(len, blocked)) > 100


def test_the_block_start_is_after_the_last_break_within_reach() -> None:
    text = "We did not page.\n\x01The alert page fired."
    at = text.index("page fired")
    assert shapes._block_start(text, at) == text.index("The alert")
    far = "x" * 100 + " page"
    assert shapes._block_start(far, far.index("page")) == far.index("page") - shapes.NEED_REACH
