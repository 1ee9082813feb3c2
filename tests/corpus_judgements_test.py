"""The content rules on the real corpus, against the verdicts in tests/data/corpus_judgements.yaml (issue 15).

Each archive is linted with the preset `fit.rank` puts first (tests/corpuskit.py). A finding
is matched to its verdict by (file, code, text). The test fails when a finding judged
`false` comes back or when the useful share of the judged findings falls under 90 %; it
reports the useful share per rule and lists findings nobody has judged yet (judge them:
`python tests/corpuskit.py` prints every finding). A false verdict marked `known: true` is a
false positive nobody has fixed yet: it is listed in the summary instead of failing the test
(it still counts against the useful share). Skipped when the corpus is absent.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml
from conftest import report
from corpus_archives import CORPUS
from corpuskit import CONTENT_CODES, Found, findings

JUDGEMENTS = Path(__file__).parent / "data" / "corpus_judgements.yaml"
BAR = 0.9
"""Issue 15: at least 90 % of the content rules' findings on the corpus are useful."""

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")


def judgements() -> dict[tuple[str, str, str], dict[str, object]]:
    entries = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))
    return {(e["file"], e["code"], str(e["text"])): e for e in entries}


def verdict(entry: dict[str, object]) -> str:
    """``false`` reads as a YAML boolean; the verdict is its word either way."""
    value = entry["verdict"]
    return "false" if value is False else str(value)


@pytest.fixture(scope="module")
def found() -> list[Found]:
    return findings()


def test_every_judgement_is_well_formed() -> None:
    entries = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))
    for entry in entries:
        assert set(entry) - {"known"} == {"archive", "file", "code", "line", "text", "verdict", "reason"}, entry
        assert entry.get("known", True) is True and ("known" not in entry or verdict(entry) == "false"), entry
        assert verdict(entry) in ("useful", "noise", "false"), entry
        assert entry["code"] in CONTENT_CODES and entry["reason"] and len(str(entry["text"])) <= 120, entry
        assert (CORPUS / str(entry["file"])).is_file(), entry["file"]


def test_no_finding_judged_false_comes_back(found: list[Found], pytestconfig: pytest.Config) -> None:
    known = judgements()
    judged_false = [f for f in found if verdict(known.get((f.file, f.code, f.text), {"verdict": "unjudged"})) == "false"]
    back = [f for f in judged_false if not known[(f.file, f.code, f.text)].get("known")]
    unfixed = [f for f in judged_false if known[(f.file, f.code, f.text)].get("known")]
    unjudged = [f for f in found if (f.file, f.code, f.text) not in known]
    report(pytestconfig, "corpus: content rules, useful share per rule", _table(found, known))
    if unfixed:
        report(pytestconfig, "corpus: known false positives", "\n".join(f"{f.file}:{f.line}: {f.code} {f.text!r}" for f in unfixed))
    if unjudged:
        report(pytestconfig, "corpus: unjudged findings", "\n".join(f"{f.file}:{f.line}: {f.code} {f.text!r}" for f in unjudged))
    assert not back, "\n".join(f"{f.file}:{f.line}: {f.code} {f.text!r}: {f.message}" for f in back)


def test_at_least_nine_in_ten_findings_are_useful(found: list[Found]) -> None:
    known = judgements()
    verdicts = [verdict(known[(f.file, f.code, f.text)]) for f in found if (f.file, f.code, f.text) in known]
    assert verdicts, "no judged finding on the corpus"
    share = verdicts.count("useful") / len(verdicts)
    assert share >= BAR, f"{share:.0%} of the judged findings are useful"


def _table(found: list[Found], known: dict[tuple[str, str, str], dict[str, object]]) -> str:
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for f in found:
        entry = known.get((f.file, f.code, f.text))
        counts[f.code][verdict(entry) if entry else "unjudged"] += 1
        counts[f.code]["known"] += bool(entry and entry.get("known"))
    lines = [
        "| rule | findings | useful | noise | false | of which known | unjudged | useful share |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for code in CONTENT_CODES:
        c = counts.get(code, collections.Counter())
        total = c["useful"] + c["noise"] + c["false"] + c["unjudged"]
        share = f"{c['useful'] / total:.0%}" if total else "-"
        lines.append(f"| {code} | {total} | {c['useful']} | {c['noise']} | {c['false']} | {c['known']} | {c['unjudged']} | {share} |")
    return "\n".join(lines)
