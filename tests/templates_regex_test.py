"""The patterns template packs bring (presets and derived packs) are safe from catastrophic backtracking.

tests/regex_safety_test.py collects the package's own patterns and `rules/*.yaml`; this adds
what a pack compiles at run time: section, title, field, column, id, file-name and
placeholder patterns of every preset, and of the pack derived from the seed rule file. Each
is run over the same adversarial strings, in a worker killed past the same budget.
"""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
from regex_safety_test import BUDGET_SECONDS, exercise

from postmortem_lint.packs.templates import derive, presets
from postmortem_lint.packs.templates.runtime import TemplatePack

SEED_RULE = next(
    (p / "shared" / "seed" / "000_0a73f838bdf75aa7.txt" for p in Path(__file__).resolve().parents if (p / "shared" / "seed").is_dir()),
    Path("absent"),
)


def pack_patterns(pack: TemplatePack) -> set[tuple[str, int]]:
    found = {(pack.title.pattern, int(re.I))}
    found |= {(s.pattern, int(re.I)) for s in pack.all_sections() if s.pattern}
    found |= {(f.pattern, 0) for f in pack.fields if f.pattern}
    found |= {(c.pattern, 0) for t in pack.tables for c in t.columns if c.pattern}
    found |= {(d.value, 0) for d in pack.dates if d.kind == "file-name"}
    if pack.actions is not None and pack.actions.id_pattern:
        found.add((pack.actions.id_pattern, 0))
    if pack.placeholder_regex is not None:
        found.add((pack.placeholder_regex.pattern, 0))
    return found


def packs() -> list[TemplatePack]:
    found = [presets.preset(name) for name in presets.names()]
    if SEED_RULE.is_file():
        found.append(derive.derive(SEED_RULE.read_text(encoding="utf-8"), "seed-rule.md"))
    return found


KEYS = sorted({key for pack in packs() for key in pack_patterns(pack)})


def test_patterns_are_collected() -> None:
    assert len(KEYS) > 12
    assert any("timeline" in source for source, _flags in KEYS)


@pytest.mark.parametrize("chunk", range(2))
def test_no_pack_pattern_backtracks_catastrophically(chunk: int) -> None:
    keys = KEYS[chunk::2]
    slow: list[str] = []
    with multiprocessing.get_context("fork").Pool(2) as pool:
        jobs = [(key, pool.apply_async(exercise, (key,))) for key in keys]
        for key, job in jobs:
            try:
                if job.get(timeout=BUDGET_SECONDS) > BUDGET_SECONDS:
                    slow.append(key[0])
            except multiprocessing.TimeoutError:
                slow.append(key[0])
                pool.terminate()
                break
    assert slow == []
