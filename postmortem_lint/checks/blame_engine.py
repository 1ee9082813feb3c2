"""Blame-language engine behind PM601 (blame-phrase) and PM602 (blamed-person).

PM601 matches the phrase pack in ``rules/blame.yaml`` ("human error", "careless",
"should have known" ...). PM602 finds a person the document names, or a generic role
("the on-call engineer", "someone"), made the cause of the incident: the subject of a
failure verb ("Alice forgot to"), the agent of "caused by" ("caused by Bob") or the
owner of a fault ("Carol's mistake").

Both work on prose as the parser hands it over, inline Markdown included. Inline code,
URLs, HTML comments and log lines are blanked out first (same length, so offsets still
index the original text); a phrase that is negated or quoted as a term ("not human
error", 'the word "careless"') is not reported.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from postmortem_lint.core.dialect import WORD, bounded
from postmortem_lint.packs.phrases import Phrase


class BlameHit(NamedTuple):
    """One piece of blame language: ``text[start:end]`` is the offending phrase."""

    start: int
    end: int
    code: str
    message: str
    suggestion: str


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
    """The compiled phrase pack: one regex per phrase, gated by its keywords."""

    __slots__ = ("allowed", "by_keyword", "keywords", "matchers", "phrases", "relevant", "ungated")

    def __init__(self, phrases: Sequence[Phrase], allow: Iterable[str] = ()) -> None:
        allowed = frozenset(_normalise(item) for item in allow)
        self.phrases = tuple(p for p in phrases if p.id not in allowed)
        self.allowed = allowed
        self.matchers = tuple(_Matcher(re.compile(bounded(p.pattern), re.IGNORECASE), frozenset(p.keywords)) for p in self.phrases)
        self.ungated = frozenset(i for i, p in enumerate(self.phrases) if not p.keywords)
        self.by_keyword: dict[str, set[int]] = {}
        for i, phrase in enumerate(self.phrases):
            for word in phrase.keywords:
                self.by_keyword.setdefault(word, set()).add(i)
        self.keywords = frozenset(self.by_keyword)
        self.relevant = self.keywords | _PM602_KEYWORDS

    def hits(self, doc: _Doc) -> Iterator[BlameHit]:
        """PM601 hits in a prepared document."""
        active = self.ungated.union(*(self.by_keyword[w] for w in doc.found.keys() & self.keywords))
        for i in sorted(active):
            phrase = self.phrases[i]
            for m in self.matchers[i].finditer(doc):
                if phrase.category == "counterfactual" and _after_system(doc.masked, m.start()):
                    continue
                message = f'blame language "{_normalise(m.group())}": {phrase.message}'
                yield BlameHit(m.start(), m.end(), "PM601", message, phrase.suggestion)


# "The backup job failed to notice ...": a counterfactual whose subject is a machine.
@functools.cache
def _system_subject() -> re.Pattern[str]:
    """Compiled on first use, as most texts have no counterfactual phrase."""
    return re.compile(
        r"\b(?:jobs?|scripts?|checks?|monitor(?:s|ing)?|alert(?:s|ing)?|tool(?:s|ing)?|systems?"
        r"|services?|process(?:es)?|probes?|pipelines?|daemons?|tests?|suites?|ci|scanners?"
        r"|automation|cron|bots?|controllers?|scheduler|servers?|clusters?|nodes?|database|api"
        r"|code|programs?|agents?|hooks?|linters?|canary|deploy(?:ment)?s?|workflows?)\s+\Z",
        re.IGNORECASE,
    )


def _after_system(masked: str, start: int) -> bool:
    return _system_subject().search(masked, max(0, start - 30), start) is not None


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


# --- scanning --------------------------------------------------------------------------


def scan(text: str, people: Iterable[str], pack: BlamePack) -> list[BlameHit]:
    """Blame language in one piece of prose, sorted by offset; offsets index ``text``."""
    if not _relevant(text, pack):
        return []
    roster = _people(tuple(sorted(set(people))))
    doc = _prepare(text, _wanted(pack.keywords, roster.words))
    found = _disjoint([*_person_hits(doc, roster), *pack.hits(doc)])
    return sorted((h for h in found if not _excused(doc.masked, h, pack.allowed)), key=_offset)


@functools.lru_cache(maxsize=256)
def _wanted(pack_words: frozenset[str], roster_words: frozenset[str]) -> frozenset[str]:
    """Every word the pack and PM602 look for (a union of ~400 words, made once per roster)."""
    return pack_words | roster_words


def _relevant(text: str, pack: BlamePack) -> bool:
    """Whether ``text`` holds a word that a phrase or PM602 needs (most texts do, early on)."""
    if pack.ungated:
        return True
    cut = text.find(" ", 2000) + 1 or len(text)  # no word spans a space
    return not pack.relevant.isdisjoint(_words(text[:cut])) or (cut < len(text) and not pack.relevant.isdisjoint(_words(text[cut:])))


def _offset(hit: BlameHit) -> tuple[int, str]:
    return hit.start, hit.code


def _disjoint(hits: Sequence[BlameHit]) -> list[BlameHit]:
    """Drop hits overlapping an earlier one; PM602 first, then the longest phrase."""
    kept: list[BlameHit] = []
    for hit in sorted(hits, key=lambda h: (h.code != "PM602", h.start - h.end)):
        if all(hit.end <= k.start or k.end <= hit.start for k in kept):
            kept.append(hit)
    return kept


class _Doc(NamedTuple):
    masked: str
    found: dict[str, list[int]]
    """Where each wanted word that the text holds stands alone (lowered), in order."""


_WORD = WORD
"""A word of the text, as the pack's keywords are written (`packs.phrases.WORD`)."""
# Words are found in bytes: non-ASCII characters become "?" (one each, so offsets hold) and the
# table keeps a-z, lowers A-Z and makes everything else a space. Only two characters lower to
# an ASCII letter; a text holding one is lowered by str.lower() first.
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else c + 32 if 65 <= c <= 90 else 32 for c in range(256))
_LOWER_TO_ASCII = ("\u0130", "\u212a")  # "İ" -> "i̇", Kelvin sign -> "k"


def _words(text: str) -> list[str]:
    """``_WORD.findall(text.lower())``, without a regex."""
    if any(c in text for c in _LOWER_TO_ASCII):
        text = text.lower()
    return text.encode("ascii", "replace").translate(_LETTERS_ONLY).decode("ascii").split()


def _lowered(text: str) -> str:
    """``text.lower()``, keeping a character whose lowercase is longer (same length as ``text``)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower


def _prepare(text: str, wanted: frozenset[str]) -> _Doc:
    """``text`` masked, with where the ``wanted`` words (a-z only) stand alone in it, lowered."""
    masked = _mask(text)
    special = any(c in masked for c in _LOWER_TO_ASCII)
    raw = (_lowered(masked) if special else masked).encode("ascii", "replace")
    found = _occurrences(raw.translate(_LETTERS_ONLY).decode("ascii"), wanted)
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


def _occurrences(letters: str, wanted: frozenset[str]) -> dict[str, list[int]]:
    """Offsets of the ``wanted`` words in ``letters``: the words are picked from the split
    text (no per-word scan of the whole text), each then found just after the one before."""
    words = letters.split()
    spaced = f" {letters} "
    found: dict[str, list[int]] = {}
    at = 0
    for word in filter(wanted.__contains__, words):
        at = spaced.find(f" {word} ", at)
        found.setdefault(word, []).append(at)
        at += len(word) + 1
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


def _excused(masked: str, hit: BlameHit, allowed: frozenset[str]) -> bool:
    """Allowed by the user, negated ("not human error") or quoted as a term."""
    if _normalise(masked[hit.start : hit.end]) in allowed:
        return True
    before = masked[max(0, hit.start - 80) : hit.start]
    clause = before[max(before.rfind(c) for c in ".;:!?") + 1 :]
    return _negated().search(clause) is not None or _DENIED.match(masked, hit.end) is not None


# '"Human error" is not the cause': the phrase is denied right after it.
_DENIED = re.compile(r"[\s\"'\u201d]*(?:is|was|are|were)(?:\s+not\b|n['\u2019]t\b)", re.IGNORECASE)


@functools.cache
def _negated() -> re.Pattern[str]:
    """Compiled on first use, as most texts have no hit to excuse."""
    return re.compile(
        r"(?:\b(?:not|never|no|nobody|without|avoid(?:s|ed|ing)?|rather than|instead of|other than"
        r"|(?:terms?|phrases?|words?|labels?|wording|language)(?: like)?|such as"
        r"|call(?:s|ed|ing)? (?:it|this|that))"
        r"|n['\u2019]t)[\s\"'\u2018\u2019\u201c\u201d(\x00]*"
        r"(?:(?:\b(?:a|an|the|just|simply|merely|purely|only|about|blame|blaming|blamed|due to|caused by"
        r"|because of|down to|a case of|attributed to|any|find|found|see|saw|evidence of|signs? of)\b"
        r"|[\"\u201c][^\"\u201d\n]{1,30}[\"\u201d],?(?: and| or)?)[\s\"'\u2018\u2019\u201c\u201d(]*){0,3}\Z",
        re.IGNORECASE,
    )


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
    r"|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|FATAL|TRACE|CRITICAL|PANIC)(?:[\]:]| [\[\d])|\{\")[^\n]*"
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
    masked = _fill(text, spans) if spans else text
    # Stars and opening brackets are soft too. No other span starts with one, so blanking
    # them last gives what filling them as spans would: a space, unless a span covers them.
    return masked.replace("*", " ").replace("[", " ")


def _fill(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Overwrite the spans with their fill character; an earlier span wins an overlap."""
    pieces: list[str] = []
    at = 0
    for start, end, fill in sorted(spans):
        if end > at:
            pieces += (text[at : max(at, start)], fill * (end - max(at, start)))
            at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _emphasis(text: str, m: re.Match[str]) -> bool:
    """An underscore run at a word edge (emphasis), not inside snake_case."""
    return not (text[m.start() - 1 : m.start()].isalnum() and text[m.end() : m.end() + 1].isalnum())


def _log_lines(text: str, newlines: Iterator[re.Match[str]]) -> Iterator[re.Match[str]]:
    """Log lines: the first line, and those after the newlines that may open one."""
    for at in itertools.chain((0,), (m.start() + 1 for m in newlines)):
        m = _LOG_LINE.match(text, at)
        if m:
            yield m


# --- PM602: people made the cause --------------------------------------------------------

_DETERMINER = "(?:the|an?|our|their|one|another|that|this|each|any)"
_ROLE_ADJECTIVES = (
    "same new junior senior primary secondary backup assigned on-duty backend frontend platform database"
    " infra infrastructure devops ops release support security network staff lead human"
)
# A role is matched from its first word; the determiner before it is looked behind, so that
# matching can start at a word the scanner finds cheaply ("engineer", "someone").
_ROLE = (
    "(?:(?<=the\\s)|(?<=an\\s)|(?<=a\\s)|(?<=our\\s)|(?<=their\\s)|(?<=one\\s)|(?<=another\\s)"
    "|(?<=that\\s)|(?<=this\\s)|(?<=each\\s)|(?<=any\\s))"
    "(?:(?:" + "|".join(_ROLE_ADJECTIVES.split()) + ") )?"
    "(?:on[- ]?call(?: (?:engineer|person|sre|responder|developer|dev|operator|admin|member))?"
    "|engineers?|operators?|developers?|devs?|sres?|dbas?|admins?|administrators?|sysadmins?"
    "|team members?|responders?|incident commanders?|release managers?|reviewers?|deployers?"
    "|interns?|contractors?|new hires?|employees?|staff members?|technicians?|person|individual"
    "|colleagues?|co-?workers?|teammates?)"
    "|someone|somebody|on-?call engineers?"
)
# Words a PM602 match can start with, besides the names of the document's people.
_ROLE_STARTS = _word_set(
    _ROLE_ADJECTIVES + " on oncall engineer engineers operator operators developer developers dev devs sre sres"
    " dba dbas admin admins administrator administrators sysadmin sysadmins team responder responders incident"
    " release reviewer reviewers deployer deployers intern interns contractor contractors employee employees"
    " technician technicians person individual colleague colleagues coworker coworkers co teammate teammates"
    " someone somebody"
)
_AGENT_STARTS = _word_set(
    "caused introduced due owing because fault mistake mistakes error errors oversight negligence carelessness"
    " blunder lapse blame blamed blaming"
)
_FILLER = (
    "(?:(?:had|has|have|also|then|just|simply|apparently|unfortunately|again|initially|clearly"
    "|obviously|evidently|completely|totally|first|still|later|once|somehow|probably|likely"
    "|allegedly|reportedly|himself|herself|themselves|both|all|each) ){0,2}"
)
_FAILURE_VERB = (
    "(?:forg[oe]t(?:s|ten)?|missed|overlooked|ignored|skipped|neglected|botched|bungled|fumbled"
    "|mis(?:configured|typed|read|judged|understood|handled|managed|clicked|labell?ed|spelled|spelt)"
    "|broke|(?:messed|screwed|fouled|goofed|slipped) up|goofed|blundered|fat[-\\s]?fingered"
    "|dropped the ball"
    "|failed to (?!(?:start|boot|launch|connect|reconcile|respond|resolve|load|compile|parse|bind"
    "|allocate|acquire|schedule|converge|sync|reach|authenticate|log ?in|sign ?in|receive|get"
    "|obtain|join|access)(?!\\w))\\w+"
    "|(?:did ?n[o']t|never) (?:bother to |even |properly |fully )?(?:check|follow|notice|test"
    "|verify|read|review|confirm|validate|double-check|look|update|communicate|escalate|tell"
    "|inform|wait|run|pay attention|realise|realize|consider|catch|see|heed|ask|back up|document"
    "|think|answer|ack|acknowledge|respond|react|monitor|remember)"
    "|never (?:checked|tested|verified|confirmed|validated|reviewed|followed|noticed|read|looked"
    "|updated|escalated|told|informed|waited|considered|caught|saw|asked|acknowledged|responded)"
    "|mistakenly|accidentally|inadvertently|carelessly|wrongly|incorrectly|erroneously"
    "|unintentionally|negligently|recklessly|hastily|blindly|unknowingly"
    "|made (?:an? |the |several |multiple |some )?(?:\\w+ )?(?:mistakes?|errors?|typos?"
    "|oversights?|blunders?)"
    "|(?:was|were|is|are|had been|has been) (?:being |just |very |too |so )?(?:careless|negligent"
    "|sloppy|lazy|reckless|inattentive|distracted|at fault|to blame|not paying attention"
    "|responsible for (?:the |this )?(?:outage|incident|failure|breakage|downtime|mistakes?"
    "|errors?|problem|bug))"
    "|should(?:'ve| have) (?:known|checked|noticed|caught|tested|verified|realised|realized|seen"
    "|spotted|read|followed|asked|double-checked|been more careful|paid attention|waited)"
    "|caused (?:the |this |an? )?(?:outage|incident|failure|breakage|downtime|problem|issue|bug"
    "|error|crash|data loss|disruption)"
    "|(?:introduced|pushed|deployed|merged|shipped|wrote|committed|applied|ran|entered|typed|used"
    "|chose|picked|selected|edited|deleted|dropped|removed) (?:a |the |an |some )?(?:bad|broken"
    "|faulty|buggy|wrong|incorrect|bogus|untested|unreviewed))"
)
_FAULT_NOUN = (
    "(?:own )?(?:fault|mistakes?|errors?|oversights?|negligence|carelessness|blunders?|screw-?ups?"
    "|slip-?ups?|lapses?|failures?)(?![\\w-])(?! (?:handling|handlers?|rates?|budgets?|messages?"
    "|logs?|codes?|paths?|pages?|tolerance|domains?|modes?|injection))"
)
_AGENT = (
    "(?:(?:caused|introduced) by|(?:due|owing) to|because of|(?:fault|mistakes?|errors?|oversight"
    "|negligence|carelessness|blunder|lapse) (?:of|by|on the part of)|blam(?:e|ed|ing)(?: it on)?"
    "|(?:fault|blame) (?:lies|lay|rests|rested|falls|fell) (?:squarely |solely )?(?:with|on))"
)


# Every PM602 match contains one of these words (the verb, the fault noun or the agent).
# Every subject or owner match ("Alice forgot", "Bob's mistake") contains one of these.
_SUBJECT_KEYWORDS = _word_set(
    "forgot forget forgets forgotten missed overlooked ignored skipped neglected botched bungled"
    " fumbled misconfigured mistyped misread misjudged misunderstood mishandled mismanaged"
    " misclicked mislabeled mislabelled misspelled misspelt broke messed screwed fouled goofed"
    " slipped blundered fingered fatfingered ball failed did didn didnt never mistakenly"
    " accidentally inadvertently carelessly wrongly incorrectly erroneously unintentionally"
    " negligently recklessly hastily blindly unknowingly made careless negligent sloppy lazy"
    " reckless inattentive distracted fault blame attention responsible should caused bad broken"
    " faulty buggy wrong incorrect bogus untested unreviewed mistake mistakes error errors oversight"
    " oversights negligence carelessness blunder blunders screw screwup screwups slip slipup slipups"
    " lapse lapses failure failures"
)
_HAD_KEYWORDS = _word_set("checked double read followed noticed looked tested verified asked waited attention careful")
_PM602_KEYWORDS = _SUBJECT_KEYWORDS | _AGENT_STARTS | _HAD_KEYWORDS


class _Shape(NamedTuple):
    marker: str  # the group that tells this shape matched
    who: str  # the group holding the person
    suggestion: str


_SHAPES = (
    _Shape("o", "s", "describe the conditions and the missing safeguard instead of whose mistake it was"),
    _Shape("s", "s", "say what happened to the system and what made the step easy to miss, not who missed it"),
    _Shape("a", "a", "name the change or condition that caused it and why the system let it through"),
    _Shape("c", "c", "describe what would have made the risk visible to anyone in that seat"),
)
_HAD_VERB = (
    "(?:just |only |simply )?(?:checked|double-checked|read|followed|noticed|looked|tested|verified"
    "|asked|waited|paid attention|been (?:paying attention|more careful|careful))"
)


class _People(NamedTuple):
    """One document's roster: the spellings of its people and the words a PM602 match starts with."""

    names: frozenset[str]
    handles: frozenset[str]
    starts: dict[str, int]
    """Word -> which of _pm602_regexes() is tried where it stands."""
    words: frozenset[str]
    """Every word PM602 looks for: the starts and the subject keywords."""


_WHO, _BY, _HAD = 0, 1, 2
_STARTS = {**dict.fromkeys(_ROLE_STARTS, _WHO), **dict.fromkeys(_AGENT_STARTS, _BY), "had": _HAD}


@functools.lru_cache(maxsize=256)
def _people(roster: tuple[str, ...]) -> _People:
    variants = [v for raw in roster for v in _variants(raw)]
    names = frozenset(v for v, is_handle in variants if not is_handle)
    handles = frozenset(v.casefold() for v, is_handle in variants if is_handle)
    starts = {**dict.fromkeys({_first_word(n) for n in names | handles} - {""}, _WHO), **_STARTS}
    return _People(names, handles, starts, frozenset(starts) | _SUBJECT_KEYWORDS)


@functools.lru_cache(maxsize=4096)
def _variants(raw: str) -> tuple[tuple[str, bool], ...]:
    return tuple(_name_variants(raw))


@functools.lru_cache(maxsize=4096)
def _first_word(name: str) -> str:
    return next(iter(_WORD.findall(name.lower())), "")


# A person-like phrase: a role, an @handle or up to three names. Whether it is one of the
# document's people is checked after matching (_names_person), so these regexes are compiled
# once rather than once per roster.
_NAME = "[^\\W\\d_][^\\W_]*(?:'(?!s\\b)[^\\W\\d_]+)?"
_PERSON = f"(?<![\\w@.-])(?>(?P<role>{_ROLE})|@[\\w.-]*\\w|{_NAME}(?: (?-i:[A-Z]){_NAME}){{0,2}})(?![\\w@-])"
_ANY_PERSON = _PERSON.replace("(?P<role>", "(?:")


@functools.lru_cache(maxsize=1)
def _pm602_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    conjunct = f"(?: ?, ?| and | & | or )(?:{_DETERMINER} )?{_ANY_PERSON}"
    subject = f"(?P<s>(?P<p>{_PERSON})(?:{conjunct}){{0,2}})"
    tail = f"(?:(?P<o> ?'s? {_FAULT_NOUN})|(?: ?,[^,.;\\n]{{1,60}},)? {_FILLER}{_FAILURE_VERB})"
    agent = f"{_AGENT} (?:{_DETERMINER} )?(?P<a>(?P<p>{_PERSON}))(?! (?:being|was|is|on|out|away|having)(?!\\w))"
    had = f"had (?:{_DETERMINER} )?(?P<c>(?P<p>{_PERSON})) {_HAD_VERB}"
    return _compiled(subject + tail), _compiled(agent), _compiled(had)


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(bounded(pattern), re.IGNORECASE)


def _names_person(people: _People, m: re.Match[str]) -> bool:
    """The matched person is a role, or one of the document's people."""
    person = m.group("p")
    if m.group("role") is not None or person in people.names or person.split()[0] in people.names:
        return True
    return person.lstrip("@").casefold() in people.handles


def _person_hits(doc: _Doc, people: _People) -> Iterator[BlameHit]:
    """Anchored matches at the words a PM602 phrase can start with, near one of its keywords."""
    regexes = _pm602_regexes()
    end = 0
    for start, kind in _candidates(doc, people):
        if start >= end:
            m = regexes[kind].match(doc.masked, start)
            if m and _names_person(people, m):
                end = m.end()
                yield _person_hit(doc.masked, m)


def _candidates(doc: _Doc, people: _People) -> list[tuple[int, int]]:
    """(offset, regex) where a start word stands (an @ before a handle included), a subject
    keyword within reach for _WHO; sorted, and no two share an offset."""
    masked, found = doc.masked, doc.found
    keys = sorted(at for word in _SUBJECT_KEYWORDS & found.keys() for at in found[word])
    handles = "@" in masked
    candidates: list[tuple[int, int]] = []
    for word in found.keys() & people.starts.keys():
        kind = people.starts[word]
        if kind == _WHO and not keys:
            continue
        starts = [at - (masked[at - 1 : at] == "@") for at in found[word]] if handles else found[word]
        candidates += ((at, kind) for at in starts if kind != _WHO or _keyword_within(keys, at, 160))
    candidates.sort()
    return candidates


def _keyword_within(keys: Sequence[int], start: int, reach: int) -> bool:
    i = bisect.bisect_left(keys, start)
    return i < len(keys) and keys[i] <= start + reach


_DETERMINER_BEFORE = re.compile(rf"\b{_DETERMINER}\s\Z", re.IGNORECASE)


def _person_hit(masked: str, m: re.Match[str]) -> BlameHit:
    shape = next(s for s in _SHAPES if m.groupdict().get(s.marker) is not None)
    det = _DETERMINER_BEFORE.search(masked, max(0, m.start() - 9), m.start())
    start = det.start() if det else m.start()
    who_start = start if m.start(shape.who) == m.start() else m.start(shape.who)
    who = " ".join(masked[who_start : m.end(shape.who)].split())
    message = f'{who} is made the cause ("{" ".join(masked[start : m.end()].split())}")'
    return BlameHit(start, m.end(), "PM602", message, shape.suggestion)


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
