"""Derive a template pack from a Markdown template: a team's copy of the seed rule file, or a plain skeleton.

What is read, and how (docs/templates.md, "A team's own template"):
- the template itself: the fenced block under a "Post-Mortem Structure" heading when
  there is one (nested fences inside it are paired), else the whole file;
- the title pattern from the H1 (`# Post-Mortem: [Incident Title]` → `Post-Mortem:`);
- header fields from `**Field:** value` / `**Field**: value` / `Field: value` lines
  before the first `##`, and from `## Field: value` headings; the value's shape gives the
  type (`INC-[YYYY-MM-DD]-[Number]`, `[YYYY-MM-DD]`, `[HH:MM] - [HH:MM] [Timezone]`,
  `[X hours Y minutes]`, names) and alternatives give a vocabulary
  (`Draft | Under Review | Final | Closed`, `[Draft/Final]`, `SEV-[1-4]`);
- sections from headings, levels kept, subsections nested; a heading ending in
  `(optional)` is optional; a heading with text after a parenthesis
  (`Timeline (all times PST) DATE RANGE`) becomes a pattern on its first words;
- tables from header rows, columns mapped to roles by their names;
- action items' forms from what the Action Items section holds (table, bullets, tasks);
- placeholders, illustrative examples and measures from the template's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from postmortem_lint.core import lazy
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.document.build import FIELD_ALIASES, build, flatten
from postmortem_lint.document.model import Code, Heading, ListBlock, Paragraph, PostMortem, Table
from postmortem_lint.document.source import from_text
from postmortem_lint.packs.templates.runtime import TABLE_ROLES, TemplateError, TemplatePack, from_data

STRUCTURE_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+post[- ]?mortem structure\b", re.I)
_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
_OPTIONAL = re.compile(r"[(\[] ?optional ?[)\]](?=\s*$)", re.I)
_BOLD_FIELD = re.compile(
    r"^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_:\n]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$"
)
_KEY_LINE = re.compile(r"^\s{0,3}(?P<label>[A-Z][A-Za-z ()/-]{0,40}?)\s*:\s*(?P<value>.*)$")
_HEADING_FIELD = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ()/-]{0,40}?)\s*:\s*(?P<value>.*)$")
_BRACKET = re.compile(r"\[([^\[\]\n]{1,80})\]")
_RANGE = re.compile(r"^(?P<head>.*?)\[(?P<low>\d)-(?P<high>\d)\](?P<tail>.*)$")

ROLE_NAMES = {
    "summary": ("executive summary", "summary", "issue summary", "incident summary", "overview"),
    "impact": ("impact", "the impact", "customer impact"),
    "timeline": ("timeline", "timeline of events", "incident timeline"),
    "root-cause": ("root cause", "root causes", "contributing factors", "cause of the problem", "cause"),
    "trigger": ("trigger", "triggers"),
    "detection": ("detection",),
    "response": ("response",),
    "resolution": ("resolution", "resolution and recovery", "recovery"),
    "lessons": ("lessons learned", "lessons learnt"),
    "actions": ("action items", "corrective actions", "corrective actions with owners", "action items followups", "follow ups"),
    "prevention": ("prevention measures", "prevention"),
    "related-incidents": ("related incidents",),
    "sign-off": ("sign off", "signoff", "approvals"),
    "attendees": ("attendees", "participants", "responders"),
    "metrics": ("metrics", "stats", "statistics"),
}
COLUMN_NAMES = {
    "time": ("time", "timestamp", "date time", "date/time", "when"),
    "event": ("event", "description", "what happened", "action impact", "activity"),
    "actor": ("actor", "who", "who what", "person"),
    "id": ("id", "no", "number", "#"),
    "action": ("action", "action item", "task", "item"),
    "owner": ("owner", "owners", "who", "assignee", "responsible"),
    "priority": ("priority",),
    "due": ("due date", "due", "deadline", "target date"),
    "status": ("status", "state"),
    "type": ("type",),
    "reference": ("bug", "bug #", "ticket", "reference", "link", "issue"),
    "role": ("role",),
    "name": ("name", "names"),
    "date": ("date",),
    "reviewed": ("reviewed", "signed", "approved", "sign off"),
    "metric": ("metric", "measure"),
    "value": ("value", "time", "result"),
}
FIELD_WORDS = frozenset({"owner", "owners", "level", "priority", "lead", "incident lead", "authors", "author s", "by", "reporter"})
"""Labels that make a `## Label: value` heading a field even when its value has no digits or brackets."""
KNOWN_SCALES = (
    ("High", "Medium", "Low"),
    ("Critical", "High", "Medium", "Low"),
    ("P0", "P1", "P2", "P3", "P4"),
    ("Open", "In Progress", "Blocked", "Done", "Closed", "Won't Do"),
)
_FINISHED = re.compile(r"^(?:done|closed|complete[d]?|won'?t do|cancell?ed|resolved|fixed)$", re.I)
_DRAFT = re.compile(r"draft", re.I)
_FINAL = re.compile(r"^(?:final|closed|complete[d]?|published|approved)$", re.I)
_MEASURES = (
    ("time-to-detect", re.compile(r"\b(?:time to detect(?:ion)?|ttd|detection time)\b", re.I)),
    ("time-to-mitigate", re.compile(r"\b(?:time to mitigate|ttm|mitigation time|time to recovery)\b", re.I)),
    ("time-to-resolve", re.compile(r"\b(?:time to resolve|resolution time)\b", re.I)),
)


def derive(text: str, origin: str, name: str | None = None) -> TemplatePack:
    """The pack a Markdown template describes; `TemplateError` (``file:line: problem``) when it describes none."""
    return from_data(lazy.load("postmortem_lint.packs.templates.schema").compile_data(derive_data(text, origin, name), origin))


def derive_data(text: str, origin: str, name: str | None = None) -> dict[str, Any]:
    """The pack as raw data, shaped like a YAML pack file (`schema.compile_data` validates it)."""
    source = from_text(text)
    body = template_text(source.text)
    doc = build(origin, from_text(body))
    derived = _Derivation(doc, source.text, origin)
    data = derived.data(name or PurePosixPath(origin).stem or "custom")
    if not data["sections"] and not data["fields"]:
        raise TemplateError(f"{origin}:1: no template found: a template needs `## Section` headings or `**Field:** value` lines")
    return data


# -- the template inside a rule file -------------------------------------------------------------


def template_text(text: str) -> str:
    """The template part of ``text``, other lines blanked so that line numbers stay those of the file.

    In a rule file the template is the fenced block after a "Post-Mortem Structure"
    heading. Fences inside it are paired: one with an info string (```` ```bash ````)
    opens an inner block; a bare fence closes the inner block, or closes the template
    when it is followed by a heading of the rule file's level (or the end).
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if STRUCTURE_HEADING.match(line)), None)
    if start is None:
        return text
    level = len(lines[start].lstrip()) - len(lines[start].lstrip().lstrip("#"))
    opening = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), None)
    fence = _FENCE.match(lines[opening]) if opening is not None else None
    if opening is None or fence is None:
        return text
    close = _closing(lines, opening, fence["fence"], level)
    return "\n".join(line if opening < i < close else "" for i, line in enumerate(lines))


def _closing(lines: list[str], opening: int, outer: str, level: int) -> int:
    inner: str | None = None
    between = 0
    last_bare = len(lines)
    for i in range(opening + 1, len(lines)):
        match = _FENCE.match(lines[i])
        if match is None or match["fence"][0] != outer[0]:
            continue
        bare = not match["info"]
        if inner is not None:
            if bare and len(match["fence"]) >= len(inner):
                inner = None
            between += 1
            continue
        if bare and len(match["fence"]) >= len(outer):
            last_bare = i
            if between % 2 == 0 and _heading_or_end(lines, i + 1, level):
                return i
            inner = match["fence"]
        else:
            inner = match["fence"]
        between += 1
    return last_bare


def _heading_or_end(lines: list[str], start: int, level: int) -> bool:
    following = next((line for line in lines[start:] if line.strip()), None)
    if following is None:
        return True
    hashes = len(following) - len(following.lstrip("#"))
    return 1 <= hashes <= level and following[hashes : hashes + 1] == " "


# -- derivation ------------------------------------------------------------------------------------


def _without_closing_aside(text: str) -> str:
    r"""``text`` without a closing parenthetical aside (``Time to detect (TTD)`` -> ``Time to detect``).

    The same as ``re.sub(r"\s*\([^)]*\)\s*$", "", text)``, without the pattern's quadratic
    backtracking on long runs of ``(`` or of spaces.
    """
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return text
    body = stripped[:-1]
    opener = body.find("(", body.rfind(")") + 1)
    return text if opener < 0 else text[:opener].rstrip()


class _Derivation:
    """One template being read; `data()` assembles the pack."""

    def __init__(self, doc: PostMortem, full_text: str, origin: str) -> None:
        self.doc = doc
        self.full_text = full_text
        self.origin = origin
        self.vocabularies: dict[str, dict[str, Any]] = {}
        self.alternatives: list[str] = []
        self.roles: set[str] = set()
        self.field_where: set[str] = set()
        self.placed: list[tuple[Heading, dict[str, Any], int | None, bool]] = []
        """Each section's heading, entry, the line where its content ends, and whether it is top-level."""

    def data(self, name: str) -> dict[str, Any]:
        fields = self.fields()
        sections, tables = self.sections_and_tables()
        data: dict[str, Any] = {
            "name": name,
            "description": f"Derived from {self.origin}.",
            "title": self.title(),
            "header-area": "preamble" if self.field_where <= {"bold-line", "key-line"} else "until-first-section",
            "fields": fields,
            "sections": sections,
            "tables": tables,
            "vocabularies": self.vocabularies,
            "placeholders": self.placeholders(),
            "examples": self.examples(),
            "measures": self.measures(),
            "incident-date": self.dates(fields),
        }
        actions = self.actions(tables)
        if actions is not None:
            data["actions"] = actions
        return data

    # title ------------------------------------------------------------------------------
    def title(self) -> dict[str, Any]:
        heading = self.doc.title
        if heading is None:
            return {"required": False}
        text = strip_inline(heading.text)
        cut = min([m.start() for m in (_BRACKET.search(text), re.search(r"<[^>]+>", text)) if m] + [len(text)])
        prefix = text[:cut].strip()
        if not prefix or cut == len(text) or not prefix.endswith(":"):
            return {"example": f"# {text}"}
        words = [re.escape(w) for w in re.split(r"[\s-]+", prefix.rstrip(":").strip()) if w]
        return {"pattern": "[- ]?".join(words) + r"\s*:\s*(?P<title>.*)", "example": f"# {prefix} <title>"}

    # fields -----------------------------------------------------------------------------
    def fields(self) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        labels: set[str] = set()
        for written, value, form in self._field_lines():
            optional = bool(_OPTIONAL.search(written)) or "(optional)" in value.casefold()
            label = _OPTIONAL.sub("", written).strip()
            key = FIELD_ALIASES.get(heading_key(label), heading_key(label).replace(" ", "_"))
            if not key or key in found or heading_key(label) in labels:
                continue
            labels.add(heading_key(label))
            self.field_where.add(form)
            where = {"heading": ["heading"], "section": ["section", "bold-line", "key-line", "heading"]}.get(
                form, ["bold-line", "key-line"]
            )
            entry: dict[str, Any] = {"name": label, "key": key, "where": where}
            entry.update(self._field_type(key, label, value))
            if optional:
                entry["required"] = False
            found[key] = entry
        return list(found.values())

    def _field_lines(self) -> Iterator[tuple[str, str, str]]:
        doc = self.doc
        stop = next((b.line for b in doc.blocks if isinstance(b, Heading) and b.level >= 2), None)
        for block in flatten(doc.preamble):
            if isinstance(block, Paragraph) and (stop is None or block.line < stop):
                for number in range(block.line, block.end_line + 1):
                    line = doc.source.line(number)
                    match = _BOLD_FIELD.match(line)
                    if match:
                        yield match["label"].strip(), match["value"].strip(), "bold-line"
                        continue
                    plain = _KEY_LINE.match(line)
                    if plain and len(plain["label"].split()) <= 4:
                        yield plain["label"].strip(), plain["value"].strip(), "key-line"
        for index, block in enumerate(doc.blocks):
            if isinstance(block, Heading) and block.level >= 2 and _field_heading(block):
                match = _HEADING_FIELD.match(strip_inline(block.text))
                assert match is not None
                yield match["label"].strip(), match["value"].strip(), "heading"
            elif isinstance(block, Heading) and block is not doc.title and _field_section(doc, index):
                following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
                value = following.text if isinstance(following, Paragraph) else ""
                yield strip_inline(block.text).rstrip(": "), value, "section"

    def _field_type(self, key: str, label: str, value: str) -> dict[str, Any]:
        plain = value.strip()
        folded = heading_key(label)
        if (re.search(r"YYYY-MM-DD", plain) and re.match(r"^[A-Za-z]+-", plain)) or "incident number" in folded or folded == "incident id":
            return {"type": "incident-number", "pattern": _incident_pattern(plain), "hint": plain.replace("[", "").replace("]", "")}
        if re.search(r"HH:MM.*HH:MM", plain):
            return {"type": "clock-range", "hint": "HH:MM - HH:MM <timezone>"}
        if key == "duration" or (re.search(r"\b(?:hours?|minutes?)\b", plain, re.I) and "[" in plain):
            return {"type": "duration"}
        if key in ("author", "owner") or re.search(r"\bnames?\b", plain, re.I):
            return {"type": "people"}
        terms = _alternatives(plain)
        if terms:
            self.alternatives.append(plain)
            return self._vocabulary_field(key, terms, plain)
        if "YYYY-MM-DD" in plain or key == "date" or folded.endswith(" date"):
            return {"type": "date", "date-formats": ["iso"] if "YYYY-MM-DD" in plain else ["iso-in-text", "month-name"]}
        return {}

    def _vocabulary_field(self, key: str, terms: list[str], written: str) -> dict[str, Any]:
        name = key.replace("_", "-")
        entry: dict[str, Any] = {"values": terms}
        if re.search(r"\[\d-\d\]", written):
            entry["suffix"] = True
        if key == "status":
            entry["drafts"] = [t for t in terms if _DRAFT.search(t)]
            entry["final"] = [t for t in terms if _FINAL.match(t)]
        self.vocabularies[name] = entry
        return {"type": "vocabulary", "vocabulary": name, "hint": " | ".join(terms)}

    # sections and tables -----------------------------------------------------------------------
    def sections_and_tables(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        blocks = self.doc.blocks
        headings = [
            b
            for i, b in enumerate(blocks)
            if isinstance(b, Heading) and b is not self.doc.title and not _field_heading(b) and not _field_section(self.doc, i)
        ]
        roots: list[dict[str, Any]] = []
        stack: list[tuple[int, dict[str, Any], Heading]] = []
        tables: dict[str, Any] = {}
        for index, heading in enumerate(headings):
            entry = self._section(heading)
            if entry is None:
                continue
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            siblings = stack[-1][1].setdefault("subsections", []) if stack else roots
            if any(heading_key(s["name"]) == heading_key(entry["name"]) for s in siblings):
                continue
            siblings.append(entry)
            top = not stack
            stack.append((heading.level, entry, heading))
            end = headings[index + 1].line if index + 1 < len(headings) else None
            later = [h.line for h in headings[index + 1 :] if h.level <= heading.level]
            self.placed.append((heading, entry, later[0] if later else None, top))
            self._content(entry, heading, end, tables, [s[1] for s in stack])
        return roots, tables

    def _section(self, heading: Heading) -> dict[str, Any] | None:
        text = strip_inline(heading.text)
        optional = bool(_OPTIONAL.search(text))
        text = _OPTIONAL.sub("", text).strip()
        entry: dict[str, Any] = {"name": text, "level": heading.level}
        stripped = re.sub(r"(?<!\s)\s*\([^()]*\)\s*$", "", text)
        if "(" in stripped or _BRACKET.search(stripped) or re.search(r"\b[A-Z]{2,}(?: [A-Z]{2,})+\b", stripped):
            first = re.split(r"[(\[]|\b[A-Z]{2,}(?: [A-Z]{2,})+\b", stripped)[0].strip(" .:-")
            if not heading_key(first):
                return None
            entry = {"name": first, "pattern": re.escape(heading_key(first)) + r"\b", "level": heading.level}
        if not heading_key(entry["name"]):
            return None
        if optional:
            entry["required"] = False
        role = next((r for r, names in ROLE_NAMES.items() if heading_key(entry["name"]) in names and r not in self.roles), None)
        if role:
            entry["role"] = role
            self.roles.add(role)
        return entry

    def _content(
        self, entry: dict[str, Any], heading: Heading, end: int | None, tables: dict[str, Any], path: list[dict[str, Any]]
    ) -> None:
        blocks = [b for b in self.doc.blocks if heading.line < b.line and (end is None or b.line < end)]
        text = " ".join(b.text for b in flatten(blocks) if isinstance(b, Paragraph))
        sentences = re.search(r"(\d)\s*[-–]\s*(\d)\s+sentences?", text)
        if sentences:
            entry["sentences"] = [int(sentences[1]), int(sentences[2])]
        quantified = re.search(r"(?:\*\*|__)(?P<label>[^*_\n]{1,40}?):?(?:\*\*|__):?\s*\[[^\]]*percent[^\]]*\]", text, re.I)
        if quantified:
            entry["quantified"] = quantified["label"].strip()
        whys = [
            i
            for b in blocks
            if isinstance(b, ListBlock) and b.ordered
            for i in b.items
            if re.search(r"\bwhy\b.*\?", strip_inline(i.text), re.I)
        ]
        if len(whys) >= 3:
            entry["whys"] = len(whys)
        tasks = [i for b in flatten(blocks) if isinstance(b, ListBlock) for i in b.items if i.checked is not None]
        if tasks and re.search(r"checklist|criteria", entry["name"], re.I):
            entry["checklist"] = True
        for table in (b for b in blocks if isinstance(b, Table)):
            self._table(table, entry, path, tables)

    def _table(self, table: Table, entry: dict[str, Any], path: list[dict[str, Any]], tables: dict[str, Any]) -> None:
        role = next((e.get("role") for e in reversed(path) if e.get("role") in TABLE_ROLES), None)
        kind = role if role in TABLE_ROLES else _table_kind(table)
        if kind is None or kind in tables:
            return
        columns, complete = [], True
        used: set[str] = set()
        for index, header in enumerate(table.columns):
            column_role = next((r for r in TABLE_ROLES[kind] if r not in used and heading_key(header) in COLUMN_NAMES.get(r, ())), None)
            if column_role is None:
                complete = False
                continue
            used.add(column_role)
            columns.append(self._column(kind, column_role, header, [row.cell(index).text for row in table.rows]))
        if not columns:
            return
        header = "prefix" if kind == "timeline" else "exact" if complete else "roles"
        spec: dict[str, Any] = {"section": entry.get("role") or entry["name"], "header": header, "columns": columns}
        if kind == "sign-off":
            spec["required"] = False
        if kind == "actions" and table.rows:
            spec["min-rows"] = 1
        tables[kind] = spec

    def _column(self, kind: str, role: str, header: str, cells: list[str]) -> dict[str, Any]:
        column: dict[str, Any] = {"role": role, "name": strip_inline(header)}
        if role == "time":
            column["type"] = "timestamp"
        elif role in ("due", "date") and kind != "metrics":
            column["type"] = "date"
        elif role in ("owner", "actor", "name"):
            column["type"] = "people"
        if kind == "timeline" and role in ("event", "actor"):
            column["filled"] = True
        if role == "id":
            ids = [c for c in cells if re.fullmatch(r"[A-Z]{1,6}-\d+", c.strip())]
            if ids:
                prefix, digits = ids[0].strip().rsplit("-", 1)
                column.update(type="id", pattern=f"{re.escape(prefix)}-\\d{{{len(digits)},}}")
        if role in ("priority", "status") and kind == "actions":
            values = [strip_inline(c) for c in cells if strip_inline(c) and not _BRACKET.search(c)]
            if values:
                name = "priority" if role == "priority" else "action-status"
                scale = _scale(values)
                vocabulary: dict[str, Any] = {"values": scale}
                if role == "status":
                    vocabulary["finished"] = [v for v in scale if _FINISHED.match(v)]
                self.vocabularies.setdefault(name, vocabulary)
                column.update(type="vocabulary", vocabulary=name)
        return column

    # actions ------------------------------------------------------------------------------
    def actions(self, tables: dict[str, Any]) -> dict[str, Any] | None:
        if "actions" not in self.roles:
            return None
        section = next(((h, end) for h, entry, end, _top in self.placed if entry.get("role") == "actions"), None)
        forms: list[str] = []
        owner_forms: list[str] = []
        if "actions" in tables:
            forms.append("table")
        items = list(self._items(section)) if section else []
        if any(i.checked is None for i in items):
            forms.append("bullets")
        if any(i.checked is not None for i in items):
            forms.append("tasks")
        for item in items:
            text = strip_inline(item.text)
            if re.search(r"\[[^\]]+\]\s*$", item.text) and "bracket" not in owner_forms:
                owner_forms.append("bracket")
            if re.search(r"\bowner\s*:", text, re.I) and "owner-label" not in owner_forms:
                owner_forms.append("owner-label")
            if re.search(r"(?<![\w.])@\w", text) and "mention" not in owner_forms:
                owner_forms.append("mention")
        columns = {c["role"] for c in tables.get("actions", {}).get("columns", [])}
        data: dict[str, Any] = {
            "section": "actions",
            "forms": forms or ["bullets", "tasks"],
            "owner": "required" if "owner" in columns or owner_forms else "optional",
            "due": "required" if "due" in columns else "optional",
            "owner-forms": owner_forms or ["owner-label", "parenthesis", "mention"],
            "due-forms": ["due-label", "parenthesis"],
        }
        id_column = next((c for c in tables.get("actions", {}).get("columns", []) if c["role"] == "id" and c.get("pattern")), None)
        if id_column:
            data["id-pattern"] = id_column["pattern"]
        statuses = self.vocabularies.get("action-status")
        if statuses:
            values = [v if isinstance(v, str) else v["value"] for v in statuses["values"]]
            data["open-status"] = next((v for v in values if not _FINISHED.match(v)), values[0])
            data["done-status"] = next((v for v in values if _FINISHED.match(v)), values[-1])
        return data

    def _items(self, section: tuple[Heading, int | None]) -> Iterator[Any]:
        heading, end = section
        for block in self.doc.blocks:
            if isinstance(block, ListBlock) and heading.line < block.line and (end is None or block.line < end):
                yield from block.items

    # placeholders, examples, measures, dates ----------------------------------------------------------
    def placeholders(self) -> dict[str, Any]:
        text = "\n".join(line for line in self.doc.source.lines)
        patterns: list[str] = []
        prefilter: list[str] = []
        if _BRACKET.search(text):
            patterns.append(r"(?<!\])\$?\[(?!\s?\]|[xX]\]|INC-|\^|!|\d+\])([^\[\]\n]{1,80})\](?![(\[:])")
            prefilter.append("[")
        stamps = [s for s in ("HH:MM", "YYYY-MM-DD") if s in text]
        if stamps:
            patterns.append(r"\b(?:" + "|".join(stamps) + r")\b")
            prefilter.extend(stamps)
        for written in dict.fromkeys(self.alternatives):
            literal = strip_inline(written)
            if "|" in literal and not _BRACKET.search(literal):
                patterns.append(re.escape(literal).replace("\\ ", " "))
                prefilter.append(literal[:20])
        choices = sorted(set(re.findall(r"\b[A-Z][a-z]+(?:/[A-Z][a-z]+)+\b", text)))
        if choices:
            patterns.append(r"\b(?:" + "|".join(re.escape(c) for c in choices) + r")\b")
            prefilter.extend(choices)
        return {"patterns": patterns, "prefilter": prefilter}

    def examples(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for block in flatten(self.doc.blocks):
            if isinstance(block, Code):
                lines = [line.strip() for line in block.text.split("\n") if len(line.strip()) >= 12 and not line.strip().startswith("#")]
                groups.setdefault("code", []).extend(lines)
            elif isinstance(block, ListBlock) and block.ordered:
                for item in block.items:
                    answer = re.search(r"(?:→|->)\s*(?:because\s+(?:of\s+)?)?(?P<why>.{12,})$", strip_inline(_item_text(item)), re.I)
                    if answer and not _BRACKET.search(answer["why"]):
                        groups.setdefault("five-whys", []).append(answer["why"].strip())
        checklists = [(h.line, end) for h, entry, end, _top in self.placed if entry.get("checklist")]
        for block in flatten(self.doc.blocks):
            if isinstance(block, ListBlock) and not any(a < block.line and (b is None or block.line < b) for a, b in checklists):
                tasks = [strip_inline(i.text) for i in block.items if i.checked is not None and len(i.text) >= 12]
                groups.setdefault("lists", []).extend(t for t in tasks if not _BRACKET.search(t))
        actions = next((t for t in (b for b in self.doc.blocks if isinstance(b, Table)) if _table_kind(t) == "actions"), None)
        if actions is not None:
            index = next((i for i, c in enumerate(actions.columns) if heading_key(c) in COLUMN_NAMES["action"]), None)
            if index is not None:
                texts = [
                    r.cell(index).text for r in actions.rows if len(r.cell(index).text) >= 12 and not _BRACKET.search(r.cell(index).text)
                ]
                if texts:
                    groups["action-items"] = texts
        return {group: list(dict.fromkeys(phrases)) for group, phrases in groups.items() if phrases}

    def measures(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for heading, entry, end, top in self.placed:
            if not top:
                continue
            blocks = [b for b in self.doc.blocks if heading.line < b.line and (end is None or b.line < end)]
            for line in (line for b in flatten(blocks) if isinstance(b, Paragraph) for line in b.text.split("\n")):
                label = re.match(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>[A-Za-z][^*_:\n]{1,60}?)(?:\*\*|__)?\s*:", line)
                words = strip_inline(label["label"]) if label else ""
                for name, pattern in _MEASURES if words else ():
                    if pattern.search(words) and name not in found:
                        short = re.search(r"\(([A-Z]{2,4})\)", words)
                        labels = [_without_closing_aside(words).strip()] + ([short[1]] if short else [])
                        found[name] = {"labels": labels, "sections": [entry.get("role") or entry["name"]]}
        return found

    def dates(self, fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
        sources: list[dict[str, Any]] = []
        if any(f["key"] == "date" for f in fields):
            sources.append({"field": "date"})
        named = re.search(r"post-mortem-\[(?:YYYY-MM-DD|date)\]", self.full_text, re.I)
        sources.append({"file-name": r"post-mortem-(?P<date>\d{4}-\d{2}-\d{2})" if named else r"(?P<date>\d{4}-\d{2}-\d{2})"})
        return sources


def _field_heading(heading: Heading) -> bool:
    """A heading that states a field (`## Date: July 1, 2020`), not a section."""
    match = _HEADING_FIELD.match(strip_inline(heading.text))
    if not (match and match["value"].strip() and len(match["label"].split()) <= 3):
        return False
    label = heading_key(match["label"])
    return label in FIELD_ALIASES or label in FIELD_WORDS or bool(re.search(r"[\[\d]", match["value"]))


def _field_section(doc: PostMortem, index: int) -> bool:
    """A heading that names a field and holds at most its value: `### Date` with nothing below, `## Incident Lead:`."""
    heading = doc.blocks[index]
    assert isinstance(heading, Heading)
    text = strip_inline(heading.text)
    label = heading_key(text)
    if not (label in FIELD_ALIASES or label in FIELD_WORDS or (text.endswith(":") and len(label.split()) <= 3)):
        return False
    following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
    if following is None or isinstance(following, Heading):
        return True
    after = doc.blocks[index + 2] if index + 2 < len(doc.blocks) else None
    return (
        isinstance(following, Paragraph)
        and len(following.text) <= 60
        and "\n" not in following.text
        and (after is None or isinstance(after, Heading))
    )


def _item_text(item: Any) -> str:
    return " ".join(b.text for b in item.children if isinstance(b, Paragraph)) or item.text


def _table_kind(table: Table) -> str | None:
    """The table role whose column names the header uses most (two at least)."""
    keys = [heading_key(c) for c in table.columns]
    best, score = None, 1
    for kind, roles in TABLE_ROLES.items():
        hits = sum(any(k in COLUMN_NAMES.get(r, ()) for k in keys) for r in roles)
        if hits > score:
            best, score = kind, hits
    return best


def _incident_pattern(written: str) -> str:
    plain = written.replace("[", "").replace("]", "")
    prefix = re.match(r"^([A-Za-z]+)-", plain)
    head = re.escape(prefix.group(1)) if prefix else "INC"
    return head + r"-(?P<date>\d{4}-\d{2}-\d{2})-(?P<seq>\d+)"


def _alternatives(value: str) -> list[str]:
    """`Draft | Under Review | Final | Closed`, `[Draft/Final]`, `SEV-[1-4]` -> their values (empty when none)."""
    plain = strip_inline(value).strip()
    ranged = _RANGE.match(plain)
    if ranged and int(ranged["low"]) < int(ranged["high"]):
        return [f"{ranged['head']}{n}{ranged['tail']}".strip() for n in range(int(ranged["low"]), int(ranged["high"]) + 1)]
    inner = plain[1:-1] if plain.startswith("[") and plain.endswith("]") else plain
    for separator in ("|", "/"):
        parts = [p.strip() for p in inner.split(separator)]
        if len(parts) >= 2 and all(p and len(p.split()) <= 3 and not _BRACKET.search(p) for p in parts):
            if separator == "/" and inner is plain and " " in plain:
                continue
            return list(dict.fromkeys(parts))
    return []


def _scale(values: list[str]) -> list[str]:
    """The known scale holding every value seen (`High`, `Medium` -> High, Medium, Low), else the values."""
    folded = {v.casefold() for v in values}
    for scale in KNOWN_SCALES:
        if folded <= {s.casefold() for s in scale}:
            return list(scale)
    return list(dict.fromkeys(values))
