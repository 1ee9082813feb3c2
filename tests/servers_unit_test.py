"""The servers' pure parts: positions, fixes, the disable-comment edits, completion, the outline, related incidents,
and the session's fix loop with diagnostics that carry fixes (as autofix will give them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lintkit import CLEAN_PATH, clean_text, line_of, lint, replace_line

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.document.summary import Summary
from postmortem_lint.servers import complete, fixes, outline, session, suppress
from postmortem_lint.servers.fixes import Edit, Fix, apply_fixes
from postmortem_lint.servers.positions import UTF8, UTF16, UTF32, Lines, units
from postmortem_lint.servers.related import rank

# ---------------------------------------------------------------- positions

TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30)


@given(st.lists(TEXT, min_size=1, max_size=4), st.sampled_from([UTF8, UTF16, UTF32]), st.data())
def test_client_columns_round_trip(lines: list[str], encoding: str, data: st.DataObject) -> None:
    doc = Lines.of("\n".join(lines))
    row = data.draw(st.integers(0, len(lines) - 1))
    column = data.draw(st.integers(0, len(lines[row])))
    line, character = doc.to_client((row, column), encoding)
    assert (
        character
        == len(lines[row][:column].encode({UTF8: "utf-8", UTF16: "utf-16-le", UTF32: "utf-32-le"}[encoding], "surrogatepass"))
        // {
            UTF8: 1,
            UTF16: 2,
            UTF32: 4,
        }[encoding]
    )
    assert doc.from_client(line, character, encoding) == (row, column)


def test_spans_follow_pmlint_columns() -> None:
    doc = Lines.of("ab😀cd\r\nsecond\rthird")
    assert doc.span(1, 4, 1, 6) == ((0, 3), (0, 5))
    assert doc.to_client((0, 3)) == (0, 4)
    assert doc.span(2, 0, 2, 0) == ((1, 0), (1, 6))
    assert doc.span(3, 2, 3, 0) == ((2, 1), (2, 5))
    assert doc.span(1, 2, 3, 3) == ((0, 1), (2, 2))
    assert doc.span(9, 1, 9, 1)[0] == (2, 5)


def test_a_bom_shifts_the_first_line_only() -> None:
    doc = Lines.of("\ufeff# T\nx")
    assert doc.span(1, 3, 1, 4) == ((0, 3), (0, 4))
    assert doc.span(2, 1, 2, 2) == ((1, 0), (1, 1))
    assert units("\ufeff") == 1


# ---------------------------------------------------------------- fixes


def _fix(*edits: tuple[int, int, int, int, str], safety: str = "safe") -> Fix:
    return Fix(safety, "m", tuple(Edit(*e) for e in edits))


def test_fixes_apply_whole_and_never_overlap() -> None:
    text = "one two three\r\nfour\n"
    fixes = [
        ("A", _fix((1, 5, 1, 8, "2"))),
        ("B", _fix((1, 6, 1, 7, "X"))),
        ("C", _fix((2, 1, 2, 1, "> "), (1, 1, 1, 1, "# "))),
        ("D", _fix((2, 5, 2, 5, "!"), safety="unsafe")),
        ("E", None),
    ]
    fixed, applied = apply_fixes(text, fixes)
    assert fixed == "# one 2 three\r\n> four\n"
    assert [a["code"] for a in applied] == ["A", "C"]
    assert apply_fixes(text, fixes, unsafe=True)[0] == "# one 2 three\r\n> four!\n"


def test_fix_parse_reads_the_json_shape_and_objects() -> None:
    data = {"safety": "unsafe", "message": "m", "edits": [{"line": 1, "column": 2, "end_line": 1, "end_column": 3, "replacement": "x"}]}
    parsed = fixes.parse(data)
    assert parsed == Fix("unsafe", "m", (Edit(1, 2, 1, 3, "x"),))
    assert fixes.parse(parsed) == parsed
    assert parsed.to_dict() == data


@dataclass(frozen=True)
class _Fixable(Diagnostic):
    """A diagnostic as autofix will stamp it: with a ``fix``."""

    fix: Fix | None = None


class _Project(session.Project):
    """A project whose lint offers one fix, lowering `sev-2` to `SEV-2`, as an autofix-aware engine would."""

    def lint(self, rel: str, data: bytes | None = None, today: dt.date | None = None) -> list[session.Problem]:
        text = (data or b"").decode()
        if "**Severity:** sev-2" not in text:
            return []
        row = line_of(text, "**Severity:** sev-2")
        found = _Fixable(rel, row, 15, row, 20, "PM204", "severity-value", "error", "bad", True, fix=_fix((row, 15, row, 20, "SEV-2")))
        return [session.Problem(found, session.fix_of(found))]


def test_the_fix_loop_applies_the_fixes_diagnostics_carry() -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** sev-2")
    done = _Project(Settings(root=Path("."))).fix(CLEAN_PATH, text)
    assert done.text == clean_text()
    assert done.fixed == ({"code": "PM204", "message": "m", "safety": "safe"},)
    assert done.remaining == ()
    unchanged = _Project(Settings(root=Path("."))).fix(CLEAN_PATH, clean_text())
    assert (unchanged.text, unchanged.fixed) == (clean_text(), ())


def test_a_problem_s_json_has_fix() -> None:
    plain = Diagnostic("p", 1, 1, 1, 2, "PM204", "severity-value", "error", "bad")
    assert session.Problem(plain, session.fix_of(plain)).to_dict() == {**plain.to_dict(), "fix": None}
    fixable = _Fixable(
        *[getattr(plain, f) for f in ("path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message")],
        fix=_fix((1, 1, 1, 2, "x")),
    )
    assert session.Problem(fixable, session.fix_of(fixable)).to_dict()["fix"]["edits"][0]["replacement"] == "x"


# ---------------------------------------------------------------- disable CODE for this line


def _disabled(text: str, code: str, line: int) -> str:
    found = suppress.disable(session.document(CLEAN_PATH, text), line, code)
    assert found is not None
    return apply_fixes(text, [(code, Fix("safe", found.title, found.edits))])[0]


QUOTE = "> A quote that\n> goes on, AKIAIOSFODNN7EXAMPLE\n\n"


@pytest.mark.parametrize(
    ("needle", "new", "code"),
    [
        ("2. **Why did", "2. **Why did the careless", "PM601"),
        ("   → Because the staging tax sandbox", "   → Because the careless staging tax sandbox", "PM601"),
        ("On 2026-03-14 from 14:05 to 15:35 UTC", QUOTE + "On 2026-03-14 from 14:05 to 15:35 UTC", "PM408"),
        ("2026-03-14T14:06:12Z WARN", "2026-03-14T14:06:12Z WARN AKIAIOSFODNN7EXAMPLE", "PM408"),
        ("- **Reputation Impact:**", "- **Reputation Impact:** the outage was blamed on human error,", "PM601"),
    ],
)
def test_a_disable_comment_silences_the_code_and_keeps_the_structure(needle: str, new: str, code: str) -> None:
    """A later list item, a five-whys answer, a quote's second line, a code block, a later bullet: the code goes, nothing else moves."""
    text = replace_line(clean_text(), needle, new)
    hit = next(d for d in lint(text) if d.code == code)
    others = [d.code for d in lint(text) if d.code != code]
    assert [d.code for d in lint(_disabled(text, code, hit.line))] == others


def test_a_disable_comment_above_joins_an_existing_one() -> None:
    summary = line_of(clean_text(), "On 2026-03-14 from 14:05 to 15:35 UTC")
    lines = clean_text().split("\n")
    lines[summary - 1 : summary] = ["<!-- pmlint-disable-next-line PM405 -->", "The careless release was rolled back."]
    text = "\n".join(lines)
    line = line_of(text, "The careless release")
    fixed = _disabled(text, "PM601", line)
    assert "<!-- pmlint-disable-next-line PM405, PM601 -->" in fixed
    assert all(d.code != "PM601" for d in lint(fixed))


def test_no_disable_comment_in_front_matter() -> None:
    text = "---\ntitle: x\n---\n" + clean_text()
    assert suppress.disable(session.document(CLEAN_PATH, text), 2, "PM201") is None


# ---------------------------------------------------------------- completion and the outline


def _known(**changes: object) -> complete.Known:
    base = complete.Known(
        sections=session.Project(Settings(root=Path("."))).required_sections(),
        fields=session.header_fields(),
        values=session.vocabulary(),
        owners=("Sam Rivera",),
        next_incident=lambda day: f"INC-{day.isoformat()}-009",
        date=dt.date(2026, 3, 14),
        today=dt.date(2026, 3, 20),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _labels(text: str, needle: str | int, before: str) -> list[str]:
    """Candidates with ``before`` typed on the line holding ``needle`` (or on line ``needle``)."""
    doc = session.document(CLEAN_PATH, text)
    line = needle if isinstance(needle, int) else line_of(text, needle)
    return [c.label for c in complete.candidates(before, line, doc, _known())]


def test_date_author_and_incident_values() -> None:
    text = clean_text()
    assert _labels(text, "**Date:** 2026-03-14", "**Date:** ") == ["2026-03-14", "2026-03-20"]
    assert _labels(text, "**Incident Number:**", "**Incident Number:** ")[0] == "INC-2026-03-14-009"
    authors = _labels(text, "**Author:**", "**Author:** Da")
    assert authors[0] == "Sam Rivera" and "Daniel Okafor" in authors


def test_header_completion_is_for_the_header_only() -> None:
    text = clean_text()
    assert _labels(text, "- **Affected Users:**", "- **") == []
    assert _labels(text, "**Severity:**", "**Severity:** ") == ["SEV-1", "SEV-2", "SEV-3", "SEV-4"]
    assert _labels(text, "## Executive Summary", "## Exec") == ["Executive Summary"]
    assert _labels(text + "\n## \n", len(text.split("\n")) + 1, "## ") == []


def test_the_outline_nests_by_level() -> None:
    text = "# Post-Mortem: T\n\n## A\n\n#### deep\n\ntext\n\n### B\n\n## C\n\nend\n"
    nodes = outline.outline(session.document(CLEAN_PATH, text))
    assert [n.name for n in nodes] == ["Post-Mortem: T"]
    a, c = nodes[0].children
    assert [(n.name, n.heading.line, n.end_line) for n in (a, *a.children, c)] == [
        ("A", 3, 10),
        ("deep", 5, 8),
        ("B", 9, 10),
        ("C", 11, 13),
    ]


# ---------------------------------------------------------------- related incidents


def _summary(path: str, **values: object) -> Summary:
    return Summary(path=path, **values)  # type: ignore[arg-type]


def test_related_incidents_are_ranked_by_what_they_share() -> None:
    draft = _summary(
        "tasks/post-mortem-2026-05-01-d.md", date="2026-05-01", systems=("Checkout-API",), root_cause="connection pool exhausted"
    )
    archive = [
        _summary("tasks/post-mortem-2026-04-01-a.md", date="2026-04-01", systems=("checkout-api", "db"), root_cause="pool exhausted again"),
        _summary("tasks/post-mortem-2026-03-01-b.md", date="2026-03-01", root_cause="connection pool exhausted", title="Pool"),
        _summary("tasks/post-mortem-2026-06-01-later.md", date="2026-06-01", systems=("checkout-api",)),
        _summary("tasks/post-mortem-2026-02-01-none.md", date="2026-02-01", systems=("search",), root_cause="disk full"),
        draft,
    ]
    found = rank(draft, archive, lambda s: "config" if "pool" in s.root_cause else "unknown", frozenset())
    assert [(Path(r.summary.path).name[-7:], r.score) for r in found] == [("01-a.md", 3 + 2 + 2), ("01-b.md", 2 + 3)]
    assert found[0].reasons == (
        "same systems affected: checkout-api",
        "same root-cause category: config",
        "shared trigger words: exhausted, pool",
    )
