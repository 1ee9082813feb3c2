"""The scaffold's fill-in tokens (`[Name]`, `HH:MM`, `YYYY-MM-DD` …): what a placeholder is, for the rules and the report."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any

from postmortem_lint.core.text import fill_spans

PLACEHOLDER = re.compile(
    r"(?<!\])\$?\[(?!\s?\]|[xX]\]|INC-|\^|!|\d+\]|REDACTED\])([^\[\]\n]{1,80})\](?![(\[:])"
    r"|\b(?:HH:MM|YYYY-MM-DD)\b"
    r"|\b(?:Yes/No|None/Partial/Complete|Excellent/Good/Adequate/Poor)\b"
    r"|Draft \| Under Review \| Final \| Closed"
)
"""The scaffold's fill-in tokens. Links (inline and `[text][ref]`), task boxes, footnotes, [INC-…] references and
`[REDACTED]` (what PM408's fix leaves) are not."""
PLACEHOLDER_LITERALS = (
    *("[", "HH:MM", "YYYY-MM-DD", "Yes/No"),
    *("None/Partial/Complete", "Excellent/Good/Adequate/Poor", "Draft | Under Review"),
)
"""One of these is in every PLACEHOLDER match (a speed-only prefilter)."""

_INLINE_CODE = re.compile(r"`[^`\n]*`")


def placeholders(text: str) -> Iterator[re.Match[str]]:
    """Placeholder tokens in ``text``, skipping inline code spans and URLs."""
    if "[" not in text and "HH" not in text and "YYYY" not in text and "/" not in text and "|" not in text:
        return
    masked = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in PLACEHOLDER.finditer(masked):
        if "://" not in match.group(0):
            yield match


def is_placeholder(text: str) -> bool:
    """True when ``text`` is nothing but placeholders (``[Name]``, ``HH:MM``)."""
    stripped = PLACEHOLDER.sub("", text).strip(" *_`$")
    return bool(text.strip()) and not stripped


# --- what PM401 reads: a pack's slot tokens and the generic slot shapes, in prose only ----------


def pack_slots(pattern: re.Pattern[str], line: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(line)``, faster for a pack's slot tokens (the seed's start with a look-behind, which makes the
    regex engine try the whole pattern at every position of the line).

    A match can start only at a character that every match starts with (`_starts_of`), so the pattern is tried only
    there, with ``match``, which sees the line around that position as ``finditer`` does (look-behinds, `\\b`); after a
    match the search goes on at its end, as ``finditer``'s does. A pattern that may match empty, ignores case or may
    start anywhere is scanned plainly (a property test compares the two).
    """
    starts = _starts_of(pattern)
    if starts is None:
        yield from pattern.finditer(line)
        return
    at = 0
    while (hint := starts.search(line, at)) is not None:
        match = pattern.match(line, hint.start())
        if match is None:
            at = hint.start() + 1
        else:
            yield match
            at = match.end()


def _starts_of(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A class of the characters every match of ``pattern`` starts with, from its parsed form (None when unknown).

    Kept by the pattern's source and flags: a compiled pattern's hash hashes its whole compiled code (PM401 asks once
    a line)."""
    return _starts_in(pattern.pattern, pattern.flags)


@functools.lru_cache(maxsize=64)
def _starts_in(source: str, flags: int) -> re.Pattern[str] | None:
    if flags & re.IGNORECASE:
        return None
    chars, empty = _first(_parser.parse(source, flags))
    if chars is None or empty:
        return None
    return re.compile("[" + "".join(re.escape(char) for char in sorted(chars)) + "]")


_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)


def _first(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of the parsed sequence ``items`` may start with (None: unknown), and whether it may be empty."""
    chars: set[str] = set()
    for op, av in items:
        first, empty = _first_of(op, av)
        if first is None:
            return None, False
        chars |= first
        if not empty:
            return chars, False
    return chars, True


def _first_of(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    """`_first` of one parsed item; an assertion (`\\b`, a look-behind) takes no character."""
    if op is _constants.LITERAL:
        return {chr(av)}, False
    if op in _ZERO_WIDTH:
        return set(), True
    if op is _constants.IN:
        return _class(av), False
    if op is _constants.BRANCH:
        found = [_first(branch) for branch in av[1]]
        if any(chars is None for chars, _empty in found):
            return None, False
        return {char for chars, _empty in found for char in chars or ()}, any(empty for _chars, empty in found)
    if op is _constants.SUBPATTERN and not av[1] & re.IGNORECASE:
        return _first(av[3])
    if op is _constants.ATOMIC_GROUP:
        return _first(av)
    if op in _REPEATS:
        chars, empty = _first(av[2])
        return chars, empty or av[0] == 0
    return None, False


def _class(items: Any) -> set[str] | None:
    """The characters of a parsed character class of literals and small ranges (None for a negation or category)."""
    chars: set[str] = set()
    for op, av in items:
        if op is _constants.LITERAL:
            chars.add(chr(av))
        elif op is _constants.RANGE and av[1] - av[0] < 256:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:
            return None
    return chars


_SLOT_WORD = (
    r"name|names|date|dates|time|times|timestamp|timezone|number|amount|count|percentage|duration|description|describe"
    r"|descriptive|details?|summary|link|links|url|title|identifier|owner|owners|person|people|team|teams|insert|here"
    r"|fill|tbd|todo|placeholder|list|e\.g\.|x|n|who|what|when|where|why|how|which|author|authors|reviewer|approver|classification"
)
GENERIC = re.compile(
    r"\[(?P<bracket>[^\[\]\n]{1,80})\]"
    r"|<(?P<angle>[a-z][a-z0-9]*(?:[-_ ][a-z0-9]+){1,6}|(?:name|date|timezone|owner|team|service|value|number|id|user"
    r"|username|email|url|description|placeholder|tbd|todo|ticket|pr|commit|sha|hash|host|version))>"
    r"|\{\{\s*[A-Za-z_][\w.]{0,40}\s*\}\}"
    r"|(?<![\w*])_{4,}(?![\w*])"
    r"|(?<![^\s(\[|:])\?{3,}(?=$|[\s)\]|,.])"
    r"|\b(?:TBD|TBA|XXX)\b(?!-)|\b(?:Yes/No|Y/N)\b(?!/)"
    r"|(?i:\blorem ipsum\b|\bdescription here\b|\b(?:insert|add|your) [\w -]{1,30} here\b|\b\w+ goes here\b)"
)
"""Slot shapes in any template: bracketed slot words (`[Link to PR]`), angle slots (`<commit-before-fix>`),
`____` blanks, `???`, `TBD`/`XXX`, `lorem ipsum`, `description here`. A bracket is kept only when it reads
as a slot (`is_generic_slot`)."""
GENERIC_LITERALS = ("[", "<", "{{", "Yes/No", "Y/N", "____", "???", "TBD", "TBA", "XXX", "orem ipsum", "ORE", "here", "HERE", "Here")
"""One of these is in every GENERIC match, for the speed-only prefilter (case variants of `lorem`/`here`)."""
_BRACKET = re.compile(r"\[(?!\s*[xX]?\s*\])(?P<bracket>[^\[\]\n]{1,80})\]")
"""GENERIC's first alternative alone, less the task boxes (`[ ]`, `[x]`: `is_generic_slot` turns them down): the regex
engine skips straight to each `[` (GENERIC's `\b` and look-behinds make it try every position of the line)."""


def generic_slots(line: str) -> Iterator[re.Match[str]]:
    """``GENERIC.finditer(line)``, faster: a line that holds none of the other shapes' hints is searched for brackets only,
    and then without its task boxes.

    Every match of a shape other than the bracket holds one of its case-sensitive shapes' hints (`<…>`, `{{…}}`,
    `____`, `???`, the `TB` of `TBD`/`TBA`, `XXX`, the `/` of `Yes/No` and `Y/N`, asked one `in` at a time: a
    generator over them cost twice as much), or `lorem` or ` here` once
    lower-cased (IGNORECASE matches those letters to their upper-case forms only, which `str.lower` folds back).
    Without any of them GENERIC can match nothing but a bracket, and from each position it then finds what `_BRACKET`
    finds, with the same `bracket` group, but for the task boxes, inside which no other bracket can start (a property
    test compares the two).
    """
    if "<" in line or "{{" in line or "____" in line or "???" in line or "TB" in line or "XXX" in line or "/" in line:
        return GENERIC.finditer(line)
    lowered = line.lower()
    if " here" in lowered or "lorem" in lowered:
        return GENERIC.finditer(line)
    return _BRACKET.finditer(line)


_SLOTTY = re.compile(rf"(?i)(?:^|[\s/(])(?:{_SLOT_WORD})(?=$|[\s/),.:?-])|\b\w+ \d$|^\w+(?:/\w+){{2,}}\b|\.\.\.|…")
_OPTIONS = re.compile(r"^[A-Z][\w-]*(?:, [A-Z][\w-]*){2,}$")
_ALERT_STATES = re.compile(
    r"(?i)^(?:no data|alerting|ok|pending|firing(?::\d+)?|resolved|warn(?:ing)?|critical|triggered|alarm|error|info)$"
)
_ART = re.compile(r"[\u2500-\u259f]|^[\s#=*+.|<>~^-]*$")
_LEAD = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?(?:[*_`'\"]+)?$")


def is_generic_slot(content: str) -> bool:
    """True when bracketed ``content`` reads as a slot: a slot word, `Learning 1`, `A/B/C` or `A, B, C` choices, `…`."""
    if content.strip() in ("", "x", "X") or content.startswith(("^", "!", "INC-")):
        return False
    return bool(_SLOTTY.search(content) or _OPTIONS.match(content))


def not_a_slot(line: str, start: int, end: int) -> bool:
    """True when the bracket token at ``line[start:end]`` is not a placeholder by its shape or its neighbours.

    ``name[bot]`` and ``SQLSTATE[HY000]`` (a word just before), citations ``[[Ohn88]](…)`` (a bracket around),
    JSON and arrays (quotes, or only numbers), alert-title prefixes (``[FIRING] …``, ``[No Data] …``) and
    box-drawing or ASCII-art bars are not placeholders, nor ``[REDACTED]`` (what PM408's fix writes).
    """
    token = line[start:end]
    if not token.startswith(("[", "$[")):
        return False
    at = start + (1 if token.startswith("$") else 0)
    content = line[at + 1 : end - 1]
    before = line[at - 1] if at > 0 else " "
    after = line[end] if end < len(line) else " "
    if before.isalnum() or before in "[)" or after in "]([":
        return True
    if content == "REDACTED" or '"' in content or re.fullmatch(r"[\s\d.,:;+-]*", content) or re.match(r"^\s*,", content):
        return True
    if _ART.search(content):
        return True
    rest = line[end:].strip()
    return bool(_LEAD.match(line[:at]) and rest and (_ALERT_STATES.match(content) or content.isupper()))


_AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>", re.I)
_URL = re.compile(r"\bhttps?://[^\s<>()\[\]]+|(?<=\]\()[^)\n]*|^[ \t]*\[[^\]\n]+\]:[ \t].*$", re.M)
"""What `masked` blanks after code and autolinks: a URL, a link's target, a reference definition's line. `masked`
finds the same spans with the three patterns below, which the regex engine can search fast (~50 times faster on a
long document: this one's leading `\b` and look-behind make it try every position); tests check they agree."""
_URL_START = re.compile(r"https?://[^\s<>()\[\]]+")
"""A URL, where a word boundary comes before it (checked by hand: `\b` here would make the search slow)."""
_TARGET = re.compile(r"\]\(([^)\n]*)")
"""A link's target (group 1), unless a URL starts it: `_URL` takes the URL then, and the rest of the target stays."""
_REFERENCE = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t].*$", re.M)


def masked(text: str) -> str:
    """``text`` with HTML comments, inline code, autolinks, URLs and link targets blanked (newlines kept)."""

    def blank(match: re.Match[str]) -> str:
        found = match.group(0)
        return " " * len(found) if "\n" not in found else re.sub(r"[^\n]", " ", found)

    text = _without_comments(text)
    for pattern in (_INLINE_CODE, _AUTOLINK):
        text = pattern.sub(blank, text)
    spans = _link_spans(text)
    return fill_spans(text, [(start, end, " ") for start, end in spans]) if spans else text


def _link_spans(text: str) -> list[tuple[int, int]]:
    """The spans `_URL.sub` would blank in ``text``: URLs, link targets, reference definitions (none holds a newline)."""
    spans: list[tuple[int, int]] = []
    urls: dict[int, int] = {}
    at = 0
    while (found := _URL_START.search(text, at)) is not None:
        start = found.start()
        before = text[start - 1] if start else " "
        if before.isalnum() or before == "_":  # no word boundary: `\b` fails here; a URL may start further on
            at = start + 1
            continue
        spans.append(found.span())
        urls[start] = found.end()
        at = found.end()
    at = 0
    while (found := _TARGET.search(text, at)) is not None:
        if found.start(1) in urls:  # the URL is taken, and the search goes on after it, as `_URL`'s does
            at = urls[found.start(1)]
            continue
        spans.append(found.span(1))
        at = found.end()
    if "]:" in text:
        spans.extend(m.span() for m in _REFERENCE.finditer(text))
    return spans


def _without_comments(text: str) -> str:
    """``text`` with each closed HTML comment blanked, newlines kept, in linear time (`<!--.*?-->` is quadratic
    on a run of unclosed `<!--`)."""
    if "<!--" not in text:
        return text
    parts: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) >= 0 and (closing := text.find("-->", opening + 4)) >= 0:
        parts.append(text[start:opening])
        parts.append(re.sub(r"[^\n]", " ", text[opening : closing + 3]))
        start = closing + 3
    parts.append(text[start:])
    return "".join(parts)
