"""Issue 15's content rules on the presets' own fixtures, their settings, and PM401/PM408's shapes one by one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lintkit import clean_text, line_of, lint, replace_line, settings
from templatekit import FIXTURES

from postmortem_lint.checks.pm408_secret_leak import MIN_ENTROPY, entropy
from postmortem_lint.core.placeholders import GENERIC, is_generic_slot, masked, not_a_slot

CONTENT = ("PM401", "PM408", "PM409", "PM410", "PM411", "PM412", "PM413", "PM802")
PRESETS = sorted(p.name for p in FIXTURES.iterdir() if (p / "clean.md").is_file())


def _lint(text: str, preset: str, **changes: object) -> list[tuple[str, int, int]]:
    config = settings(select=CONTENT, ignore=(), template=preset, **changes)
    return [(d.code, d.line, d.column) for d in lint(text, rel=f"tasks/post-mortem-2026-03-14-{preset}.md", config=config)]


@pytest.mark.parametrize("preset", PRESETS)
def test_a_presets_clean_fixture_gets_no_content_finding(preset: str) -> None:
    assert _lint((FIXTURES / preset / "clean.md").read_text(encoding="utf-8"), preset) == []


PRESET_MUTATIONS = (
    ("mentimeter", "[Astrid]", "[Owner]", "PM401", "[Owner]"),
    ("mentimeter", "## Owner: Astrid Lund", "## Owner: ???", "PM401", "???"),
    ("dfds", "- Staging outages cost a whole team's morning even when customers never see them", "- N/A", "PM413", "N/A"),
    ("dfds", "Production was not affected.", "Production was not affected. The customer was jane.doe@gmail.com.", "PM409", "jane"),
)


@pytest.mark.parametrize(("preset", "old", "new", "code", "col"), PRESET_MUTATIONS, ids=[f"{m[0]}-{m[3]}" for m in PRESET_MUTATIONS])
def test_a_one_line_mutation_of_a_presets_clean_fixture_fires_at_the_line(preset: str, old: str, new: str, code: str, col: str) -> None:
    text = replace_line((FIXTURES / preset / "clean.md").read_text(encoding="utf-8"), old, new)
    number = line_of(text, new)
    assert _lint(text, preset) == [(code, number, text.split("\n")[number - 1].index(col) + 1)]


def test_timeline_gap_is_configurable() -> None:
    text = clean_text()
    assert _lint(text, "seed") == []
    found = [(c, n) for c, n, _ in _lint(text, "seed", timeline_gap=10)]
    rows = ("| 14:49 | Mitigation failed", "| 15:02 | Root cause identified", "| 15:21 | Service restored")
    assert found == [("PM412", line_of(text, row)) for row in rows]


def test_numbers_tolerance_is_configurable() -> None:
    text = replace_line(clean_text(), "- **Time to Detect (TTD):** 9 minutes", "- **Time to Detect (TTD):** 15 minutes")
    number = line_of(text, "(TTD):** 15 minutes")
    assert [(c, n) for c, n, _ in _lint(text, "seed")] == [("PM410", number)]
    assert _lint(text, "seed", numbers_tolerance=10) == []


NOT_PLACEHOLDERS = (
    "Sync failed for continue[bot] and dependabot[bot].",
    "PDO error SQLSTATE[HY000] [2002] Connection refused",
    "See [[Ohn88]](https://example.com/ohn88) for the model.",
    "> [No Data] Kafka consumer lag alert",
    "[FIRING:1] HighLatency checkout-api",
    "Progress [░░░░██░░░░] at 40%",
    'apiGroups: ["", "apps", "batch"]',
    "Blocks [11, 12] were reorged.",
    "<!-- Format: x unit[, x smaller_unit] -->",
    "Use `[Name]` in the template, not in a post-mortem.",
    "The task list: - [x] done",
    "Visit <https://example.com> or mail <ops@example.com>.",
    "Rendered with <details> and <summary> tags.",
)


@pytest.mark.parametrize("line", NOT_PLACEHOLDERS)
def test_bracketed_text_that_is_not_a_slot_is_not_a_placeholder(line: str) -> None:
    text = replace_line(clean_text(), "New alert TaxProvider429Rate", line)
    assert _lint(text, "seed") == []


PLACEHOLDERS = (
    ("Reverted to <commit-before-fix>.", "<commit-before-fix>"),
    ("Signed: ____", "____"),
    ("Owner: ???", "???"),
    ("Lorem ipsum dolor sit amet.", "Lorem ipsum"),
    ("Root cause: TBD", "TBD"),
    ("Impact: description here", "description here"),
    ("Add your summary here.", "Add your summary here"),
    ("Updated on {{DATE}}.", "{{DATE}}"),
    ("See [Link to PR].", "[Link to PR]"),
)


@pytest.mark.parametrize(("line", "token"), PLACEHOLDERS, ids=[t for _, t in PLACEHOLDERS])
@pytest.mark.parametrize("preset", ["seed", "google-sre"])
def test_generic_slot_shapes_are_placeholders_under_any_preset(line: str, token: str, preset: str) -> None:
    base = clean_text() if preset == "seed" else (FIXTURES / preset / "clean.md").read_text(encoding="utf-8")
    text = base.rstrip("\n") + "\n\n" + line + "\n"
    number = text.count("\n")
    assert ("PM401", number, line.index(token) + 1) in _lint(text, preset)


@given(st.text(alphabet=st.characters(blacklist_characters="`\n"), max_size=40))
def test_nothing_inside_a_code_span_is_a_placeholder(inner: str) -> None:
    line = masked(f"see `{inner}` here")
    assert all(
        m.start() < 4 or m.start() >= 6 + len(inner)
        for m in GENERIC.finditer(line)
        if m.group("bracket") is None or is_generic_slot(m.group("bracket"))
    )


@given(st.from_regex(r"[a-z]{2,10}\[[A-Za-z0-9 ]{1,12}\]", fullmatch=True))
def test_a_bracket_right_after_a_word_is_an_identifier_suffix(token: str) -> None:
    start = token.index("[")
    assert not_a_slot(token, start, len(token))


def test_entropy_tells_random_keys_from_repeated_text() -> None:
    assert entropy("9fQz2Lx7Rk4Wm8Tb1Vc6Ny3Hd5Gs0Pj") >= MIN_ENTROPY
    assert entropy("aaaaaaaaaaaaaaaa") == 0
    assert entropy("abab1212abab1212") < MIN_ENTROPY
