"""Time the blame engine (PM601/PM602) over the prose of a typical ~10 KB post-mortem.

Run: ``python benchmarks/blame_cost.py``. The first scan figure is what PM601/PM602
cost per document: like ``checks/pm6xx_blame.py``, it scans the prose blocks joined
into one text. The second scans them one by one (what a caller of ``blame.scan`` per
sentence pays: each call has a fixed cost). Compare with the time mistune needs to
parse the same text.

``python benchmarks/blame_cost.py --generated 200`` also measures, on that many files of
the seeded corpus of ``benchmarks/generate.py``, the blame scan of each file (its prose
collected and scanned, as PM601/PM602 do) against the time of checking the file with
every document rule (``linter.lint_bytes``: decode, parse, build, all rules). The target
(issue 16) is a scan of at most 25% of the per-file check time. ``--runs N`` (default 5)
repeats that measurement and reports the median of each figure and of the ratios: the
machine is shared, so single runs vary by several points.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate
from postmortem_lint.checks import blame_prose
from postmortem_lint.checks.blame_engine import scan
from postmortem_lint.config.settings import Settings
from postmortem_lint.document.build import build
from postmortem_lint.document.source import decode
from postmortem_lint.lint import linter
from postmortem_lint.lint.packdata import blame_pack as load_pack

try:
    import mistune
except ImportError:  # the parser's cost is then left out of the figures
    mistune = None

PEOPLE = ("Alice Smith", "@bob", "Carol Jones", "Dana Reyes", "Marcus Lee", "Priya Patel")

PARAGRAPH = (
    "At {t} the connection pool on **orders-db** reached its limit of 100 and requests to "
    "`/api/checkout` began to time out. Dana Reyes was paged by the `PoolSaturation` alert, "
    "acknowledged it within two minutes and declared the incident. Marcus restarted the "
    "`orders-api` pods, which gave a short recovery before the error rate rose again to 45%. "
    "The job that rotates credentials had failed to roll back, so new connections were "
    "refused; see [the dashboard](https://grafana.example.com/d/orders?from=now-6h). "
    "Because the error handling path did not close connections, the pool drained under load. "
    "Our tests did not simulate connection failures, and the alert threshold was set above "
    "the observed peak, which made the slow leak easy to miss for several days."
)
ROW = "| {t} | Mitigation attempted: scaled orders-api from 6 to 12 replicas | Carol Jones |"
ITEM = "- Add integration tests for the error path that closes connections (owner: Priya Patel)"


def typical_document() -> list[str]:
    """The prose blocks (paragraphs, table cells, list items) of a ~10 KB post-mortem."""
    blocks: list[str] = []
    for hour in range(9, 21):
        blocks.append(PARAGRAPH.format(t=f"{hour:02d}:15"))
        blocks.extend(cell.strip() for cell in ROW.format(t=f"{hour:02d}:40").strip("|").split("|"))
        blocks.append(ITEM[2:])
    return blocks


def best_cpu_ms(action: Callable[[], object], rounds: int = 20, repeats: int = 7) -> float:
    """CPU milliseconds per call, best of ``repeats`` (robust on a busy machine)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(rounds):
            action()
        best = min(best, (time.process_time() - started) / rounds)
    return best * 1000


def mistune_ms(document: str) -> float | None:
    """The same document through mistune (the linter's parser), when it is installed."""
    if mistune is None:
        return None
    markdown = mistune.create_markdown(renderer=None, plugins=["table"])
    return best_cpu_ms(lambda: markdown(document))


def generated_cost(count: int, runs: int = 5) -> None:
    """Scan time versus per-file check time on ``count`` generated post-mortems, median of ``runs``."""
    with tempfile.TemporaryDirectory() as out:
        paths = generate(Path(out), count, 1)
        files = [(f"tasks/{p.name}", p.read_bytes()) for p in paths]
    settings = Settings(root=Path.cwd())
    today = dt.date(2026, 3, 20)
    pack = load_pack()
    docs = [build(rel, decode(data)) for rel, data in files]  # type: ignore[arg-type]
    texts = [(blame_prose.prose(doc).text, doc.people) for doc in docs]

    def check_all() -> None:
        for rel, data in files:
            linter.lint_bytes(rel, data, None, settings, today)

    def scan_all() -> None:
        for doc in docs:
            prose = blame_prose.prose(doc)
            scan(prose.text, doc.people, pack)

    def scan_only() -> None:
        for text, people in texts:
            scan(text, people, pack)

    rows = []
    for _ in range(runs):
        check = best_cpu_ms(check_all, rounds=1, repeats=3) / count
        scanned = best_cpu_ms(scan_all, rounds=1, repeats=3) / count
        bare = best_cpu_ms(scan_only, rounds=1, repeats=3) / count
        rows.append((check, scanned, bare, scanned / check, bare / check))
        print(
            f"  run: check {check:.2f} ms, prose + scan {scanned:.2f} ms ({scanned / check:.0%}), scan {bare:.2f} ms ({bare / check:.0%})"
        )
    check, scanned, bare, with_prose, alone = (statistics.median(column) for column in zip(*rows, strict=True))
    hits = sum(len(scan(text, people, pack)) for text, people in texts)
    size = sum(len(data) for _, data in files) / count
    print(f"generated corpus: {count} files, {size / 1000:.1f} KB each on average, {hits} blame hits in all; medians of {runs} runs")
    print(f"check per file (lint_bytes, every document rule): {check:.2f} ms")
    print(f"blame per file (prose collected + scan): {scanned:.2f} ms = {with_prose:.0%} of the check (target <= 25%)")
    print(f"scan alone per file: {bare:.2f} ms = {alone:.0%} of the check")


def main() -> int:
    if "--generated" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
        generated_cost(int(sys.argv[sys.argv.index("--generated") + 1]), runs)
        return 0
    blocks = typical_document()
    text = "\n\n".join(blocks) + "\n"  # as pm6xx_blame joins a document's prose
    size = len(text)
    started = time.perf_counter()
    pack = load_pack()
    load_ms = (time.perf_counter() - started) * 1000
    per_doc = best_cpu_ms(lambda: scan(text, PEOPLE, pack))
    per_block = best_cpu_ms(lambda: [scan(block, PEOPLE, pack) for block in blocks])
    hits = len(scan(text, PEOPLE, pack))
    print(f"document: {size} chars in {len(blocks)} prose blocks, {hits} hits")
    print(f"load_pack, first call (YAML + pydantic validation + compile): {load_ms:.1f} ms")
    print(f"scan: {per_doc:.2f} ms per document, {per_doc * 10_000 / size:.2f} ms per 10 KB")
    print(f"scan block by block: {per_block:.2f} ms per document ({per_block * 1000 / len(blocks):.0f} us per call)")
    parse = mistune_ms("\n\n".join(blocks))
    if parse is not None:
        print(f"mistune parse of the same text: {parse:.2f} ms (scan = {per_doc / parse:.0%} of the parse)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
