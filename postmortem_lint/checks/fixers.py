"""The fixes the rules attach to their findings: each builds a `Fix` from what the rule already found.

A rule module only calls one of these where it emits its `Finding` (``fix=...``);
what to replace, and with what, is worked out here from the model the rule
read. A fix changes only its edits' spans; safety follows docs/fixes.md: case
and spacing of a word the template spells one way are safe, anything that picks
a different word, a number, an order or new text for the author is unsafe.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from postmortem_lint.core.diagnostics import SAFE, UNSAFE, Edit, Fix
from postmortem_lint.core.facts import Incident, filename_date, parse_date, parse_incident, parse_stamp
from postmortem_lint.core.vocab import fold

if TYPE_CHECKING:
    from postmortem_lint.document.model import Field, PostMortem, Table
    from postmortem_lint.document.summary import Summary

REDACTED = "[REDACTED]"
AI_PATTERN = r"AI-\d{3,}"
"""The seed's action item id, which `free_ids` numbers."""
SEV_LEVELS = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
"""The seed's severity scale, which `severity` knows the other spellings of."""
_SEVERITY_WORD = re.compile(r"^(?P<word>sev(?:erity)?|p|s)\s*[-–]?\s*(?P<n>[0-4])\b", re.I)
_SEVERITY_NAMES = {
    "critical": "SEV-1",
    "high": "SEV-2",
    "major": "SEV-2",
    "medium": "SEV-3",
    "moderate": "SEV-3",
    "minor": "SEV-4",
    "low": "SEV-4",
}
STATUS_ALIASES = {
    "resolved": "Final",
    "complete": "Final",
    "completed": "Final",
    "published": "Final",
    "in review": "Under Review",
    "review": "Under Review",
    "reviewing": "Under Review",
    "wip": "Draft",
    "in progress": "Draft",
}
ACTION_STATUS_ALIASES = {
    "wip": "In Progress",
    "doing": "In Progress",
    "started": "In Progress",
    "ongoing": "In Progress",
    "in-progress": "In Progress",
    "todo": "Open",
    "to do": "Open",
    "new": "Open",
    "not started": "Open",
    "complete": "Done",
    "completed": "Done",
    "finished": "Done",
    "fixed": "Done",
    "resolved": "Done",
    "wont do": "Won't Do",
    "won't fix": "Won't Do",
    "wontfix": "Won't Do",
}
PRIORITY_ALIASES = {
    "p0": "High",
    "p1": "High",
    "urgent": "High",
    "critical": "High",
    "p2": "Medium",
    "normal": "Medium",
    "p3": "Low",
    "minor": "Low",
}


def replace(line: int, column: int, old: str, new: str, safety: str, message: str) -> Fix:
    """Replace ``old``, written at ``line``/``column``, by ``new``."""
    return Fix(safety, message, (Edit(line, column, line, column + len(old), new),))


def _word(text: str) -> str:
    """A table cell or field value as a word: emphasis, emoji and punctuation around it dropped."""
    return " ".join(re.sub(r"[^\w' -]+", " ", text.replace("’", "'")).split())


def vocabulary(line: int, column: int, written: str, choices: Sequence[str], aliases: dict[str, str]) -> Fix | None:
    """``written`` (at ``line``/``column``) as one of ``choices``: the same word in another case or spacing is safe,
    an alias (another word for one of them) unsafe; None when it is neither."""
    word = _word(written)
    spelled = {fold(c).replace("-", " ").replace("'", ""): c for c in choices}
    key = fold(word).replace("-", " ").replace("'", "")
    if key in spelled:
        return replace(line, column, written, spelled[key], SAFE, f"write `{spelled[key]}` as the template spells it")
    alias = aliases.get(fold(word))
    if alias is None:
        return None
    return replace(line, column, written, alias, UNSAFE, f"replace `{written}` by `{alias}` (check it means the same)")


def spelling(line: int, column: int, written: str, choices: Sequence[str]) -> Fix | None:
    """The word of ``written`` (at ``line``/``column``) in the template's spelling, when it is one of ``choices`` in another
    case or spacing (safe: the same word); emphasis, emoji and punctuation around it are kept. None otherwise."""
    start = next((i for i, c in enumerate(written) if c.isalnum()), None)
    end = next((len(written) - i for i, c in enumerate(reversed(written)) if c.isalnum()), None)
    if start is None or end is None:
        return None
    core = written[start:end]
    if _NOT_A_WORD.search(core.replace("\u2019", "'")):
        return None
    wanted = _spellings(tuple(choices)).get(_spelling_key(core))
    if wanted is None or wanted == core.replace("\u2019", "'"):
        return None
    return replace(line, column + start, core, wanted, SAFE, f"write `{wanted}` as the template spells it")


_NOT_A_WORD = re.compile(r"[^\w' -]")


@functools.lru_cache(maxsize=64)
def _spellings(choices: tuple[str, ...]) -> dict[str, str]:
    """Each of a vocabulary's ``choices`` by `_spelling_key` (made once per vocabulary: every action row asks)."""
    return {_spelling_key(choice): choice for choice in choices}


def _spelling_key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").replace("'", "").split())


def reword(line: int, column: int, phrase: str, new: str) -> Fix:
    """A blame phrase replaced by the blame pack's literal rewording of it (unsafe: new words for the author's)."""
    return replace(line, column, phrase, new, UNSAFE, f"replace `{phrase}` by `{new}` (check the sentence still says what happened)")


def relabel(line: int, column: int, label: str, wanted: str) -> Fix:
    """A header field's label (``**Date**:``, ``**Incident ID:**``) rewritten as the template writes it (safe: the
    same field under its template name and form)."""
    return replace(line, column, label, wanted, SAFE, f"write `{wanted}` as the template does")


def severity(line: int, column: int, raw: str) -> Fix | None:
    """``SEV 2``/``Sev2`` -> ``SEV-2`` (safe); ``P1``, ``S1``, ``Severity 1``, ``High`` -> a SEV level (unsafe)."""
    match = _SEVERITY_WORD.match(raw)
    if match is not None:
        level = f"SEV-{max(1, int(match['n']))}"
        safe = fold(match["word"]) == "sev" and match["n"] != "0"
        message = f"write `{level}` as the template spells it" if safe else f"replace `{match.group()}` by `{level}` (check the scale)"
        return replace(line, column, match.group(), level, SAFE if safe else UNSAFE, message)
    name = _word(raw).split(" ")[0] if _word(raw) else ""
    named = _SEVERITY_NAMES.get(fold(name))
    if named is None or not raw.startswith(name):
        return None
    return replace(line, column, name, named, UNSAFE, f"replace `{name}` by `{named}` (check the scale)")


def duration(line: int, column: int, raw: str, minutes: int) -> Fix:
    """The Duration field recomputed from the Time range."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    parts += [f"{rest} minute{'s' if rest != 1 else ''}"] if rest or not hours else []
    text = " ".join(parts)
    return replace(line, column, raw, text, UNSAFE, f"set the duration to `{text}`, as the time range says")


def incident_number(line: int, column: int, raw: str, number: str) -> Fix:
    """The incident number replaced by one recomputed from the incident date (and the next free sequence)."""
    return replace(line, column, raw, number, UNSAFE, f"set the incident number to `{number}` (update where it is cited)")


def renumbered_incident(doc: PostMortem, field: Field, incident: Incident | None, width: int) -> Fix | None:
    """PM203's fix: the number from the incident date (the field, else the file name) and its sequence (1 when none;
    a number another post-mortem holds is then PM701's to renumber)."""
    date = parse_date(doc.fields["date"].value) if "date" in doc.fields else None
    date = date or filename_date(PurePosixPath(doc.path).name) or (incident.date if incident else None)
    if date is None or field.raw != field.value:
        return None
    number = f"INC-{date.isoformat()}-{(incident.sequence if incident else 1) % 10**width or 1:0{width}d}"
    return incident_number(field.line, field.column, field.raw, number)


def redated_incident(field: Field, date: dt.date) -> Fix | None:
    """PM206's fix: the incident number with the incident's date, its sequence kept."""
    if field.raw != field.value:
        return None
    number = f"INC-{date.isoformat()}-{field.value.rsplit('-', 1)[-1]}"
    return incident_number(field.line, field.column, field.raw, number)


def next_incident(summary: Summary, taken: Iterable[str], width: int) -> Fix | None:
    """PM701's fix (on every holder of a number but the first by path): the next number free on that date."""
    incident = parse_incident(summary.incident)
    if incident is None or incident.date is None:
        return None
    prefix = f"INC-{incident.date.isoformat()}-"
    used = [parsed.sequence for number in taken if number.startswith(prefix) and (parsed := parse_incident(number))]
    number = f"{prefix}{max(used, default=0) + 1:0{width}d}"
    return incident_number(summary.incident_line, summary.incident_column, summary.incident, number)


def redact(line: int, column: int, end_column: int) -> Fix:
    return Fix(
        UNSAFE,
        f"replace the secret by `{REDACTED}` (recommended; revoke it too: it stays in the git history)",
        (Edit(line, column, line, end_column, REDACTED),),
    )


def tracker(name: str) -> Fix:
    """PM703's fix acts on the tracker file, not on the document: it has no edits."""
    return Fix(SAFE, f"bring {name} in sync with the post-mortems (as `pmlint track`)")


def free_ids(items: Iterable[str], width: int = 3) -> Iterator[str]:
    """Action-item ids after the highest ``AI-NNN`` of ``items``, in order."""
    numbers = [int(m[1]) for i in items if (m := re.fullmatch(r"AI-(\d+)", i))]
    after = max(numbers, default=0)
    while True:
        after += 1
        yield f"AI-{after:0{width}d}"


def renumber(line: int, column: int, ident: str, new: str) -> Fix:
    return replace(line, column, ident, new, UNSAFE, f"renumber the repeated `{ident}` to `{new}` (update where it is cited)")


def move_lines(doc: PostMortem, start: int, end: int, before: int, name: str, before_name: str) -> Fix | None:
    """Lines ``start`` up to ``end`` (exclusive: the next section's heading, or past the last line) moved, byte for
    byte, to just before line ``before`` (PM302: a section before the first one the template puts after it)."""
    lines = doc.source.lines
    chunk = "\n".join(lines[start - 1 : end - 1])
    if end <= len(lines) or not chunk.endswith("\n"):
        chunk += "\n"
    if not chunk.strip():
        return None
    edits = (Edit(before, 1, before, 1, chunk), Edit(start, 1, end, 1, ""))
    return Fix(UNSAFE, f"move `{name}` before `{before_name}`", edits)


def insert_section(line: int, label: str, at_end: bool) -> Fix:
    """An empty ``label`` heading inserted at ``line`` (before the heading there; at the end: after the last line)."""
    text = f"\n{label}\n" if at_end else f"{label}\n\n"
    message = f"insert an empty `{label}` (to be written: the section-empty rule PM303 asks for its content)"
    return Fix(UNSAFE, message, (Edit(line, 1, line, 1, text),))


def sort_timeline(doc: PostMortem, table: Table, time_column: int, may_wrap: bool) -> Fix | None:
    """PM403's fix: the timeline's rows sorted by time (stable), each row's line kept byte for byte.

    Offered only when every row has a time, and either every row or none has a
    date, and no wrap past midnight is allowed: then the sorted order is the one
    the rule accepts.
    """
    stamps = [parse_stamp(row.cell(time_column).text) for row in table.rows]
    if may_wrap or not stamps or None in stamps or len({s[0] is None for s in stamps if s is not None}) != 1:
        return None
    rows = table.rows
    first, last = rows[0].line, rows[-1].line
    if last - first + 1 != len(rows):
        return None
    keys = [(s[0] or dt.date.min, s[1]) for s in stamps if s is not None]
    order = sorted(range(len(rows)), key=lambda i: keys[i])
    lines = [doc.source.line(r.line) for r in rows]
    text = "\n".join(lines[i] for i in order)
    return Fix(UNSAFE, "sort the timeline rows by time", (Edit(first, 1, last, len(lines[-1]) + 1, text),))
