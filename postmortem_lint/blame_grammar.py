"""Blame built from a subject and a predicate: the families of `rules/blame.yaml`.

A family is a set of predicates ("ignored", "forgot to", "was exhausted", "was fired",
"dropped the ball") with the shapes in which they blame someone. The engine finds a
predicate first (cheaply, at the words it can start with), then reads the sentence
around it: the verb group before it ("had not", "was simply"), the noun phrase before
that (the subject), or after it (an agent or object), and says who is blamed:

- a person the document names ("Dana", "@kwame", "Priya Raman"), a role ("the on-call
  engineer", "an SRE", "the developer who wrote the migration"), a team ("the IT team",
  "QA", "Engineers"), "someone"/"whoever", or "we"/"they" where the family allows it;
- nobody when the subject is a machine ("The CDN failed to notice ..."), so a system
  failing is never blame;
- an unnamed person for an agentless passive of a human-failure verb ("The checklist
  was skipped").

Negation in the verb group ("Marco did not skip any step") cancels a failure; for an
omission it is the failure itself ("Kwame never checked"). Quotation, negation and
option-list scopes are in `postmortem_lint.blame_scopes`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from postmortem_lint import blame_scopes as scopes
from postmortem_lint.blame_scopes import Token
from postmortem_lint.blame_scopes import word_set as _set

KINDS = ("failure", "omission", "character", "fault", "counterfactual", "sanction", "idiom", "sarcasm")
SHAPES = (
    "active",
    "passive",
    "passive-agent",
    "passive-person",
    "benefit",
    "copula",
    "attributive",
    "possessive",
    "agent",
    "object",
    "condition",
    "without",
    "free",
)
SUBJECTS = ("named", "role", "team", "someone", "they", "we", "owned")
_DEFAULT_SUBJECTS = {
    "character": ("named", "role", "team", "someone", "they", "we"),
    "idiom": ("named", "role", "team", "someone", "they", "we"),
    "sarcasm": ("named", "role", "team", "someone", "they", "we"),
}
PERSONISH = frozenset(SUBJECTS) | {"proper"}


class Family(NamedTuple):
    id: str
    kind: str
    shapes: frozenset[str]
    subjects: frozenset[str]
    message: str
    suggestion: str
    excusable: bool = False
    """A reason after the predicate makes it no failing ("missed the call because ...")."""


class Lexicon(NamedTuple):
    roles: frozenset[str]
    machine_roles: frozenset[str]
    machine_words: frozenset[str]
    machine_modifiers: frozenset[str]
    team_compounds: frozenset[str]
    role_compounds: frozenset[str]
    machine_objects: frozenset[str]
    teams: frozenset[str]
    team_names: frozenset[str]
    someone: frozenset[str]
    systems: frozenset[str]
    benefits: frozenset[str]


class Roster(NamedTuple):
    """The spellings of the document's people: names (case-sensitive) and handles (lowered)."""

    names: frozenset[str]
    handles: frozenset[str]
    words: frozenset[str] = frozenset()
    """Their words as the scanner finds them (lowered letters: "o'brien" gives "o" and "brien")."""


class Hit(NamedTuple):
    start: int
    end: int
    code: str
    message: str
    suggestion: str
    family: str


class NounPhrase(NamedTuple):
    cls: str
    first: int
    """Index of its first token."""
    last: int
    """Index of its head (or of the last token of what it spans)."""
    negative: bool = False
    name_last: int = -1
    """Where its name ends when it spans more ("Marcus, who was new to the team,": "Marcus")."""


# --- inflection -------------------------------------------------------------------------------

_VOWELS = "aeiou"


def inflections(spec: str) -> tuple[str, ...]:
    """``base[/past[/participle[/ing]]]`` -> base, -s, past, participle and -ing forms."""
    parts = spec.split("/")
    base = parts[0]
    past = parts[1] if len(parts) > 1 else _past(base)
    participle = parts[2] if len(parts) > 2 else past
    ing = parts[3] if len(parts) > 3 else _ing(base)
    return tuple(dict.fromkeys((base, _third(base), past, participle, ing)))


def _present(spec: str) -> frozenset[str]:
    """The present-tense forms of a verb that are not also its past ("let" is both)."""
    parts = spec.split("/")
    past = {parts[1] if len(parts) > 1 else _past(parts[0]), parts[2] if len(parts) > 2 else ""}
    return frozenset({parts[0], _third(parts[0])} - past)


def _short(word: str) -> bool:
    """One syllable ending consonant-vowel-consonant (skip, drop): the consonant doubles."""
    tail = word.rsplit("-", 1)[-1]
    groups = re.findall(r"[aeiouy]+", tail)
    return len(groups) == 1 and bool(re.search(r"[^aeiou][aeiou][^aeiouwxy]$", tail))


def _past(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and base[-2:-1] not in _VOWELS:
        return base[:-1] + "ied"
    return base + base[-1] + "ed" if _short(base) else base + "ed"


def _ing(base: str) -> str:
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        return base[:-1] + "ing"
    return base + base[-1] + "ing" if _short(base) else base + "ing"


def _third(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in _VOWELS:
        return base[:-1] + "ies"
    return base + "s"


def plurals(words: Iterable[str]) -> frozenset[str]:
    """The words and their plurals."""
    out = set()
    for word in words:
        out.add(word)
        out.add(_third(word) if not word.endswith("o") else word + "s")
    return frozenset(out)


_FIRST_WORD = re.compile(r"[a-z]+")


def verb_pattern(spec: str) -> tuple[str, tuple[str, ...]]:
    """A ``verbs`` entry as a pack pattern and the words it can start with."""
    head, _, tail = spec.partition(" ")
    forms = inflections(head)
    pattern = "(?:" + "|".join(re.escape(f).replace(r"\-", "-") for f in sorted(forms, key=len, reverse=True)) + ")"
    starts = tuple(dict.fromkeys(m.group() for f in forms if (m := _FIRST_WORD.match(f.lower()))))
    return (f"{pattern} {tail}" if tail else pattern), starts


_PLAIN_START = re.compile(r"([a-z]+)(?:s\?)?(?=[ \-'\u2019(]|$)")
_GROUP_START = re.compile(r"\(\?:((?:[a-z]+(?:s\?)?(?: [a-z]+)*\|)*[a-z]+(?:s\?)?(?: [a-z]+)*)\)(?=[ \-'\u2019(]|$)")
_OPTIONAL_START = re.compile(r"\(\?:((?:[a-z]+ \|)*[a-z]+ )\)\?")


def word_starts(pattern: str) -> tuple[str, ...]:
    """The words a ``words`` pattern can start with: a plain word ("asleep at ..."), a group of
    plain alternatives ("(?:held|hold) ..."), either after an optional group of words
    ("(?:solely |fully )?responsible"); () when it starts otherwise (give keywords)."""
    optional = _OPTIONAL_START.match(pattern)
    lead: tuple[str, ...] = ()
    if optional:
        lead = tuple(alt.strip() for alt in optional.group(1).split("|"))
        pattern = pattern[optional.end() :]
    m = _PLAIN_START.match(pattern)
    if m:
        return (*lead, *_with_plural(m.group(0)))
    m = _GROUP_START.match(pattern)
    if m:
        firsts = [alt.split()[0] for alt in m.group(1).split("|")]
        return tuple(dict.fromkeys((*lead, *(w for first in firsts for w in _with_plural(first)))))
    return ()


def _with_plural(word: str) -> tuple[str, ...]:
    """ "mistakes?" -> mistake, mistakes."""
    return (word[:-2], word[:-2] + "s") if word.endswith("s?") else (word,)


# --- the grammar ------------------------------------------------------------------------------


class Form(NamedTuple):
    """One predicate pattern of a family and the words it can start with."""

    family: int
    pattern: str
    starts: tuple[str, ...]
    present: frozenset[str]
    """Its present-tense forms ("forget", "forgets"): blame only after an auxiliary."""
    except_: str
    back: int = 0
    """How far before its start word the pattern starts ("to blame" is found at "blame")."""
    negated: bool = False
    """Every shape needs a negation before it ("did not check"): checked before matching."""
    requires: tuple[tuple[str, str], ...] = ()
    """Per shape, what a match needs nearby for that shape to blame: where a word for a
    person must be ("before": a subject; "after": an agent, an object, a conditional's
    subject; '': nowhere, a passive hides its person) and what must come shortly before
    ("negation" for "did not check", "be" for a passive, "possessive" for "Carol's
    mistake", '' for nothing). A match none of whose shapes can blame is not read: cheap
    checks that save reading its sentence. Empty: always read."""


class Grammar:
    """The compiled families: predicate regexes by the word they start with, compiled on first use."""

    __slots__ = ("_compiled", "by_word", "families", "forms", "lexicon", "person_words", "triggers")

    def __init__(self, lexicon: Lexicon, families: Sequence[Family], forms: Sequence[Form]) -> None:
        self.lexicon = lexicon
        self.families = tuple(families)
        self.forms = tuple(forms)
        self.by_word: dict[str, list[int]] = {}
        for index, form in enumerate(self.forms):
            for word in form.starts:
                self.by_word.setdefault(word, []).append(index)
        self.triggers = frozenset(self.by_word)
        lex = lexicon
        words = lex.roles | lex.teams | lex.someone | {t.lower() for t in lex.team_names} | lex.team_compounds | lex.role_compounds
        tails = {word.replace(" ", "-").rsplit("-", 1)[-1] for word in words}
        self.person_words = _scanned(tails | _PERSON_PRONOUNS) - _STOP - {"it"}
        """Words one of which stands near every phrase that blames a person (roster names aside)."""
        self._compiled: dict[int, re.Pattern[str]] = {}

    def regex(self, index: int, bounded: Callable[[str], str]) -> re.Pattern[str]:
        found = self._compiled.get(index)
        if found is None:
            form = self.forms[index]
            found = self._compiled[index] = re.compile(bounded(form.pattern) + form.except_, re.IGNORECASE)
        return found


def build(raw: dict[str, Any]) -> Grammar:
    """The grammar from the pack's (validated) ``lexicon`` and ``families``."""
    lex = raw.get("lexicon") or {}
    lexicon = Lexicon(
        roles=plurals(lex.get("roles", ())),
        machine_roles=plurals(lex.get("machine-roles", ())),
        machine_words=frozenset(lex.get("machine-words", ())),
        machine_modifiers=frozenset(lex.get("machine-modifiers", ())),
        team_compounds=frozenset(lex.get("team-compounds", ())),
        role_compounds=frozenset(lex.get("role-compounds", ())),
        machine_objects=plurals(lex.get("machine-objects", ())),
        teams=plurals(lex.get("teams", ())),
        team_names=frozenset(lex.get("team-names", ())),
        someone=frozenset(lex.get("someone", ())),
        systems=plurals(lex.get("systems", ())),
        benefits=plurals(lex.get("benefits", ())),
    )
    families: list[Family] = []
    forms: list[Form] = []
    for index, entry in enumerate(raw.get("families", ())):
        kind = entry["kind"]
        subjects = entry.get("subjects") or _DEFAULT_SUBJECTS.get(kind, ("named", "role", "team", "someone", "they"))
        families.append(
            Family(
                entry["id"],
                kind,
                frozenset(entry["shapes"]),
                frozenset(subjects),
                entry["message"],
                entry["suggestion"],
                bool(entry.get("excusable")),
            )
        )
        except_ = entry.get("except") or ""
        for spec in entry.get("verbs", ()):
            pattern, starts = verb_pattern(spec)
            requires = _requires(kind, entry["shapes"])
            negated = bool(requires) and all(need == "negation" for _, need in requires)
            forms.append(Form(index, pattern, starts, _present(spec.partition(" ")[0]), except_, negated=negated, requires=requires))
        keywords = tuple(entry.get("keywords", ()))
        for pattern in entry.get("words", ()):
            starts, back = _anchor(pattern, word_starts(pattern) or keywords)
            forms.append(Form(index, pattern, starts, frozenset(), except_, back=back, requires=_requires(kind, entry["shapes"])))
    return Grammar(lexicon, families, forms)


_SHAPE_NEEDS = {
    "active": ("before", ""),
    "copula": ("before", "be"),
    "passive-person": ("before", "be"),
    "benefit": ("", "be"),
    "possessive": ("before", "possessive"),
    "without": ("before", ""),
    "attributive": ("after", ""),
    "agent": ("after", ""),
    "object": ("after", ""),
    "condition": ("after", ""),
    "passive": ("", "be"),
    "passive-agent": ("after", "be"),
    "free": ("", ""),
}


_COMMON_STARTS = _set("to at in on by of not a an the")
_LATER_WORDS = re.compile(r"((?:[a-z]{1,3} )+)(?:([a-z]{4,})|\(\?:((?:[a-z]{4,}\|)*[a-z]{4,})\))(?=[ \-'\u2019(]|$)")


def _anchor(pattern: str, starts: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """A pattern starting with very common short words ("to blame", "in a hurry", "by
    (?:mistake|accident)") is looked for at its first longer word instead, which is much
    rarer: (start words, how many characters before it the pattern starts)."""
    if len(starts) != 1 or starts[0] not in _COMMON_STARTS:
        return tuple(starts), 0
    m = _LATER_WORDS.match(pattern)
    if m is None:
        return tuple(starts), 0
    later = (m.group(2),) if m.group(2) else tuple(m.group(3).split("|"))
    return later, len(m.group(1))


def _requires(kind: str, shapes: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """What each of a family's shapes needs near a match (see `Form.requires`)."""
    needs = []
    for shape in shapes:
        where, need = _SHAPE_NEEDS[shape]
        if kind == "omission" and shape in ("active", "passive", "passive-agent"):
            need = "negation"
        needs.append((where, need))
    return () if ("", "") in needs else tuple(dict.fromkeys(needs))


def _scanned(words: Iterable[str]) -> frozenset[str]:
    """Words as the scanner finds them: lowered letters ("on-call" gives "on" and "call")."""
    return frozenset(w for word in words for w in re.findall(r"[a-z]+", word.lower()))


_NEEDS = {
    "negation": re.compile(r"\b(?:not|never|cannot)\b|n['\u2019]t\b", re.IGNORECASE),
    "be": re.compile(
        r"\b(?:was|were|is|are|am|be|been|being|got|gotten|get|gets|seemed|seems|appeared|appears|looked|looks|became"
        r"|becomes|remained|remains|grew|felt|sounded|proved)\b|['\u2019]s\b|n['\u2019]t\b",
        re.IGNORECASE,
    ),
    "possessive": re.compile(r"['\u2019]s\b|s['\u2019]|\b(?:his|her|their)\b", re.IGNORECASE),
}
"""What must come shortly before a predicate whose family needs it (searched only after the
predicate matched, in the few characters before it)."""
_NEED_REACH = 48
_PERSON_PRONOUNS = _set("he she his her him himself herself we us our they them their anyone whoever someone somebody")


# --- reading a sentence -----------------------------------------------------------------------

_BE = _set("was were is are am be been being 's")
_BE_PAST = _set("was were been got gotten")
_GET = _set("got gets get gotten getting")
_COPULA = _set("seemed seems appeared appears looked looks became becomes remained remains grew felt sounded proved")
_HAVE = _set("had has have 'd 've having")
_DO = _set("did does do")
_MODALS = _set("will would could can may might must shall should")
_ADVERBS = _set(
    "just simply also then apparently unfortunately again initially clearly obviously evidently completely totally "
    "first still later once somehow probably likely allegedly reportedly himself herself themselves both all each "
    "actually really repeatedly deliberately quickly immediately already even entirely fully partly mostly only "
    "ever always often sometimes subsequently finally eventually too very so quite rather extremely utterly "
    "increasingly visibly personally formally summarily promptly consistently routinely habitually now "
    "understandably unsurprisingly predictably frankly honestly basically essentially literally seriously badly "
    "somewhat jointly together alone ourselves myself yourself yet"
)
_NOT_ADVERBS = _set("only family reply supply assembly anomaly italy july rally ally fly early daily weekly monthly friendly")
_DETS = _set(
    "the a an our their his her my your its this that these those one another each every any some no neither none whole entire same"
)
_STOP = _set(
    "in on at by for with from to of into onto over under after before during about against between through without "
    "within via per than as and or but nor so if then because while when where which who whom whose that there here "
    "it is was were are be been being had has have did does do not never will would could can may might must should"
)
_THINKING = _set(
    "believed thought said assumed claimed knew noticed felt reported argued decided confirmed suspected expected "
    "realised realized found saw told believes thinks says assumes claims knows"
)
_POSSESSIVE = re.compile(r"^(.+?)(?:['\u2019]s|s['\u2019])$")
_GENDERED = _set("he she his her him himself herself")
_SELF_PRONOUNS = {"we": "we", "us": "we", "they": "they", "them": "they"}
_REACH = 40
"""How many tokens any look-back or look-ahead may cover (keeps scanning linear)."""


class VerbGroup(NamedTuple):
    """The auxiliaries and adverbs right before a predicate."""

    last: int
    """Index of the token before the group (the end of the subject), -1 when none."""
    be: bool
    be_past: bool
    copula: bool
    negative: bool
    modal: bool
    have: bool
    earlier: int = -1
    """For "was silenced by X and never re-enabled": the index of the first verb's "was"."""


def verb_group(tokens: Sequence[Token], index: int, floor: int) -> VerbGroup:
    """Walk back from ``tokens[index]`` over auxiliaries, negations and adverbs."""
    be = be_past = copula = negative = modal = have = False
    j = index - 1
    later = ""
    while j >= floor:
        low = tokens[j].low
        if low in _BE or low in _GET:
            be = copula = True
            be_past = be_past or low in _BE_PAST
        elif low in _COPULA:
            copula = True
        elif low in _HAVE:
            have = True
        elif low in _MODALS:
            modal = True
        elif scopes.is_negator(low):
            negative = True
            modal = modal or low.startswith(("won", "wouldn", "couldn", "can", "shouldn", "mustn"))
            be = be or low.startswith(("wasn", "weren", "isn", "aren"))
            be_past = be_past or low.startswith(("wasn", "weren"))
            copula = copula or be
            have = have or low.startswith(("hadn", "hasn", "haven"))
        elif low in _DO or low in _ADVERBS or _adverb(low) or (low == "to" and later in ("be", "have")):
            pass
        else:
            break
        later = low
        j -= 1
    return VerbGroup(j, be, be_past, copula, negative, modal, have)


def _adverb(low: str) -> bool:
    return len(low) > 4 and low.endswith("ly") and low.isalpha() and low not in _NOT_ADVERBS


class Reader:
    """Classifies the noun phrases of a sentence for one document's roster."""

    __slots__ = ("lex", "roster")

    def __init__(self, lexicon: Lexicon, roster: Roster) -> None:
        self.lex = lexicon
        self.roster = roster

    # -- words --------------------------------------------------------------------------------

    def word_class(self, token: Token, tokens: Sequence[Token], index: int) -> str:
        """What one word names: named, role, team, someone, they, we, system, proper or ''."""
        text = token.text
        low = token.low
        if text in self.roster.names or low.lstrip("@") in self.roster.handles:
            return "named"
        if low in _SELF_PRONOUNS:
            return _SELF_PRONOUNS[low]
        if low in self.lex.someone:
            return "someone"
        if text in self.lex.team_names:
            return "team"
        if low in self.lex.roles:
            return "role"
        if low in self.lex.teams:
            return "team"
        if low in self.lex.systems:
            return "system"
        if text[:1].isupper() and low.isalpha() and low not in _STOP and low not in _DETS:
            return "proper"
        return ""

    def person_word(self, low: str) -> bool:
        return low in self.lex.roles or low in self.lex.teams or low in self.lex.someone

    # -- noun phrases -------------------------------------------------------------------------

    def before(self, tokens: Sequence[Token], j: int, floor: int) -> NounPhrase | None:
        """The noun phrase ending at ``tokens[j]``: the subject of what follows it."""
        if j < floor:
            return None
        j = self._skip_postmodifier(tokens, j, floor)
        if j < floor:
            return None
        if tokens[j].text == ",":
            return self._appositive(tokens, j, floor)
        who = self._relative(tokens, j, floor)
        if who is not None:
            return who
        found = self.head(tokens, j, floor)
        if found is None or found.cls == "system":
            owned = self._owned(tokens, j, floor)
            if owned is not None:
                return owned
        return found

    def _owned(self, tokens: Sequence[Token], j: int, floor: int) -> NounPhrase | None:
        """ "Aiko's change": a thing owned by a person (the owner is who is blamed)."""
        for k in range(j - 1, max(floor, j - 3) - 1, -1):
            if _POSSESSIVE.match(tokens[k].text):
                owner = self.head(tokens, k, floor, possessive=True)
                if owner is not None and owner.cls in PERSONISH and owner.cls != "proper":
                    return owner._replace(cls="owned", last=k)
                return None
            if not tokens[k].text[:1].isalnum() or tokens[k].low in _STOP:
                return None
        return None

    def head(self, tokens: Sequence[Token], j: int, floor: int, possessive: bool = False) -> NounPhrase | None:
        """The noun phrase whose head is ``tokens[j]`` (a possessive head only when asked)."""
        token = tokens[j]
        if possessive:
            m = _POSSESSIVE.match(token.text)
            if m is None:
                return _pronoun_owner(token, j)
            token = Token(token.start, token.start + len(m.group(1)), m.group(1), m.group(1).lower())
        elif _POSSESSIVE.match(token.text) and token.low not in ("its",):
            return None
        cls = self.word_class(token, tokens, j)
        if cls in ("", "system", "proper") and j - 1 >= floor:
            cls = self._compound(f"{tokens[j - 1].low} {token.low}") or cls
        if not cls:
            return None
        first = j
        if cls == "named":
            while first - 1 >= floor and self.word_class(tokens[first - 1], tokens, first - 1) == "named":
                first -= 1
        first, negative = self._modifiers(tokens, first, floor)
        if cls == "role" and self._machine(tokens, first, j):
            cls = "system"
        if cls == "proper" and not any(t.low in _GENDERED for t in tokens):
            cls = ""
        if negative or (first >= 2 and tokens[first - 1].low == "of" and tokens[first - 2].low in ("none", "neither")):
            negative = True
        return NounPhrase(cls, first, j, negative) if cls else None

    def _modifiers(self, tokens: Sequence[Token], j: int, floor: int) -> tuple[int, bool]:
        """Walk back over determiners and modifiers (up to four words) before a head."""
        first = j
        negative = False
        while first - 1 >= floor and j - first < 4:
            prev = tokens[first - 1]
            low = prev.low
            if low in _DETS:
                first -= 1
                negative = negative or low in ("no", "neither", "none")
                break
            if (
                prev.text in self.lex.team_names
                or _POSSESSIVE.match(prev.text)
                or (prev.text[:1].isalnum() and low not in _STOP and not scopes.is_negator(low))
            ):
                if low in _BE or low in _HAVE or low in _MODALS or low in _DO:
                    break
                first -= 1
                continue
            break
        return first, negative

    def _skip_postmodifier(self, tokens: Sequence[Token], j: int, floor: int) -> int:
        """Index before "on duty", "that night", "as a group", "responsible for X", "from the X team"."""
        lows = [t.low for t in tokens[max(floor, j - 4) : j + 1]]
        if len(lows) >= 2 and lows[-2] == "on" and lows[-1] in ("duty", "call", "shift", "watch", "rotation", "pager"):
            return j - 2
        if (
            len(lows) >= 2
            and lows[-2] in ("that", "last")
            and lows[-1] in ("night", "week", "day", "weekend", "morning", "evening", "shift")
        ):
            return j - 2
        if (
            len(lows) >= 3
            and lows[-3:-1] in (["as", "a"], ["at", "the"], ["of", "the"])
            and lows[-1] in ("group", "whole", "team", "time", "week", "day")
        ):
            return j - 3
        if len(lows) >= 2 and lows[-2] == "in" and lows[-1] in ("charge", "question"):
            return j - 2
        if lows and lows[-1] in ("involved", "concerned", "responsible"):
            return j - 1
        for back in range(1, min(6, j - floor) + 1):
            low = tokens[j - back].low
            if low == "responsible" and tokens[j - back + 1].low == "for":
                return j - back - 1
            if low in ("from", "on", "in") and tokens[j].low in ("team", "teams") and back <= 4:
                return j - back - 1
        return j

    def _appositive(self, tokens: Sequence[Token], j: int, floor: int) -> NounPhrase | None:
        """ "Dana, the incident commander, failed": the phrase before the first comma."""
        for k in range(j - 1, max(floor, j - 14) - 1, -1):
            if tokens[k].text == ",":
                opener = tokens[k + 1].low if k + 1 < j else ""
                if opener in _DETS or opener in ("who", "whom", "which", "as") or self._named_at(tokens, k + 1):
                    found = self.before(tokens, k - 1, floor)
                    if found is None:
                        return None
                    name_last = found.last if opener in ("who", "whom", "which", "as") else j - 1
                    return found._replace(last=j - 1, name_last=name_last)
                return None
        return None

    def _named_at(self, tokens: Sequence[Token], k: int) -> bool:
        return k < len(tokens) and self.word_class(tokens[k], tokens, k) in ("named", "role")

    def _relative(self, tokens: Sequence[Token], j: int, floor: int) -> NounPhrase | None:
        """ "The developer who wrote the migration": the phrase before "who" (no comma between)."""
        for k in range(j, max(floor, j - 10) - 1, -1):
            token = tokens[k]
            if token.text == ",":
                return None
            if token.low == "whoever":
                return NounPhrase("someone", k, j)
            if (
                token.low == "to"
                and k - 2 >= floor
                and tokens[k - 1].low in ("person", "one", "engineer", "people")
                and tokens[k - 2].low in ("next", "last", "first", "only", "any")
            ):
                found = self.head(tokens, k - 1, floor)
                return found._replace(last=j) if found and found.cls in PERSONISH else None
            if token.low in _THINKING:
                return None
            if token.low in ("who", "whom") and k - 1 >= floor:
                found = self.head(tokens, k - 1, floor) or self.before(tokens, k - 1, floor)
                return found._replace(last=j) if found and found.cls in PERSONISH else None
        return None

    def after(self, tokens: Sequence[Token], k: int, limit: int = 6) -> NounPhrase | None:
        """The noun phrase starting at ``tokens[k]``: an agent, object or conditional subject."""
        end = min(len(tokens), k + limit)
        start = k
        found: NounPhrase | None = None
        i = k
        while i < end:
            token = tokens[i]
            low = token.low
            if not token.text[:1].isalnum() and not token.text.startswith("@"):
                break
            if found is None and low in _DETS:
                i += 1
                continue
            cls = self.word_class(token, tokens, i)
            if cls in ("", "system", "proper") and i > start:
                cls = self._compound(f"{tokens[i - 1].low} {low}") or cls
            if _POSSESSIVE.match(token.text):
                owner = self.head(tokens, i, start, possessive=True)
                return owner._replace(first=start) if owner else None
            if cls and cls != "proper":
                if found is not None and cls not in ("role", "team", "named", "system"):
                    break
                found = NounPhrase(cls, start, i, any(t.low == "no" for t in tokens[start:i]))
                i += 1
                continue
            if found is not None:
                break
            if low in _STOP or low in _BE or low in _HAVE or low in _MODALS or scopes.is_negator(low):
                break
            if cls == "proper" and any(t.low in _GENDERED for t in tokens):
                found = NounPhrase("proper", start, i)
                i += 1
                continue
            i += 1
        if found and found.cls == "role" and self._machine(tokens, start, found.last):
            return found._replace(cls="system")
        return found

    def _compound(self, pair: str) -> str:
        """ "customer support" is a team, "tech lead" a role ('' for neither)."""
        if pair in self.lex.team_compounds:
            return "team"
        if pair in self.lex.role_compounds or (pair.endswith("s") and pair[:-1] in self.lex.role_compounds):
            return "role"
        return ""

    def _machine(self, tokens: Sequence[Token], first: int, head: int) -> bool:
        """ "the Kubernetes operator", "the package manager", "the automated reviewer": a machine."""
        modifiers = [tokens[x].low for x in range(first, head)]
        if any(word in self.lex.machine_words for word in modifiers) or (
            head + 1 < len(tokens) and tokens[head + 1].low in self.lex.machine_words
        ):
            return True
        if tokens[head].low not in self.lex.machine_roles:
            return False
        names = self.roster.names
        capitalised = any(
            tokens[x].text[:1].isupper() and tokens[x].text not in names for x in range(first, head) if tokens[x].low not in _DETS
        )
        return (
            capitalised or (tokens[head].text[:1].isupper() and head > 0) or any(word in self.lex.machine_modifiers for word in modifiers)
        )

    def clause_subject(self, tokens: Sequence[Token], lo: int, hi: int) -> NounPhrase | None:
        """The subject at the start of a clause ("Dana ran the migration without ...")."""
        k = lo
        while k < hi and (
            tokens[k].low in scopes.SUBORDINATORS
            or tokens[k].low in ("and", "then", "also", "so")
            or _adverb(tokens[k].low)
            or (not tokens[k].text[:1].isalnum() and not tokens[k].text.startswith("@"))
        ):
            k += 1
        comma = next((c for c in range(k, min(hi, k + 7)) if tokens[c].text == ","), None)
        found = self.after(tokens, k)
        if found is None and comma is not None:
            found = self.after(tokens, comma + 1)
        return found


def _pronoun_owner(token: Token, j: int) -> NounPhrase | None:
    return {"his": NounPhrase("someone", j, j), "her": NounPhrase("someone", j, j), "their": NounPhrase("they", j, j)}.get(token.low)


def token_index(tokens: Sequence[Token], starts: Sequence[int], at: int) -> int:
    """Index of the first token starting at or after ``at``."""
    return bisect.bisect_left(starts, at)


def within(index: int, floor: int) -> int:
    """The floor of a look-back from ``index``: never more than _REACH tokens."""
    return max(floor, index - _REACH)


# --- finding blame ----------------------------------------------------------------------------

_CAUSE_AFTER = _set("because due since owing automatically silently intentionally programmatically")
_CROWD = _set("many several some most few numerous lots thousands millions hundreds multiple various other")
_AGENT_EXCUSES = _set("being was is on out away having leaving joining covering taking who's")
_FAULT_WORDS = _set(
    "mistake mistakes error errors oversight change changes commit deploy deployment push pr typo fault negligence "
    "carelessness untested bad broken faulty wrong script command edit config query migration decision"
)
_WOULD = re.compile(
    r"\b(?:would|could|might)(?:n['\u2019]t| not| never)?\s+(?:have|['\u2019]ve)\b|\bwould(?:n['\u2019]t| not| never)?\s+\w+", re.IGNORECASE
)


_SANCTIONED = re.compile(
    r"\b(?:as (?:the |our )?(?:runbook|process|procedure|policy|playbook|checklist|plan) (?:says|said|allows|allowed"
    r"|requires|required|prescribes|prescribed|permits|permitted|instructs|instructed|recommends|recommended)"
    r"|as (?:allowed|permitted|intended|planned|agreed|designed|instructed|documented|expected|required|prescribed)"
    r"|per (?:the |our )?(?:runbook|policy|process|procedure|playbook))\b",
    re.IGNORECASE,
)


class Finder:
    """Blame hits of one masked text: each candidate predicate read in its sentence."""

    __slots__ = ("_starts", "grammar", "original", "reader", "sentences", "text")

    def __init__(self, grammar: Grammar, roster: Roster, sentences: scopes.Sentences, original: str | None = None) -> None:
        self.grammar = grammar
        self.reader = Reader(grammar.lexicon, roster)
        self.sentences = sentences
        self.text = sentences.text
        self.original = original if original is not None else sentences.text
        """The unmasked text (same offsets), which messages quote: `code`, not blanks."""
        self._starts: dict[int, list[int]] = {}

    def hits(self, found: dict[str, list[int]], bounded: Callable[[str], str]) -> Iterator[Hit]:
        grammar = self.grammar
        people = sorted(at for w in (grammar.person_words | self.reader.roster.words) & found.keys() for at in found[w])
        text = self.text
        forms = grammar.forms
        for word in sorted(found.keys() & grammar.triggers):
            indexes = grammar.by_word[word]
            regexes = [grammar.regex(index, bounded) for index in indexes]
            for at in found[word]:
                for index, regex in zip(indexes, regexes, strict=True):
                    form = forms[index]
                    if form.negated and not _needed("negation", text[max(0, at - _NEED_REACH) : at]):
                        continue  # an omission is a negated duty ("did not check"): none is near
                    m = regex.match(text, at - form.back)
                    if m is None:
                        continue
                    if form.requires and not _possible(form.requires, text, people, m):
                        continue  # e.g. "did not check" needs a negation and a person, and none is near
                    hit = self.read(grammar.families[form.family], m, form.present)
                    if hit is not None:
                        yield hit

    def read(self, family: Family, m: re.Match[str], present: frozenset[str] = frozenset()) -> Hit | None:
        """The hit of one predicate match, or None when nobody is blamed."""
        if self.sentences.quoted(m.start(), m.end()) or self.text[m.end() : m.end() + 1] == "-":
            return None  # quoted, or only the start of a hyphenated word ("Blame-free")
        sentence_start, tokens = self.sentences.tokens(m.start())
        starts = self._starts.get(sentence_start)
        if starts is None:
            starts = self._starts[sentence_start] = [t.start for t in tokens]
        i = token_index(tokens, starts, m.start())
        k = max(i, token_index(tokens, starts, m.end()) - 1)
        if i >= len(tokens):
            return None
        lo = scopes.clause_start(tokens, i, sentence_start) if i else 0
        lo = max(lo, i - _REACH)
        if family.kind != "sarcasm" and _SANCTIONED.search(self.text, *self.sentences.span(m.start())):
            return None  # "..., as the runbook allows"
        if tokens[i].low in present and not _auxiliary(tokens, i, lo):
            return None  # "Engineers forget things": a general truth, not this incident
        for shape in family.shapes:
            reader = _SHAPES[shape]
            hit = reader(self, family, tokens, i, k, lo, m)
            if hit is not None:
                return hit
        return None

    # -- results ------------------------------------------------------------------------------

    def _hit(
        self,
        family: Family,
        tokens: Sequence[Token],
        who: NounPhrase | None,
        i: int,
        k: int,
        lo: int,
        span: tuple[int, int] | None = None,
        shown_from: int | None = None,
    ) -> Hit | None:
        """The hit for a predicate at tokens ``i..k`` blaming ``who``, unless negated or listed.

        ``span`` is what the finding underlines (subject to predicate by default);
        ``shown_from`` where the phrase quoted in the message starts (the predicate)."""
        first = min(who.first, i) if who is not None else i
        last = max(who.last, k) if who is not None else k
        start, end = span if span is not None else (tokens[first].start, tokens[last].end)
        if who is not None and who.negative:
            return None
        near = 6 if family.kind == "fault" else 0
        clause = tokens[lo].start if lo < len(tokens) else start
        if scopes.negated(self.text, clause, start, end, tokens[max(0, lo) : i + 1], near, self.reader.person_word, tokens[i].start):
            return None
        name = self._name(tokens, who) if who is not None and who.cls in PERSONISH else None
        if name is None and scopes.option_list(self.text, self.sentences.span(start), start, end):
            return None
        shown_at = i if shown_from is None or shown_from > i else max(0, shown_from)
        shown = _text(self.original, tokens[shown_at].start, _object_end(tokens, k))
        obj = _text(self.original, tokens[k + 1].start, _object_end(tokens, k)) if k + 1 < len(tokens) else ""
        message = family.message.format(who=name or "someone")
        suggestion = family.suggestion.replace("{object}", _object(obj))
        return Hit(start, end, "PM602" if name else "PM601", f'{message} ("{shown}")', suggestion, family.id)

    def _name(self, tokens: Sequence[Token], who: NounPhrase) -> str:
        """How the message names who is blamed: "Dana", "the on-call engineer", "someone"."""
        first = tokens[who.first]
        last = who.name_last if who.name_last >= 0 else who.last
        text = _text(self.original, first.start, tokens[min(last, len(tokens) - 1)].end)
        text = re.sub(r"['\u2019]s$", "", text)
        common = first.low in _DETS or (who.cls not in ("named", "proper") and first.text not in self.grammar.lexicon.team_names)
        return (
            first.low + text[len(first.low) :]
            if common and first.text[:1].isupper() and len(first.text) > 1 and not _POSSESSIVE.match(first.text)
            else text
        )

    def _ok(self, family: Family, who: NounPhrase | None) -> bool:
        return (who is not None and who.cls in family.subjects) or (who is not None and who.cls == "proper" and "named" in family.subjects)


def _auxiliary(tokens: Sequence[Token], i: int, lo: int) -> bool:
    """Whether an auxiliary or a negation comes right before ``tokens[i]`` ("did not check")."""
    group = verb_group(tokens, i, lo)
    return any(
        t.low in _DO or t.low in _MODALS or t.low in _HAVE or t.low in _BE or t.low in _GET or scopes.is_negator(t.low)
        for t in tokens[group.last + 1 : i]
    )


def _needed(need: str, before: str) -> bool:
    """Whether ``before`` (the text just before a predicate) holds what its family needs."""
    if need == "negation":
        lowered = before.lower()
        return "not" in lowered or "n't" in lowered or "n\u2019t" in lowered or "never" in lowered
    return _NEEDS[need].search(before) is not None


def _possible(requires: Sequence[tuple[str, str]], text: str, people: Sequence[int], m: re.Match[str]) -> bool:
    """Whether one of the shapes of a match has what it needs nearby (see `Form.requires`)."""
    return any(
        _person_near(people, m, where) and (not need or _needed(need, text[max(0, m.start() - _NEED_REACH) : m.start()]))
        for where, need in requires
    )


def _person_near(offsets: Sequence[int], m: re.Match[str], where: str) -> bool:
    """Whether a person word lies where ``where`` says: before the match, or just after it."""
    if where == "before":
        i = bisect.bisect_left(offsets, m.start() - _PERSON_BEFORE)
        return i < len(offsets) and offsets[i] <= m.start()
    if where == "after":
        i = bisect.bisect_left(offsets, m.start())
        return i < len(offsets) and offsets[i] <= m.end() + _PERSON_AFTER
    return True


_PERSON_BEFORE = 160
_PERSON_AFTER = 40


def _text(text: str, start: int, end: int) -> str:
    """``text[start:end]`` on one line, without Markdown emphasis."""
    return " ".join(text[start:end].replace("**", "").replace("__", "").split())


_OBJECT_STOP = _set(
    "for to in on at by before after during when and so because while until from with without since as which that "
    "who but or if then despite even"
)


def _object_end(tokens: Sequence[Token], k: int) -> int:
    """Where the object after ``tokens[k]`` ends (at most five words, stopping at a preposition)."""
    end = tokens[k].end
    for token in tokens[k + 1 : k + 6]:
        if not token.text[:1].isalnum() or token.low in _OBJECT_STOP:
            break
        end = token.end
    return end


def _object(obj: str) -> str:
    return obj or "it"


# -- shapes --------------------------------------------------------------------------------------


def _active(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    group = verb_group(tokens, i, lo)
    progressive = tokens[i].low.endswith("ing")
    if group.be and not progressive and family.kind not in ("counterfactual",) and not tokens[i].low.startswith(("should", "ought")):
        return None
    if family.kind == "omission":
        if not group.negative or _present_negation(tokens, group.last + 1, i) or _bare_not(tokens, group.last + 1, i):
            return None
    elif group.negative:
        return None
    if group.modal and not group.have and family.kind != "counterfactual":
        return None
    if (family.kind == "omission" or family.excusable) and _reason_follows(tokens, k):
        return None  # "missed the handover because she was on another bridge": a reason, not a failing
    who = f.reader.before(tokens, group.last, lo) if group.last >= lo else None
    if who is None and group.last >= lo and tokens[group.last].low in ("and", ",", "then"):
        who = f.reader.clause_subject(tokens, lo, group.last)
    if not f._ok(family, who):
        return None
    return f._hit(family, tokens, who, i, k, lo, shown_from=group.last + 1)


_COGNITION = _set(
    "linked attributed thought believed assumed reported identified diagnosed classified considered flagged marked "
    "treated seen taken regarded interpreted tied associated blamed labelled labeled"
)


def _machine_object(f: Finder, tokens: Sequence[Token], lo: int, last: int) -> bool:
    """The passive's subject is something software handles ("the ORDER BY clause was ignored")."""
    k = lo
    while k <= last and (tokens[k].low in _DETS or not tokens[k].text[:1].isalnum()):
        k += 1
    heads = [t.low for t in tokens[k : last + 1]]
    stop = next((n for n, w in enumerate(heads) if w in _STOP), len(heads))
    phrase = heads[:stop]
    return bool(phrase) and phrase[-1] in f.grammar.lexicon.machine_objects


def _bare_not(tokens: Sequence[Token], first: int, i: int) -> bool:
    """ "Family members not informed": a headline passive, "not" with no auxiliary."""
    lows = [t.low for t in tokens[first:i]]
    return "not" in lows and not any(w in _DO or w in _HAVE or w in _MODALS or w in _BE or w == "never" for w in lows)


def _present_negation(tokens: Sequence[Token], first: int, i: int) -> bool:
    """ "does not remember", "don't check": a present habit or state, not what happened."""
    lows = {t.low for t in tokens[first:i]}
    return bool(lows & {"does", "do", "doesn't", "don't", "doesn\u2019t", "don\u2019t", "cannot", "can't", "can\u2019t"})


def _passive(
    f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str], need_agent: bool = False
) -> Hit | None:
    group = verb_group(tokens, i, lo)
    if not group.be_past and group.last >= lo and tokens[group.last].low == "and":
        group = _coordinated_passive(tokens, group, lo)
        if _object_follows(tokens, k):
            return None  # "was rushed ... and skipped validation": an active verb with an object
    if not group.be_past or tokens[i].low.endswith("ing") or (tokens[max(lo, group.last + 1) : i][-1:] and tokens[i - 1].low == "being"):
        return None
    if (family.kind == "omission") != group.negative or (group.modal and not group.have):
        return None
    subject = f.reader.before(tokens, group.last, lo) if group.last >= lo else None
    if subject is not None and subject.cls in PERSONISH:
        return None
    if k + 1 < len(tokens) and tokens[k + 1].low in _COGNITION and tokens[k].low.endswith("ly"):
        return None  # "the crashes were mistakenly linked to ...": a wrong diagnosis, not a blamed act
    if any(t.low in _CAUSE_AFTER for t in tokens[max(lo, group.last + 1) : i]):
        return None
    agent = None
    after = k + 1
    earlier_by = next((j for j in range(group.earlier + 1, i) if tokens[j].low == "by"), None)
    if group.earlier >= 0 and earlier_by is not None:
        agent = f.reader.after(tokens, earlier_by + 1)
    elif after < len(tokens) and tokens[after].low == "by":
        agent = f.reader.after(tokens, after + 1)
        if (agent is not None and agent.cls not in PERSONISH) or (agent is None and _cause_word(tokens, after + 1)):
            return None
    elif _reason_follows(tokens, k):
        return None
    if need_agent and (agent is None or agent.cls not in family.subjects):
        return None
    if (agent is None or agent.cls not in PERSONISH) and _machine_object(f, tokens, lo, group.last):
        return None
    first = subject.first if subject is not None else _thing_start(tokens, group.last, lo)
    hit = f._hit(family, tokens, None, first, k, lo)
    if hit is None:
        return None
    thing = _text(f.original, tokens[first].start, tokens[max(first, group.last)].end) if group.last >= first else ""
    hit = hit._replace(suggestion=family.suggestion.replace("{object}", _object(thing[:1].lower() + thing[1:])))
    if agent is not None and agent.cls in family.subjects:
        name = f._name(tokens, agent)
        end = max(tokens[agent.last].end, hit.end)
        return hit._replace(end=end, code="PM602", message=hit.message.replace("someone", name, 1))
    return hit._replace(message=hit.message.replace("someone", "someone unnamed", 1))


def _thing_start(tokens: Sequence[Token], j: int, lo: int) -> int:
    """Where the noun phrase ending at ``tokens[j]`` starts ("the disk-space warning"), at most five words back."""
    first = j + 1
    while first - 1 >= lo and j - first < 5:
        prev = tokens[first - 1]
        if not (prev.text[:1].isalnum() or prev.text.startswith("\x00")) or prev.low in _STOP or scopes.is_negator(prev.low):
            break
        first -= 1
        if prev.low in _DETS:
            break
    return first


def _object_follows(tokens: Sequence[Token], k: int) -> bool:
    """Whether a noun phrase follows ``tokens[k]`` (so the verb there is active, not a passive)."""
    if k + 1 >= len(tokens):
        return False
    low = tokens[k + 1].low
    return low in _DETS or (tokens[k + 1].text[:1].isalnum() and low not in _STOP and not _adverb(low))


def _coordinated_passive(tokens: Sequence[Token], group: VerbGroup, lo: int) -> VerbGroup:
    """ "The alert was silenced by an engineer and never re-enabled": the "was" of the first verb."""
    for j in range(group.last - 1, max(lo, group.last - 12) - 1, -1):
        if tokens[j].low in _BE_PAST:
            earlier = verb_group(tokens, j + 1, lo)
            return group._replace(last=earlier.last, be=True, be_past=True, modal=group.modal or earlier.modal, earlier=j)
        if tokens[j].text in scopes.CLAUSE_BREAKS:
            break
    return group


def _passive_agent(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    """A passive that blames only when a person is its agent ("was not checked by the engineer")."""
    return _passive(f, family, tokens, i, k, lo, m, need_agent=True)


def _cause_word(tokens: Sequence[Token], k: int) -> bool:
    return k < len(tokens) and tokens[k].low in ("mistake", "accident", "error", "hand")


def _reason_follows(tokens: Sequence[Token], k: int) -> bool:
    """A reason or an instruction follows the predicate in its clause ("did not escalate because ...")."""
    for token in tokens[k + 1 : k + 12]:
        if token.text in scopes.CLAUSE_BREAKS:
            return False
        if token.low in ("because", "since", "per", "due"):
            return True
    return False


def _passive_person(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    group = verb_group(tokens, i, lo)
    if not group.be or group.negative:
        return None
    who = f.reader.before(tokens, group.last, lo) if group.last >= lo else None
    if not f._ok(family, who):
        return None
    return f._hit(family, tokens, who, i, k, lo, shown_from=group.last + 1)


def _benefit(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    group = verb_group(tokens, i, lo)
    if not group.be or group.negative:
        return None
    benefits = f.grammar.lexicon.benefits
    for j in range(group.last, max(lo, group.last - 8) - 1, -1):
        if tokens[j].low in benefits and j - 1 >= lo:
            for o in range(j - 1, max(lo, j - 3) - 1, -1):
                owner = f.reader.head(tokens, o, lo, possessive=True)
                if owner is not None and f._ok(family, owner):
                    return f._hit(family, tokens, owner._replace(last=o), i, k, lo, (tokens[owner.first].start, tokens[k].end))
            return None
    return None


def _copula(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    group = verb_group(tokens, i, lo)
    if not group.copula or group.negative:
        return None
    if group.modal and not group.have:
        return None
    who = f.reader.before(tokens, group.last, lo) if group.last >= lo else None
    if who is None and group.last >= lo and tokens[group.last].low in ("and", ","):
        who = f.reader.clause_subject(tokens, lo, group.last)
    if not f._ok(family, who):
        return None
    return f._hit(family, tokens, who, i, k, lo, shown_from=group.last + 1)


def _attributive(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    if tokens[i].text[:1].isupper() and i > 0:
        return None  # "Slack engineers": a name, not an adjective
    for j in range(k + 1, min(len(tokens), k + 3)):
        cls = f.reader.word_class(tokens[j], tokens, j)
        if cls in ("role", "team") and cls in family.subjects:
            first, negative = f.reader._modifiers(tokens, i, lo)
            if negative or (i > lo and scopes.is_negator(tokens[i - 1].low)):
                return None
            who = NounPhrase(cls, first, j)
            return f._hit(family, tokens, who, i, j, lo)
        if not tokens[j].text[:1].isalnum() or tokens[j].low in _STOP:
            return None
    return None


def _possessive(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    if i - 1 < lo:
        return None
    owner = f.reader.head(tokens, i - 1, lo, possessive=True)
    if not f._ok(family, owner):
        return None
    assert owner is not None
    before = [t.low for t in tokens[max(0, owner.first - 4) : owner.first] if t.low not in ("/", "his", "her", "their")]
    if before[-2:-1] and before[-1] == "from" and before[-2].startswith("learn"):
        return None  # "learn from his/her mistakes"
    return f._hit(family, tokens, owner, i, k, lo, shown_from=owner.first)


def _agent(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    if k + 1 >= len(tokens):
        return None
    who = f.reader.after(tokens, k + 1)
    if not f._ok(family, who):
        return None
    assert who is not None
    following = [t.low for t in tokens[who.last + 1 : who.last + 4]]
    if following[:1] and following[0] in _AGENT_EXCUSES:
        return None
    if any(t.low in _CROWD for t in tokens[who.first : who.last]):
        return None
    if _POSSESSIVE.match(tokens[who.last].text) and not _FAULT_WORDS.intersection(following):
        return None
    group = verb_group(tokens, i, lo)
    if group.negative:
        return None
    return f._hit(family, tokens, who, i, who.last, lo, (tokens[i].start, tokens[who.last].end))


def _object_shape(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    j = k + 1
    if j < len(tokens) and tokens[j].low in ("to", "off", "of"):
        j += 1
    if j >= len(tokens):
        return None
    who = f.reader.after(tokens, j)
    if not f._ok(family, who) or verb_group(tokens, i, lo).negative:
        return None
    assert who is not None
    return f._hit(family, tokens, who, i, who.last, lo, (tokens[i].start, tokens[who.last].end))


_CONDITION_VERBS = _set("had hadn't hadn’t 'd ’d was were wasn't weren't did didn't")


def _condition(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    word = tokens[i].low
    sentence = f.sentences.span(tokens[i].start)
    if word == "had":
        if i > 0 and tokens[i - 1].text not in ",;:(" and tokens[i - 1].low not in scopes.SUBORDINATORS | {"and", "but", "or"}:
            return None
        if not _WOULD.search(f.text, *sentence):
            return None
        who = f.reader.after(tokens, i + 1)
        verb_at = who.last + 1 if who else -1
    else:
        j = i + 1
        while j < len(tokens) and tokens[j].low in ("only", "just", "even"):
            j += 1
        who = f.reader.after(tokens, j)
        verb_at = who.last + 1 if who else -1
        if who is None or verb_at >= len(tokens):
            return None
        verb = tokens[verb_at].low
        if verb not in _CONDITION_VERBS or (verb not in ("had", "hadn't", "hadn\u2019t") and not _WOULD.search(f.text, *sentence)):
            return None
        if verb == "had" and verb_at + 1 < len(tokens) and tokens[verb_at + 1].low == "to":
            return None
    if not f._ok(family, who) or who is None:
        return None
    if _lesson_condition(tokens, verb_at, word == "had"):
        return None
    end = min(len(tokens) - 1, verb_at + 2)
    while end > verb_at and not tokens[end].text[:1].isalnum():
        end -= 1
    return f._hit(family, tokens, who, i, end, lo)


_POSSESSION = _set("had have a an the any more better enough access some no to received got gotten")


def _lesson_condition(tokens: Sequence[Token], verb_at: int, inverted: bool) -> bool:
    """ "If the on-call had had a runbook", "Had the engineer been warned": what the person
    lacked or was not given, a lesson about the system rather than a judgement."""
    words = [t.low for t in tokens[verb_at : verb_at + 4]]
    if not inverted:
        if not words or words[0] not in ("had", "hadn't", "hadn\u2019t"):
            return False
        words = words[1:]
    while words and (words[0] in ("not", "never", "just", "only", "already", "actually") or _adverb(words[0])):
        words = words[1:]
    if not words:
        return False
    if words[0] in _POSSESSION:
        return True
    return (
        words[0] == "been"
        and len(words) > 1
        and (words[1].endswith(("ed", "en", "wn")) or words[1] in ("told", "given", "shown", "sent", "paged", "taught", "let"))
    )


def _without(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    who = f.reader.clause_subject(tokens, lo, i)
    if not f._ok(family, who):
        if who is not None and who.cls in PERSONISH:
            return None
        return _hidden_without(f, family, tokens, i, k, lo, who)
    assert who is not None
    between = tokens[who.last + 1 : i]
    if any(t.low in _MODALS or t.low == "to" or scopes.is_negator(t.low) for t in between):
        return None
    if any(t.low in ("can", "lets", "let", "allows", "allowed", "able") for t in between):
        return None
    return f._hit(family, tokens, who, who.last + 1, k, lo, (tokens[who.first].start, tokens[k].end))


def _hidden_without(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, thing: NounPhrase | None) -> Hit | None:
    """ "The config was pushed without any review": a passive hides who acted."""
    first = thing.first if thing is not None else lo
    between = tokens[(thing.last + 1 if thing is not None else lo) : i]
    if not any(t.low in _BE_PAST for t in between[:4]) or any(t.low in _MODALS or scopes.is_negator(t.low) for t in between):
        return None
    if thing is not None and thing.cls == "system" and tokens[thing.last].low in f.grammar.lexicon.machine_words:
        return None
    hit = f._hit(family, tokens, None, first, k, lo)
    return hit._replace(message=hit.message.replace("someone", "someone unnamed", 1)) if hit else None


def _free(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    group = verb_group(tokens, i, lo)
    if group.negative:
        return None
    who = f.reader.before(tokens, group.last, lo) if group.last >= lo else None
    if who is not None and who.cls == "system" and family.kind != "sarcasm":
        return None
    if who is not None and who.cls not in family.subjects:
        who = None
    if who is None:
        who = next(
            (np for j in range(i + 1, k + 1) if (np := f.reader.after(tokens, j, 4)) is not None and np.cls in family.subjects), None
        )
        if who is not None:
            return _named_inside(f, family, tokens, who, i, k, lo)
    return f._hit(family, tokens, who, i, k, lo)


def _named_inside(f: Finder, family: Family, tokens: Sequence[Token], who: NounPhrase, i: int, k: int, lo: int) -> Hit | None:
    """ "Management removed Marco from the rotation": the person named inside the phrase."""
    hit = f._hit(family, tokens, None, i, k, lo)
    if hit is None:
        return None
    name = f._name(tokens, who)
    return hit._replace(code="PM602", message=hit.message.replace("someone", name, 1))


_SHAPES: dict[str, Callable[[Finder, Family, Sequence[Token], int, int, int, re.Match[str]], Hit | None]] = {
    "active": _active,
    "passive": _passive,
    "passive-agent": _passive_agent,
    "passive-person": _passive_person,
    "benefit": _benefit,
    "copula": _copula,
    "attributive": _attributive,
    "possessive": _possessive,
    "agent": _agent,
    "object": _object_shape,
    "condition": _condition,
    "without": _without,
    "free": _free,
}
