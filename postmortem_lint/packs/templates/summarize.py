"""A document's summary (`document.summary.Summary`) read through the run's template pack (`reader`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.core.facts import INCIDENT_REF, parse_duration
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.document.build import flatten
from postmortem_lint.document.measures import ROOT_CAUSE_CHARS, measures
from postmortem_lint.document.model import Paragraph, PostMortem
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundSection
from postmortem_lint.packs.templates.runtime import TemplatePack, Vocabulary

MEASURES = (("ttd_minutes", "time-to-detect"), ("ttm_minutes", "time-to-mitigate"))
"""Summary field -> the pack's measure that states it."""
_BOLD_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_\n]{1,60}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$")


def summarize(doc: PostMortem, pack: TemplatePack) -> Summary:
    """The summary of one document as ``pack`` reads it (pure).

    Fields by the pack's keys (the builder's own fields kept beside them), severity and
    status canonical through the pack's vocabularies (as written when they are not in
    them), action items from `reader.find_actions` (rows, bullets, task items), the
    incident date from `reader.incident_date`, measures, root cause and related
    incidents from the pack's measures and section roles.
    """
    reading = reader.read(doc, pack)
    found = reading.fields
    fields = {k: f.value for k, f in doc.fields.items()} | {k: f.value for k, f in found.items()}
    inc = found.get("incident_number") or doc.fields.get("incident_number")
    date = found.get("date") or doc.fields.get("date")
    title = doc.title.text.split(":", 1)[-1].strip() if doc.title else ""
    status_words = _words(pack, "status")
    status_text = fields.get("status", "")
    status = _canonical(status_words, status_text) if status_words else None
    day = reader.incident_date(doc, pack)
    facts = measures(doc)
    for key, name in MEASURES:
        stated = reader.find_measure(doc, pack, name)
        minutes = parse_duration(stated.value.rstrip(" .;")) if stated is not None else None
        if minutes is not None:
            facts[key] = minutes
    cause = reading.section("root-cause")
    if not facts["root_cause"] and cause is not None:
        facts["root_cause"] = _cause_text(doc, cause)
    return Summary(
        path=doc.path,
        title=title,
        title_line=doc.title.line if doc.title else 1,
        incident=inc.value if inc else "",
        incident_line=inc.line if inc else 1,
        incident_column=inc.column if inc else 1,
        date=fields.get("date", ""),
        status=status,
        status_text=status_text,
        severity=_severity(pack, fields.get("severity", "")),
        duration_minutes=parse_duration(fields.get("duration", "")),
        related=tuple(_related(doc, reading.section("related-incidents"))),
        actions=tuple(_actions(doc, pack)),
        fields=fields,
        date_line=date.line if date else 1,
        date_column=date.column if date else 1,
        draft=bool(status_words and status in status_words.drafts),
        incident_day=day.isoformat() if day else "",
        known=tuple(k for k in ("severity", "status") if _known(pack, k, fields.get(k, ""))),
        **facts,
    )


def _canonical(vocabulary: Vocabulary, text: str) -> str | None:
    return vocabulary.canonical(text) if text.strip() else None


def _words(pack: TemplatePack, key: str) -> Vocabulary | None:
    """The vocabulary of the field ``key`` (its own, else the one named like it)."""
    spec = pack.field(key)
    return pack.vocabulary(spec.vocabulary if spec is not None and spec.vocabulary else key)


def _known(pack: TemplatePack, key: str, text: str) -> bool:
    """A value the pack accepts: one of the field's vocabulary, or any text when the field has none."""
    words = _words(pack, key)
    return bool(text.strip() and (words is None or words.canonical(text)))


def _severity(pack: TemplatePack, text: str) -> str:
    """The severity as the pack's vocabulary names it (an alias counted under its value), else as written."""
    words = _words(pack, "severity")
    return (words.canonical(text) if words and text.strip() else None) or text


def _actions(doc: PostMortem, pack: TemplatePack) -> Iterator[ActionSummary]:
    words = pack.vocabulary("action-status")
    for item in reader.actions(doc, pack):
        status = strip_inline(item.status.text)
        canonical = words.canonical(status) if words and status.strip() else None
        yield ActionSummary(
            strip_inline(item.id.text),
            strip_inline(item.action.text),
            strip_inline(item.owner.text),
            strip_inline(item.priority.text),
            strip_inline(item.due.text),
            status,
            item.line,
            item.owner.column,
            item.due.column,
            unfinished=words.is_open(canonical) if words else None,
            form=item.form,
        )


def _cause_text(doc: PostMortem, section: FoundSection) -> str:
    """The primary cause as written (``**Primary Cause:**``), else the text of the pack's root-cause section."""
    primary = next((m["value"] for m in _bold_lines(section) if heading_key(m["label"]) == "primary cause"), "")
    if strip_inline(primary).strip():
        return _capped(strip_inline(primary))
    paragraphs = [b.text for b in flatten(section.blocks) if isinstance(b, Paragraph)]
    if section.heading is None and paragraphs:
        paragraphs[0] = _after_label(paragraphs[0])
    return _capped(strip_inline(" ".join(paragraphs)))


def _bold_lines(section: FoundSection) -> Iterator[re.Match[str]]:
    for block in flatten(section.blocks):
        if isinstance(block, Paragraph):
            yield from filter(None, map(_BOLD_LABEL.match, block.text.split("\n")))


def _after_label(text: str) -> str:
    """A section written as a bold paragraph (`**Root Causes**: text`): the text after its label."""
    head, sep, rest = text.partition(":")
    return rest.strip() if sep and len(head) <= 64 else text


def _capped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ROOT_CAUSE_CHARS else text[: ROOT_CAUSE_CHARS - 1].rstrip() + "…"


def header_readable(pack: TemplatePack) -> bool:
    """Whether `header_summary` sees what a full summary would for the cross-file rules: the incident number and
    date written as ``**Key:**``/``Key:`` lines before the first ``##`` under the seed's labels, and the date read from
    that field first. Other packs need the full build."""
    if pack.header_area != "preamble" or not pack.dates or (pack.dates[0].kind, pack.dates[0].value) != ("field", "date"):
        return False
    for key, label in (("incident_number", "incident number"), ("date", "date")):
        spec = pack.field(key)
        if spec is None or spec.section or not set(spec.where) <= {"bold-line", "key-line"}:
            return False
        if {heading_key(x) for x in spec.labels} != {label} or spec.date_formats != ("iso",):
            return False
    return True


def _related(doc: PostMortem, section: FoundSection | None) -> Iterator[tuple[str, int, int]]:
    """Incident references in the pack's related-incidents section: (number, line, column)."""
    if section is None:
        return
    for number in range(section.line + 1, section.end_line + 1):
        for match in INCIDENT_REF.finditer(doc.source.line(number)):
            yield match.group(0), number, match.start() + 1
