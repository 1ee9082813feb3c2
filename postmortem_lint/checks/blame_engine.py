"""Blame-language engine behind PM601 (blame-phrase) and PM602 (blamed-person).

The pack `rules/blame.yaml` has three parts. Its *phrases* are blame words whoever they
are about ("human error", "careless", "X's fault"): PM601. Its *families* are blame
that needs a subject ("ignored the page", "forgot to", "was exhausted", "was fired",
"dropped the ball"); `postmortem_lint.checks.blame_grammar` reads the sentence around each one
and says who is blamed: a person the document names, a role, a team, "someone"
(PM602), or an unnamed person behind a passive (PM601). A machine as the subject is
never blame. Its *lexicon* holds the words those subjects are recognised by.

Both work on prose as the parser hands it over, inline Markdown included. Inline code,
URLs, HTML comments and log lines are blanked out first (same length, so offsets still
index the original text), and a blank line between blocks becomes a break nothing reads
across. Blame inside a quotation, a negation ("No one was careless", "Human error does
not explain this") or a list of options ("Cause: code | human error") is not reported
(`postmortem_lint.checks.blame_scopes`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from postmortem_lint.checks import blame_grammar as grammar
from postmortem_lint.checks import blame_scopes as scopes
from postmortem_lint.checks import blame_shapes as shapes
from postmortem_lint.core import regexes
from postmortem_lint.core.dialect import WORD, bounded
from postmortem_lint.core.text import LOWER_TO_ASCII, fill_spans
from postmortem_lint.packs.phrases import Phrase


class BlameHit(NamedTuple):
    """One piece of blame language: ``text[start:end]`` is the offending phrase.

    ``message`` names what is judged (and who, for PM602); ``suggestion`` is a
    systems-focused rewrite; ``entry`` is the id of the phrase or family that matched.
    """

    start: int
    end: int
    code: str
    message: str
    suggestion: str
    entry: str = ""


class _Matcher(NamedTuple):
    """A regex tried only near its keywords (anywhere when it has none)."""

    regex: re.Pattern[str]
    keywords: frozenset[str]
    before: int = 90
    after: int = 90

    def finditer(self, doc: _Doc) -> Iterator[re.Match[str]]:
        if not self.keywords:
            yield from self.regex.finditer(doc.masked)
            return
        present = self.keywords & doc.found.keys()
        for lo, hi in _windows(doc, present, self.before, self.after) if present else ():
            yield from self.regex.finditer(doc.masked, lo, hi)


class BlamePack:
    """The compiled pack: one regex per phrase, gated by its keywords, and the grammar."""

    __slots__ = ("allowed", "by_keyword", "grammar", "keywords", "matchers", "phrases", "ungated")

    def __init__(self, phrases: Sequence[Phrase], rules: grammar.Grammar, allow: Iterable[str] = ()) -> None:
        allowed = frozenset(_normalise(item) for item in allow)
        self.phrases = tuple(p for p in phrases if p.id not in allowed)
        self.allowed = allowed
        self.matchers = tuple(_Matcher(regexes.compile(*_pattern(p)), frozenset(p.keywords)) for p in self.phrases)
        self.ungated = frozenset(i for i, p in enumerate(self.phrases) if not p.keywords)
        self.by_keyword: dict[str, set[int]] = {}
        for i, phrase in enumerate(self.phrases):
            for word in phrase.keywords:
                self.by_keyword.setdefault(word, set()).add(i)
        self.grammar = rules
        self.keywords = frozenset(self.by_keyword) | self.grammar.triggers
        """The words a phrase or a predicate can start with: the scanner looks for these."""

    def patterns(self) -> list[tuple[str, int]]:
        """(pattern, flags) of every regex the pack compiles: its phrases', and its grammar's forms' on first use."""
        forms = (self.grammar.pattern(i, bounded) for i in range(len(self.grammar.forms)))
        return [*(_pattern(p) for p in self.phrases), *forms]

    def hits(self, doc: _Doc) -> Iterator[BlameHit]:
        """PM601 phrase hits in a prepared document."""
        active = self.ungated.union(*(self.by_keyword[w] for w in doc.found.keys() & self.by_keyword.keys()))
        for i in sorted(active):
            phrase = self.phrases[i]
            for m in self.matchers[i].finditer(doc):
                message = f'blame language "{_normalise(m.group())}" {phrase.message}'
                yield BlameHit(m.start(), m.end(), "PM601", message, phrase.suggestion, phrase.id)


def _pattern(phrase: Phrase) -> tuple[str, int]:
    return bounded(phrase.pattern), re.IGNORECASE


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


# --- scanning --------------------------------------------------------------------------


def scan(text: str, people: Iterable[str], pack: BlamePack) -> list[BlameHit]:
    """Blame language in one piece of prose, sorted by offset; offsets index ``text``."""
    roster = _roster(tuple(sorted(set(people))))
    base = _wanted(pack.keywords, pack.grammar.person_words)
    doc = _prepare(text, base, roster.words - base)
    if not doc.found and not pack.ungated:
        return []
    sentences = scopes.Sentences(doc.masked)
    finder = shapes.Finder(pack.grammar, roster, sentences, text)
    phrase_hits = [h for h in pack.hits(doc) if not _excused(finder, h, pack)]
    family_hits = [BlameHit(*h) for h in finder.hits(doc.found, bounded) if not _allowed(doc.masked, h.start, h.end, h.family, pack)]
    return sorted(_disjoint([*family_hits, *phrase_hits]), key=_offset)


@functools.lru_cache(maxsize=16)
def _wanted(keywords: frozenset[str], person_words: frozenset[str]) -> frozenset[str]:
    """The words the scanner looks for in every document (a union of ~1,500 words, made once per pack)."""
    return keywords | person_words


def _offset(hit: BlameHit) -> tuple[int, str]:
    return hit.start, hit.code


def _disjoint(hits: Sequence[BlameHit]) -> list[BlameHit]:
    """Drop hits overlapping an earlier one; PM602 first, then the longest."""
    kept: list[BlameHit] = []
    for hit in sorted(hits, key=lambda h: (h.code != "PM602", h.start - h.end, h.start)):
        if all(hit.end <= k.start or k.end <= hit.start for k in kept):
            kept.append(hit)
    return kept


class _Doc(NamedTuple):
    masked: str
    found: dict[str, list[int]]
    """Where each wanted word that the text holds stands alone (lowered), in order."""


_WORD = WORD
"""A word of the text, as the pack's keywords are written (`core.dialect.WORD`)."""
# Words are found in bytes: non-ASCII characters become "?" (one each, so offsets hold) and the
# table keeps a-z, lowers A-Z and makes everything else a space. Only two characters lower to
# an ASCII letter; a text holding one is lowered by str.lower() first.
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else c + 32 if 65 <= c <= 90 else 32 for c in range(256))


def _lowered(text: str) -> str:
    """``text.lower()``, keeping a character whose lowercase is longer (same length as ``text``)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower


def _prepare(text: str, wanted: frozenset[str], also: frozenset[str] = frozenset()) -> _Doc:
    """``text`` masked, with where the ``wanted`` words and the words ``also`` (a-z only, none of
    them wanted: the document's people) stand alone in it, lowered."""
    masked = _mask(text).replace("\n\n", "\n" + scopes.BLOCK_BREAK)
    special = any(c in masked for c in LOWER_TO_ASCII)
    raw = (_lowered(masked) if special else masked).encode("ascii", "replace")
    letters = raw.translate(_LETTERS_ONLY).decode("ascii")
    words, spaced = letters.split(), f" {letters} "
    found = _occurrences(words, spaced, wanted)
    if also:
        found.update(_each_found(spaced, also) if len(also) <= _FEW else _occurrences(words, spaced, also))
    if special or (not masked.isascii() and _foreign_letter(masked, raw)):
        found = _apart_from_letters(_lowered(masked), found)
    return _Doc(masked, found)


def _foreign_letter(text: str, raw: bytes) -> bool:
    """Whether a non-ASCII character of ``text`` (a "?" in ``raw``) may be a letter, lowered or not."""
    at = raw.find(b"?")
    while at >= 0:
        if text[at] != "?" and text[at].isalnum():
            return True
        at = raw.find(b"?", at + 1)
    return False


def _occurrences(words: list[str], spaced: str, wanted: frozenset[str]) -> dict[str, list[int]]:
    """Offsets of the ``wanted`` words in the letters whose ``words`` are given, ``spaced`` (one space
    around them): the words are picked from the split text (no per-word scan of the whole text),
    each then found just after the one before."""
    found: dict[str, list[int]] = {}
    at = 0
    for word in filter(wanted.__contains__, words):
        at = spaced.find(f" {word} ", at)
        found.setdefault(word, []).append(at)
        at += len(word) + 1
    return found


_FEW = 4
"""Up to how many words (a document's people) `_each_found` finds: each search of the text costs ~7 µs (`str.find`
of a few characters over ~10 KB), testing each of its ~2,000 words for one of a set ~30 µs."""


def _each_found(spaced: str, few: frozenset[str]) -> dict[str, list[int]]:
    """What `_occurrences` gives for a `_FEW` words: each word searched for in the text directly, which costs less
    than testing every word of the text when the words are that few."""
    found: dict[str, list[int]] = {}
    for word in few:
        needle, at = f" {word} ", spaced.find(f" {word} ")
        while at >= 0:
            found.setdefault(word, []).append(at)
            at = spaced.find(needle, at + len(word) + 1)
    return found


def _apart_from_letters(lower: str, found: dict[str, list[int]]) -> dict[str, list[int]]:
    """Drop occurrences touching a non-ASCII letter ("café" holds no word "caf")."""
    kept: dict[str, list[int]] = {}
    for word, offsets in found.items():
        size = len(word)
        alone = [at for at in offsets if not (at and lower[at - 1].isalpha()) and not lower[at + size : at + size + 1].isalpha()]
        if alone:
            kept[word] = alone
    return kept


def _windows(doc: _Doc, words: Iterable[str], before: int, after: int) -> list[tuple[int, int]]:
    """Merged spans around whole-word occurrences of ``words``, widened to whitespace."""
    spans = sorted((max(0, at - before), at + after) for w in words for at in doc.found[w])
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return [(_word_start(doc.masked, lo), _word_end(doc.masked, hi)) for lo, hi in merged]


def _word_start(text: str, at: int) -> int:
    return max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1


def _word_end(text: str, at: int) -> int:
    end, newline = text.find(" ", at), text.find("\n", at)
    if end < 0 or 0 <= newline < end:
        end = newline
    return end if end >= 0 else len(text)


def _allowed(masked: str, start: int, end: int, entry: str, pack: BlamePack) -> bool:
    return bool(pack.allowed) and (entry in pack.allowed or _normalise(masked[start:end]) in pack.allowed)


def _excused(finder: shapes.Finder, hit: BlameHit, pack: BlamePack) -> bool:
    """Allowed by the user, quoted, negated ("not human error"), in a list of options, or
    said of a machine ("the script made an error")."""
    masked = finder.text
    if _allowed(masked, hit.start, hit.end, hit.entry, pack):
        return True
    sentences = finder.sentences
    if sentences.quoted(hit.start, hit.end) or scopes.option_list(masked, sentences.span(hit.start), hit.start, hit.end):
        return True
    sentence_start, tokens = sentences.tokens(hit.start)
    i = next((n for n, t in enumerate(tokens) if t.start >= hit.start), len(tokens))
    lo = scopes.clause_start(tokens, i, sentence_start) if i else 0
    clause = tokens[lo].start if lo < len(tokens) else sentence_start
    if _DENIED.match(masked, hit.end) is not None:
        return True
    if scopes.negated(masked, clause, hit.start, hit.end, tokens[max(lo, i - 40) : i], near=3, person=finder.reader.person_word):
        return True
    category = next((p.category for p in pack.phrases if p.id == hit.entry), "")
    if category == "character-judgement" and _done_by_a_machine(finder, tokens, hit.end):
        return True
    return category in ("blame-word", "counterfactual") and _said_of_a_machine(finder, tokens, i, lo)


def _done_by_a_machine(finder: shapes.Finder, tokens: Sequence[scopes.Token], end: int) -> bool:
    """ "Negligent handling of retries by the SDK": the judgement is of a machine's behaviour."""
    after = [n for n, t in enumerate(tokens) if t.start >= end][:6]
    by = next((n for n in after if tokens[n].low == "by"), None)
    agent = finder.reader.after(tokens, by + 1) if by is not None else None
    return agent is not None and agent.cls == "system"


def _said_of_a_machine(finder: shapes.Finder, tokens: Sequence[scopes.Token], i: int, lo: int) -> bool:
    """A verb phrase whose subject is a machine ("the script made an error"), not a noun after "was"."""
    group = grammar.verb_group(tokens, i, max(lo, i - 40))
    if group.copula:
        return False
    subject = finder.reader.before(tokens, group.last, lo) if group.last >= lo else None
    return subject is not None and subject.cls == "system"


# '"Human error" is not the cause': the phrase is denied right after it.
_DENIED = re.compile(r"[\s\"'\u201d]*(?:is|was|are|were)(?:\s+not\b|n['\u2019]t\b)", re.IGNORECASE)


_Regexes = tuple[re.Pattern[str], ...]


@functools.cache
def _masking() -> tuple[_Regexes, _Regexes, re.Pattern[str]]:
    """(blank, soft, log-line starts): compiled on first use, not by every import.

    What is blanked before matching. Every regex starts with a literal, which lets the regex
    engine skip ahead (a 10x difference). "Blank" spans become NULs, an opaque token no
    pattern reads through; "soft" spans (link targets, emphasis markers) become spaces, so
    the words around them still read as adjacent. A line _LOG_LINE may match starts as the
    third regex says (a literal newline first, which the regex engine finds fast); only
    those lines are tried.
    """
    blank = (
        re.compile(r"``[^`]+``|`[^`]+`"),
        re.compile(r"<!--(?:(?!<!--).)*?-->", re.DOTALL),
        re.compile(r"https?://[^\s<>)\]`]*"),
        re.compile(r"ftp://[^\s<>)\]`]*"),
        re.compile(r"www\.[^\s<>)\]`]+"),
    )
    soft = (re.compile(r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)"), re.compile(r"~~"))
    return blank, soft, re.compile(r"\n[ \t>]*(?:\[?(?:\d|ERROR|WARN|INFO|DEBUG|FATAL|TRACE|CRITICAL|PANIC)|\{\")")


_LOG_LINE = re.compile(
    r"[ \t>]*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}|\d{2}:\d{2}:\d{2}[.,]\d"
    r"|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|FATAL|TRACE|CRITICAL|PANIC)(?:[\]:]| [\[\d]| [\w.-]{1,40}:)|\{\")[^\n]*"
)
_UNDERSCORES = re.compile(r"__*")


def _mask(text: str) -> str:
    """``text`` with code, URLs, comments, log lines and emphasis blanked; same length."""
    blank, soft, log_start = _masking()
    spans = [(m.start(), m.end(), " ") for rx in soft for m in rx.finditer(text)]
    spans += [(m.start(), m.end(), " ") for m in _UNDERSCORES.finditer(text) if _emphasis(text, m)] if "_" in text else []
    spans += [(m.start(), m.end(), "\x00") for rx in blank for m in rx.finditer(text)]
    # A log line opening with "[" is blanked from the next character: the bracket is soft.
    spans += [(m.start() + (text[m.start()] == "["), m.end(), "\x00") for m in _log_lines(text, log_start.finditer(text))]
    masked = fill_spans(text, spans) if spans else text
    # Stars and opening brackets are soft too. No other span starts with one, so blanking
    # them last gives what filling them as spans would: a space, unless a span covers them.
    return masked.replace("*", " ").replace("[", " ")


def _emphasis(text: str, m: re.Match[str]) -> bool:
    """An underscore run at a word edge (emphasis), not inside snake_case."""
    return not (text[m.start() - 1 : m.start()].isalnum() and text[m.end() : m.end() + 1].isalnum())


def _log_lines(text: str, newlines: Iterator[re.Match[str]]) -> Iterator[re.Match[str]]:
    """Log lines: the first line, and those after the newlines that may open one."""
    for at in itertools.chain((0,), (m.start() + 1 for m in newlines)):
        m = _LOG_LINE.match(text, at)
        if m:
            yield m


# --- the document's people ----------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _roster(people: tuple[str, ...]) -> grammar.Roster:
    """The spellings of one document's people: names (case-sensitive) and handles (lowered)."""
    variants = [v for raw in people for v in _variants(raw)]
    names = frozenset(v for v, is_handle in variants if not is_handle)
    handles = frozenset(v.casefold() for v, is_handle in variants if is_handle)
    return grammar.Roster(names, handles, frozenset(_WORD.findall(" ".join(names | handles).lower())))


@functools.lru_cache(maxsize=4096)
def _variants(raw: str) -> tuple[tuple[str, bool], ...]:
    return tuple(_name_variants(raw))


_NOT_PEOPLE = _word_set(
    "system systems monitoring automation automated alert alerts alerting bot ci cd cron"
    " pagerduty opsgenie datadog grafana prometheus kubernetes n/a na tbd tba none unknown team"
    " everyone all ai assistant name owner author various multiple customer customers user"
    " users on-call oncall sre ops engineering support security github gitlab slack"
)
_TITLE_WORDS = _word_set("dr mr mrs ms prof team lead engineer manager commander sre ic the of and jr sr ii iii van von de da del la le")


@functools.cache
def _roster_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(aside, separator, handle), compiled on first use."""
    return (
        re.compile(r"\([^()]*\)|<[^<>]*>|\[[^\[\]]*\]\([^()]*\)"),
        re.compile(r"(?<!\s)\s*(?:[,;/&+]|\band\b)\s*"),
        re.compile(r"@?[a-z0-9][a-z0-9._-]*"),
    )


def _name_variants(raw: str) -> Iterator[tuple[str, bool]]:
    """Spellings of one roster entry: (text, is_handle). 'Alice Smith' -> full, first, last."""
    aside, separator, handle = _roster_regexes()
    for part in separator.split(aside.sub(" ", raw)):
        name = part.strip(" *_[]`\"'")
        if name.casefold() in _NOT_PEOPLE or not any(c.isalpha() for c in name) or "@" in name[1:]:
            continue
        if handle.fullmatch(name):
            yield name.lstrip("@"), True
            continue
        if not _plausible_name(name):
            continue
        yield name, False
        words = name.split()
        yield from ((w, False) for w in words if len(words) > 1 and _is_name_word(w))


def _plausible_name(name: str) -> bool:
    """'Dana Reyes', not a sentence that happened to sit in an Owner cell."""
    words = name.split()
    return len(words) <= 4 and all(w[0].isupper() or w in _TITLE_WORDS for w in words) and not any(c in name for c in ".:;!?")


def _is_name_word(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word.casefold() not in _TITLE_WORDS | _NOT_PEOPLE
