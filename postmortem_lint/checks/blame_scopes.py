"""Where blame language does not count: quotations, negations and lists of options.

The blame engine (`postmortem_lint.checks.blame_engine`) finds candidate phrases; this module says
whether one sits in a scope that makes it harmless:

- a **quotation**: `One customer wrote: "your team is careless"` quotes someone else's
  words, it does not make them the document's;
- a **negation**: "No one was careless here", "Human error does not explain this",
  "Calling the on-call careless would miss the real problem", "We reject the idea that
  the release manager should have known better";
- a **list of options**: "Cause type: software defect | human error | third party",
  "Root cause category: [ ] Code [ ] Human error", "Tags: theft, fire, employee negligence".

It also splits the masked text into sentences and words (`Sentences`), which the
grammar in `postmortem_lint.checks.blame_grammar` works on. Everything works on the masked
text of `blame._mask` (same length as the original, code and URLs blanked), and on
offsets into it. Nothing is computed until a candidate needs it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

BLOCK_BREAK = "\x01"
"""Stands for the blank line between two prose blocks in the masked text: no sentence,
quotation or phrase runs across it."""


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one string."""
    return frozenset(words.split())


_set = word_set


class Token(NamedTuple):
    """One word or punctuation mark of a sentence: ``text`` at ``start``, lowered in ``low``."""

    start: int
    end: int
    text: str
    low: str


_token = tuple.__new__
"""Builds a Token from a tuple without the keyword handling of ``Token(...)`` (tokens are many)."""

# A word: letters and digits, with inner apostrophes, hyphens and dots ("O'Brien", "on-call",
# "didn't", "v1.2"); an @handle; a run of blanked code; or one punctuation mark.
_TOKEN = re.compile(r"@?[^\W_](?:[\w'\u2019.-]*[^\W_])?|\x00+|[^\s\w]")
# Where a sentence ends: end punctuation (and closing quotes or brackets) before a space, or
# a block break. Checked afterwards: not after an abbreviation, not before a lower-case word.
_SENTENCE_END = re.compile(
    r"[.!?\u2026" + BLOCK_BREAK + "](?:(?<=" + BLOCK_BREAK + ")"
    r"|(?<=[.!?])(?<![.!?\u2026][.!?])[.!?]*[\"'\u201d\u2019)\]]*(?=\s)"
    r"|(?<=\u2026)(?<![.!?\u2026]\u2026)[\"'\u201d\u2019)\]]*(?=\s))"
)
r"""``(?<![.!?\u2026])(?:[.!?]+|\u2026)[\"'\u201d\u2019)\]]*(?=\s)|\x01`` with its first character taken as one class and
each alternative then checking which it was: the regex engine skips to one of those characters instead of trying
every position (a test compares the two forms)."""
_ABBREVIATIONS = _set("e.g i.e etc vs mr mrs ms dr prof approx no fig inc ltd co st jr sr a.m p.m cf al ca")


class Sentences:
    """The sentences of one masked text, found around the offsets asked about and tokenised once each."""

    __slots__ = ("_quotes", "_spans", "_tokens", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._spans: list[tuple[int, int]] = []
        self._tokens: dict[int, tuple[Token, ...]] = {}
        self._quotes: dict[int, list[tuple[int, int]]] = {}

    def span(self, at: int) -> tuple[int, int]:
        """(start, end) of the sentence holding offset ``at``."""
        i = bisect.bisect_right(self._spans, (at, len(self.text) + 1)) - 1
        if i >= 0 and self._spans[i][0] <= at < self._spans[i][1]:
            return self._spans[i]
        found = (self._start(at), self._end(at))
        bisect.insort(self._spans, found)
        return found

    def _start(self, at: int) -> int:
        """Where the sentence holding ``at`` starts: after the last sentence end before it."""
        reach = 200
        while True:
            lo = max(0, at - reach)
            for m in reversed(list(_SENTENCE_END.finditer(self.text, lo, at + 1))):
                if m.end() <= at and _ends_sentence(self.text, m):
                    return m.end()
            if lo == 0:
                return 0
            reach *= 4

    def _end(self, at: int) -> int:
        return next((m.end() for m in _SENTENCE_END.finditer(self.text, at + 1) if _ends_sentence(self.text, m)), len(self.text))

    def tokens(self, at: int) -> tuple[int, tuple[Token, ...]]:
        """The sentence start and the tokens of the sentence holding offset ``at``."""
        start, end = self.span(at)
        found = self._tokens.get(start)
        if found is None:
            found = tuple(
                _token(Token, (m.start(), m.end(), word := m.group(), word.lower())) for m in _TOKEN.finditer(self.text, start, end)
            )
            self._tokens[start] = found
        return start, found

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` lies inside a quotation (of its block: none crosses one)."""
        block = self.text.rfind(BLOCK_BREAK, 0, start) + 1
        quotes = self._quotes.get(block)
        if quotes is None:
            stop = self.text.find(BLOCK_BREAK, start)
            quotes = self._quotes[block] = quotations(self.text, block, stop if stop >= 0 else len(self.text))
        i = bisect.bisect_right(quotes, (start, len(self.text))) - 1
        return i >= 0 and quotes[i][0] <= start and end <= quotes[i][1]


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    if BLOCK_BREAK in m.group():
        return True
    before = text[max(0, m.start() - 6) : m.start()].split()
    word = before[-1].lower().lstrip("(\"'") if before else ""
    if m.group().startswith(".") and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
        return False
    after = text[m.end() : m.end() + 3].lstrip()
    return not after[:1].islower()


# --- quotations ---------------------------------------------------------------------------

_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d\u2018\u2019']|" + BLOCK_BREAK)


def quotations(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of quoted text (marks included), in order; a quotation never crosses a block.

    Straight double quotes pair up in order; typographic ones open and close. A single
    quote opens only at the start of a word and closes only at its end, so that
    apostrophes ("Dana's", "didn't", "engineers'") are not taken for quotation marks. An
    unclosed quotation is not one.
    """
    spans: list[tuple[int, int]] = []
    double: int | None = None
    single: int | None = None
    for m in _QUOTE_MARKS.finditer(text, start, len(text) if end is None else end):
        mark, at = m.group(), m.start()
        if mark == BLOCK_BREAK:
            double = single = None
        elif mark in '"\u201c\u201d':
            if double is None and mark != "\u201d":
                double = at
            elif double is not None and mark != "\u201c":
                spans.append((double, at + 1))
                double = single = None
        elif single is None and _opens(text, at):
            single = at
        elif single is not None and _closes(text, at):
            spans.append((single, at + 1))
            single = None
    spans.sort()
    return spans


def _opens(text: str, at: int) -> bool:
    before = text[at - 1 : at]
    after = text[at + 1 : at + 2]
    return (not before or before.isspace() or before in "([{:" + BLOCK_BREAK) and after.isalnum() and text[at] != "\u2019"


def _closes(text: str, at: int) -> bool:
    before = text[at - 1 : at]
    after = text[at + 1 : at + 2]
    return bool(before) and not before.isspace() and not after.isalnum() and not (before in "sS" and after == " ")


# --- negation -------------------------------------------------------------------------------

NEGATORS = _set(
    "not never no n't cannot didn't doesn't don't wasn't weren't isn't aren't hadn't hasn't haven't couldn't "
    "wouldn't shouldn't won't can't mustn't needn't ain't"
)
QUANTIFIERS = _set("nobody noone no-one none neither nothing")


def is_negator(low: str) -> bool:
    """A negating word: "not", "never", or a contraction ending in n't."""
    return low in NEGATORS or low.endswith(("n't", "n\u2019t"))


@functools.cache
def _prefix() -> re.Pattern[str]:
    """A negation right before a phrase ("not human error", 'the word "careless"'), compiled on first use."""
    return re.compile(
        r"(?:\b(?:not|never|no|nobody|without|rather than|instead of|other than"
        r"|(?:terms?|phrases?|words?|labels?|wording|language)(?: like)?|such as"
        r"|call(?:s|ed|ing)? (?:it|this|that))"
        r"|n['\u2019]t)[\s\"'\u2018\u2019\u201c\u201d(\x00]*"
        r"(?:(?:\b(?:a|an|the|just|simply|merely|purely|only|about|blame|blaming|blamed|due to|caused by"
        r"|because of|down to|a case of|attributed to|any|find|found|see|saw|evidence of|signs? of|story about"
        r"|anyone['\u2019]s|anybody['\u2019]s|someone['\u2019]s|somebody['\u2019]s|one person['\u2019]s|that"
        r"|question of|matter of|instance of)\b"
        r"|[\"\u201c][^\"\u201d\n]{1,30}[\"\u201d],?(?: and| or)?)[\s\"'\u2018\u2019\u201c\u201d(]*){0,3}\Z",
        re.IGNORECASE,
    )


@functools.cache
def _meta_before() -> re.Pattern[str]:
    """Frames before a phrase that mention it rather than assert it (compiled on first use)."""
    return re.compile(
        r"(?:^|[\s,;:(])(?:calling|blaming|labell?ing|branding|to call|to blame|to label|pinning (?:it|this) on"
        r"|attributing (?:it|this|the \w+) to|(?:would|will|is|was) (?:be )?(?:wrong|unfair|inaccurate|misleading"
        r"|a mistake|too easy|easy|tempting|lazy|unhelpful) to|(?:reject|rejects|rejected|dismiss|resist|resisted"
        r"|avoid|avoided|refuse|refused|question|dispute|disputed)(?: \w+)? (?:the |any )?(?:idea|notion|claim|temptation"
        r"|urge|framing|narrative|conclusion|suggestion|view|story|myth)|rather than|instead of|not (?:a|an|the) "
        r"(?:story|case|question|matter|tale|instance) (?:about|of)|no (?:evidence|sign|indication|suggestion|one"
        r" is suggesting) (?:of|that)|nobody is (?:saying|suggesting|claiming)|(?:not|never|n't) (?:\w+ )?(?:found"
        r"|find|see|saw|seen|identified|identify|blame|blamed|accuse|accused) (?:anyone|anybody|someone|somebody"
        r"|any (?:one|engineer|person|individual|responder|member|operator))(?: \w+)? (?:who|that|as|of|for)"
        r"|(?:without|avoid|avoids|avoided|avoiding) (?:blaming|judging|accusing|naming|calling)"
        r"|not (?:about|to) (?:who|blame|assign|find)|nothing to do with|far from"
        r"|(?:do not|don't|don\u2019t|did not|didn't|didn\u2019t|never|does not|doesn't)"
        r" (?:think|believe|suggest|claim|say|feel|consider|accept|agree)"
        r"|(?:^|\s)(?:at )?no (?:point|time|stage|moment)\b|not that\b|not the case that"
        r"|(?:not|n't|n\u2019t|never) (?:saying|suggesting|claiming|implying|arguing)\b)",
        re.IGNORECASE,
    )


@functools.cache
def _denied_after() -> re.Pattern[str]:
    """Words right after a phrase that deny it ("Human error does not explain this")."""
    return re.compile(
        r"(?<![\s\"'\u201d\u2019,])[\s\"'\u201d\u2019,]*(?:(?:is|was|are|were)(?:\s+not\b|n['\u2019]t\b)"
        r"|(?:does|did|do|would|could|can|will|cannot)(?:\s+not|n['\u2019]t)?\s+(?:not\s+|never\s+)?(?:explain|account|apply"
        r"|describe|capture|cover)\b|(?:would|will)\s+(?:be|have\s+been)\s+(?:both\s+)?(?:wrong|unfair|inaccurate|misleading"
        r"|unhelpful|a\s+mistake|incorrect)|would\s+miss\b|misses\s+the\s+(?:point|real)"
        r"|(?:was|were|is|are|has\s+been|have\s+been)\s+(?:quickly\s+|early\s+|firmly\s+)?(?:ruled\s+out|excluded|dismissed\s+as))",
        re.IGNORECASE,
    )


def negated(
    text: str,
    clause_start: int,
    start: int,
    end: int,
    tokens: Sequence[Token] = (),
    near: int = 0,
    person: Callable[[str], bool] = lambda word: False,
    predicate: int | None = None,
) -> bool:
    """Whether the phrase at ``text[start:end]`` is negated or only mentioned.

    ``clause_start`` bounds the look-back. With ``tokens`` (the sentence's), a negative
    quantifier ("nobody", "none of", "no one", "no" before a ``person`` word: "no
    engineer") anywhere in the clause before the phrase negates it, and with ``near`` so
    does a "not"/"never" among the ``near`` words before it. A frame that mentions
    rather than asserts ("Calling X careless", "not found anyone who") is looked for up
    to ``predicate`` (the verb, when the phrase starts at its subject).
    """
    before = text[clause_start : max(start, predicate or start)]
    if _meta_before().search(before) or _denied_after().match(text, end):
        return True
    if _prefix().search(text, max(clause_start, start - 80), start):
        return True
    if not tokens:
        return False
    inside = [t for t in tokens if clause_start <= t.start < start]
    if any(t.low in QUANTIFIERS or (t.low == "no" and _no_one(inside, i, person)) for i, t in enumerate(inside)):
        return True
    return near > 0 and any(is_negator(t.low) for t in inside[-near:])


def _no_one(inside: Sequence[Token], i: int, person: Callable[[str], bool]) -> bool:
    """'no one', or 'no' before a person within two words ("no engineer", "no single responder")."""
    following = [t.low for t in inside[i + 1 : i + 3]]
    return bool(following) and (following[0] == "one" or any(person(word) for word in following))


# --- clauses ----------------------------------------------------------------------------------

CLAUSE_BREAKS = frozenset(";:()\u2014\u2013")
SUBORDINATORS = _set(
    "because since although though while whereas if unless when whenever after before until once so but however yet where whereby"
)


def clause_start(tokens: Sequence[Token], index: int, sentence_start: int) -> int:
    """Index of the first token of the clause holding ``tokens[index]`` (commas do not end a clause)."""
    comma = False  # a comma seen between here and ``index``
    for i in range(index - 1, -1, -1):
        token = tokens[i]
        if token.low in _ASIDES and comma and i > 0 and tokens[i - 1].text == ",":
            continue  # "An engineer, while debugging X, removed ...": the aside is not the clause
        if token.text in CLAUSE_BREAKS or token.low in SUBORDINATORS or (token.text == "-" and _spaced(tokens, i)):
            return i + 1
        comma = comma or token.text == ","
    return 0


_ASIDES = _set("while when whilst after before during despite though although")


def _spaced(tokens: Sequence[Token], i: int) -> bool:
    return 0 < i < len(tokens) - 1 and tokens[i - 1].end < tokens[i].start and tokens[i].end < tokens[i + 1].start


# --- lists of options -------------------------------------------------------------------------

_OPTION_SEPARATORS = re.compile(r"\s[|/]\s|[\u2610\u2611\u2612\u25a1\u25a0\u2022\u00b7]|\]\s")
_TAXONOMY = re.compile(
    r"\b(?:categor(?:y|ies)|types?|class(?:es|ification)?|buckets?|options?|values?|choose|select|tags?|labels?"
    r"|codes?|drop-?down|fields?|forms?|filter|taxonom(?:y|ies)|kinds?|legacy|headings?|drivers?|levels?|groups?)\b",
    re.IGNORECASE,
)
_LEGACY_VALUE = re.compile(
    r"\b(?:legacy|deprecated|old|former|retired|obsolete) (?:value|category|label|option|tag|field)s?\b", re.IGNORECASE
)
_DEPRECATED = re.compile(r"\b(?:is|are|was|were) (?:now )?(?:deprecated|retired|obsolete|no longer used)\b", re.IGNORECASE)
_DETERMINERS = _set("a an the our their his her this that these those my your its some")
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|did|does|will|would|to)\b", re.IGNORECASE)
_OPTION_MARK = re.compile(r"(?<!\s)\s*(?:\(?[A-Za-z0-9]\)|[A-Za-z0-9][.)]\s|[-*+]\s*\[[ xX]?\])\s*")


def option_list(text: str, sentence: tuple[int, int], start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one item of a list of options, categories or tags.

    A list: items split by pipes, slashes or checkboxes; or at least three short items
    split by commas after a label that names a taxonomy ("Loss categories: theft, fire,
    employee negligence"), or at least three short items none of which starts with a
    determiner; or a lone option line ("E) Human error"). A category named as this
    incident's cause ("Root cause category: Human error") is not a list.
    """
    lo, hi = sentence
    if _LEGACY_VALUE.search(text, lo, hi) or (_DEPRECATED.search(text, lo, hi) and _TAXONOMY.search(text, lo, hi)):
        return True
    colon = text.rfind(":", lo, start)
    label = text[lo:colon] if colon >= 0 else ""
    body_start = colon + 1 if colon >= 0 else lo
    body = text[body_start:hi]
    if colon < 0:
        verb = re.search(r"\b(?:are|is|include|includes|including)\s", body)
        if verb and _TAXONOMY.search(body[: verb.start()]):
            label, body = body[: verb.start()], body[verb.end() :]
    if len(_OPTION_SEPARATORS.findall(body)) >= 2:
        return True
    if not label and _OPTION_MARK.match(text, lo) and len(text[lo:hi].split()) <= 6:
        return True
    parts = [part for part in re.split(r",|;", body.replace("\u2026", ",")) if part.strip(" .\"'")]
    items = [item.strip(" .\"'") for part in parts for item in re.split(r"\s(?:and|or)\s", part)]
    items = [item for item in items if item]
    if len(parts) < 3 or any(len(item.split()) > 5 or _VERB.search(item) for item in items):
        return False
    if _TAXONOMY.search(label) or len(items) >= 5:
        return True
    return bool(label) and not any(item.split()[0].lower() in _DETERMINERS or item.split()[0].lower() == "to" for item in items)
