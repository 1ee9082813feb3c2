"""docs/rules.md is generated from the rule docstrings; each docstring's Example fires and its Use instead does not.

docs/rules.md is held to the docstrings by tests/generated_test.py
(``python -m postmortem_lint.generate`` rewrites it). The Example and Use-instead fragments are
spliced into the clean Final post-mortem (see `splice`) and checked in a small
project holding the other demo post-mortems, with only the rule in question
selected. A fragment that does not work when spliced is a docstring to fix.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, REPO, clean_text
from repokit import write

from postmortem_lint import generate
from postmortem_lint.checks.registry import catalog
from postmortem_lint.cli import main
from postmortem_lint.core.rule_info import PARTS, RuleInfo, section_of
from postmortem_lint.core.text import heading_key

RULES = catalog()
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_FIELD = re.compile(r"^\*\*[^*\n]+(?::\*\*|\*\*:)")
_PATH_COMMENT = re.compile(r"^<!--\s*(\S+\.md)\s*-->$")
_DISABLED = re.compile(r"pmlint-disable[\w-]*\s+([A-Z0-9 ,]+?)\s*-->")
ROSTER = "Dana Cho\nDaniel Okafor\nElena Petrova\nMarcus Lee\nPriya Raman\n"
"""Every owner the clean fixture and the docstrings name, for PM508's `owners` roster."""


def test_docs_cover_every_rule() -> None:
    text = generate.rules_md()
    for code, rule in RULES.items():
        assert f"\n## {code} {rule.name}\n" in text
        assert f"| [{code}](#{code.lower()}-{rule.name}) |" in text


@pytest.mark.parametrize("code", list(RULES))
def test_docstring_has_the_four_parts_in_order(code: str) -> None:
    outside_examples = _FENCE.sub("", RULES[code].doc)
    titles = re.findall(r"^## (.+)$", outside_examples, re.M)
    assert titles == list(PARTS), f"{code}: parts are {titles}"
    for part in PARTS:
        assert section_of(RULES[code].doc, part), f"{code}: `{part}` is empty"
    for part in ("Example", "Use instead"):
        assert _FENCE.search(section_of(RULES[code].doc, part)), f"{code}: `{part}` has no fenced example"


def test_rule_command_prints_the_docstring(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "pm502"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PM502 action-owner\n")
    for part in PARTS:
        assert f"## {part}\n" in out
    assert main(["rule", "PM999"]) == 2
    assert capsys.readouterr().err == "pmlint: error: unknown rule code PM999; `pmlint rules` lists them\n"
    assert main(["rule", "PM5"]) == 2
    assert "PM5 names several rules" in capsys.readouterr().err


def test_rules_command_lists_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == list(RULES)


# --- Splicing a fragment into the clean post-mortem. ---


def fragment(rule: RuleInfo, part: str) -> tuple[str, str]:
    """(info string, body) of the first fenced block of a docstring part."""
    match = _FENCE.search(section_of(rule.doc, part))
    assert match, f"{rule.code}: no fenced block under {part}"
    return match.group(1), match.group(2)


def splice(clean: str, body: str) -> str:
    """The clean document with ``body`` put where it belongs."""
    lines = clean.split("\n")
    first = body.split("\n", 1)[0]
    if first.startswith("# "):
        return "\n".join([first, *lines[1:]])
    if first.startswith(("## ", "### ")):
        return _replace_sections(lines, body, first.split(" ", 1)[0])
    if _FIELD.match(first):
        return _replace_block(lines, _field_lines(lines), body)
    if first.startswith("- **"):
        label = first[2:].split(":", 1)[0]
        return _replace_block(lines, [_find(lines, lambda line: line.lstrip("- ").startswith(label))], body)
    if first.startswith("|") and first.count("|") == 7:
        return _replace_block(lines, [_find(lines, lambda line: line.startswith("| AI-001 |"))], body)
    if first.startswith(("- [x] ", "- [ ] ")):
        return _replace_block(lines, [_find(lines, lambda line: line.startswith("- [x] "))], body)
    at = _find(lines, lambda line: line.startswith("### Why It Happened"))
    return "\n".join([*lines[:at], body.rstrip("\n"), "", *lines[at:]])


def _find(lines: list[str], test: object) -> int:
    return next(i for i, line in enumerate(lines) if test(line))  # type: ignore[operator]


def _field_lines(lines: list[str]) -> list[int]:
    start = _find(lines, lambda line: bool(_FIELD.match(line)))
    end = start
    while end < len(lines) and _FIELD.match(lines[end]):
        end += 1
    return list(range(start, end))


def _replace_block(lines: list[str], indexes: list[int], body: str) -> str:
    return "\n".join([*lines[: indexes[0]], body.rstrip("\n"), *lines[indexes[-1] + 1 :]])


def _replace_sections(lines: list[str], body: str, marks: str) -> str:
    """Replace the span of the clean document's sections named by the fragment's headings of that level."""
    keys = {heading_key(line[len(marks) + 1 :]) for line in body.split("\n") if line.startswith(marks + " ")}
    spans = [
        _span(lines, i, len(marks))
        for i, line in enumerate(lines)
        if line.startswith(marks + " ") and heading_key(line[len(marks) + 1 :]) in keys
    ]
    assert spans, f"no section {keys} in the clean document"
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return "\n".join([*lines[:start], body.rstrip("\n"), "", *lines[end:]])


def _span(lines: list[str], start: int, level: int) -> tuple[int, int]:
    end = start + 1
    while end < len(lines) and not re.match(rf"^#{{1,{level}}} ", lines[end]):
        end += 1
    return start, end


# --- Running a case. ---


def project(root: Path, files: dict[str, str | bytes]) -> None:
    """The demo's other post-mortems, a roster, and ``files``."""
    (root / "tasks").mkdir(parents=True)
    for demo in (REPO / "examples" / "tasks").glob("*.md"):
        if demo.name != Path(CLEAN_PATH).name:
            shutil.copy(demo, root / "tasks" / demo.name)
    (root / "roster.txt").write_text(ROSTER, encoding="utf-8")
    (root / ".pmlint.yaml").write_text("owners: roster.txt\n", encoding="utf-8")
    for rel, content in files.items():
        write(root, rel, content)


def case(rule: RuleInfo, part: str) -> dict[str, str | bytes]:
    """The files of a project showing ``part`` of the rule's docstring."""
    info, body = fragment(rule, part)
    if rule.code == "PM000":
        return {CLEAN_PATH: clean_text().encode("utf-16") if part == "Example" else clean_text()}
    if info == "text" and body.strip().endswith(".md") and "\n" not in body.strip():
        return {body.strip(): clean_text()}
    files: dict[str, str | bytes] = {CLEAN_PATH: clean_text()}
    for rel, chunk in _per_file(body):
        files[rel] = splice(clean_text(), chunk)
    return files


def _per_file(body: str) -> list[tuple[str, str]]:
    """A fragment split by `<!-- tasks/x.md -->` lines into per-file chunks (one chunk for the clean path otherwise)."""
    chunks: list[tuple[str, list[str]]] = [(CLEAN_PATH, [])]
    for line in body.rstrip("\n").split("\n"):
        named = _PATH_COMMENT.match(line.strip())
        if named:
            chunks.append((named.group(1), []))
        else:
            chunks[-1][1].append(line)
    return [(rel, "\n".join(lines)) for rel, lines in chunks if lines]


def findings(root: Path, rule: RuleInfo, part: str, paths: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    body = fragment(rule, part)[1]
    codes = [rule.code, *(c for found in _DISABLED.findall(body) for c in re.split(r"[\s,]+", found) if c)]
    if rule.code == "PM703":
        _track_before(root, part, capsys)
    main(["check", "--format", "json", "--today", "2026-03-20", "--select", ",".join(codes), *paths])
    out = capsys.readouterr().out
    return [f"{d['path']}:{d['line']}: {d['message']}" for d in json.loads(out)["diagnostics"] if d["code"] == rule.code]


def _track_before(root: Path, part: str, capsys: pytest.CaptureFixture[str]) -> None:
    """PM703: the tracker was last synced while the post-mortem was a Draft; the Use instead is to sync it."""
    target = root / CLEAN_PATH
    final = target.read_text(encoding="utf-8")
    if part == "Example":
        target.write_text(clean_text().replace("**Status:** Final", "**Status:** Draft"), encoding="utf-8")
    main(["track"])
    target.write_text(final, encoding="utf-8")
    capsys.readouterr()


@pytest.mark.parametrize("code", list(RULES))
def test_example_fires_and_use_instead_does_not(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = RULES[code]
    for part, fires in (("Example", True), ("Use instead", False)):
        root = tmp_path / part.replace(" ", "-")
        files = case(rule, part)
        project(root, files)
        monkeypatch.chdir(root)
        found = findings(root, rule, part, sorted(files), capsys)
        assert bool(found) == fires, f"{code} {part}: {found or 'no finding'}\n{fragment(rule, part)[1]}"
