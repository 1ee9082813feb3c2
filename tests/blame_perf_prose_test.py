"""`blame_prose.prose` collects exactly what the generator it replaced yielded.

`prose` appends each block's text and source to two lists instead of yielding pairs through
nested generators (cheaper on the hundreds of blocks of a document). The generator is kept
here as the reference, and both are compared on every document of the shared corpus, of the
rule fixtures and of a small generated corpus.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from postmortem_lint.checks import blame_prose
from postmortem_lint.checks.blame_prose import Prose, Source
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import Block, Heading, ListBlock, Paragraph, PostMortem, Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_archives import CORPUS  # noqa: E402


def _blocks(blocks: Iterable[Block]) -> Iterator[tuple[Source, str]]:
    """The reference: what `prose` read before, as a generator."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block, block.text
        elif isinstance(block, Heading) and block.text.strip():
            yield Paragraph(block.line, block.line, block.text), block.text
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield (row.line, cell), cell.text
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _blocks(item.children)


def _reference(doc: PostMortem) -> Prose:
    pairs = [*blame_prose.front_matter(doc.source.lines, doc.front_matter_lines), *_blocks(doc.blocks)]
    texts = [text for _, text in pairs]
    return Prose("\n\n".join(texts) + "\n" if texts else "", texts, [source for source, _ in pairs])


def _documents(folder: Path) -> Iterator[PostMortem]:
    for path in sorted(folder.rglob("*.md")):
        decoded = source.decode(path.read_bytes())
        if isinstance(decoded, source.Source):
            yield build(str(path), decoded)


def _same(folder: Path) -> int:
    count = 0
    for doc in _documents(folder):
        assert blame_prose.prose(doc) == _reference(doc), doc.path
        count += 1
    return count


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_prose_is_the_generators_on_the_shared_corpus() -> None:
    assert _same(CORPUS) > 100


def test_prose_is_the_generators_on_the_fixtures() -> None:
    assert _same(ROOT / "tests") > 100


def test_prose_is_the_generators_on_a_generated_corpus(tmp_path: Path) -> None:
    generator = ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), str(tmp_path), "--count", "40", "--seed", "3"], check=True)
    assert _same(tmp_path / "tasks") == 40


def test_prose_of_nested_lists_tables_and_headings() -> None:
    text = (
        "---\ntitle: x\nsummary: the on-call was careless here today\n---\n# Title\n\nPara one.\n\n"
        "- item **one**\n  - nested item\n    1. deeper\n- two\n\n## Heading\n\n| A | B |\n|---|---|\n| c | d |\n\n> quoted\n"
    )
    decoded = source.decode(text.encode())
    assert isinstance(decoded, source.Source)
    doc = build("x.md", decoded)
    found = blame_prose.prose(doc)
    assert found == _reference(doc)
    assert "deeper" in found.text and "quoted" not in found.text and "careless" in found.text
