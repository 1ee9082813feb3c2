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
option-list scopes are in `postmortem_lint.checks.blame_scopes`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from postmortem_lint.checks import blame_scopes as scopes
from postmortem_lint.checks.blame_scopes import Token
from postmortem_lint.checks.blame_scopes import word_set as _set
from postmortem_lint.core import regexes
from postmortem_lint.core.inflection import plurals, present_forms, verb_pattern, word_starts

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


class NounPhrase(NamedTuple):
    cls: str
    first: int
    """Index of its first token."""
    last: int
    """Index of its head (or of the last token of what it spans)."""
    negative: bool = False
    name_last: int = -1
    """Where its name ends when it spans more ("Marcus, who was new to the team,": "Marcus")."""


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

    __slots__ = ("_compiled", "_plans", "by_word", "families", "forms", "lexicon", "person_words", "triggers")

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
        self.person_words = _scanned(tails | _PERSON_PRONOUNS) - STOP - {"it"}
        """Words one of which stands near every phrase that blames a person (roster names aside)."""
        self._compiled: dict[int, re.Pattern[str]] = {}
        self._plans: dict[str, tuple[Step, ...]] = {}

    def regex(self, index: int, bounded: Callable[[str], str]) -> re.Pattern[str]:
        found = self._compiled.get(index)
        if found is None:
            found = self._compiled[index] = regexes.compile(*self.pattern(index, bounded))
        return found

    def pattern(self, index: int, bounded: Callable[[str], str]) -> tuple[str, int]:
        """The pattern and flags of form ``index``'s regex."""
        form = self.forms[index]
        return bounded(form.pattern) + form.except_, re.IGNORECASE

    def plan(self, word: str, bounded: Callable[[str], str]) -> tuple[Step, ...]:
        """What to try where ``word`` stands: each form starting with it, in pack order, made once."""
        found = self._plans.get(word)
        if found is None:
            found = self._plans[word] = tuple(
                Step(
                    self.regex(index, bounded),
                    form.back,
                    form.negated,
                    form.requires,
                    self.families[form.family],
                    form.present,
                    bool(form.requires) and all(where == "before" for where, _ in form.requires),
                )
                for index in self.by_word[word]
                for form in (self.forms[index],)
            )
        return found


class Step(NamedTuple):
    """One form as the scanner tries it (`Grammar.plan`)."""

    regex: re.Pattern[str]
    back: int
    negated: bool
    requires: tuple[tuple[str, str], ...]
    family: Family
    present: frozenset[str]
    person_before: bool
    """Every shape needs a person word before the match: with none there, the regex is not tried (a match starts
    where it is tried, so that much is known before)."""


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
            forms.append(Form(index, pattern, starts, present_forms(spec.partition(" ")[0]), except_, negated=negated, requires=requires))
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


NEEDS = {
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
NEED_REACH = 48
_PERSON_PRONOUNS = _set("he she his her him himself herself we us our they them their anyone whoever someone somebody")


# --- reading a sentence -----------------------------------------------------------------------

BE = _set("was were is are am be been being 's")
BE_PAST = _set("was were been got gotten")
GET = _set("got gets get gotten getting")
_COPULA = _set("seemed seems appeared appears looked looks became becomes remained remains grew felt sounded proved")
HAVE = _set("had has have 'd 've having")
DO = _set("did does do")
MODALS = _set("will would could can may might must shall should")
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
DETS = _set(
    "the a an our their his her my your its this that these those one another each every any some no neither none whole entire same"
)
STOP = _set(
    "in on at by for with from to of into onto over under after before during about against between through without "
    "within via per than as and or but nor so if then because while when where which who whom whose that there here "
    "it is was were are be been being had has have did does do not never will would could can may might must should"
)
_THINKING = _set(
    "believed thought said assumed claimed knew noticed felt reported argued decided confirmed suspected expected "
    "realised realized found saw told believes thinks says assumes claims knows"
)
POSSESSIVE = re.compile(r"^(.+?)(?:['\u2019]s|s['\u2019])$")
_GENDERED = _set("he she his her him himself herself")
_SELF_PRONOUNS = {"we": "we", "us": "we", "they": "they", "them": "they"}
REACH = 40
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
        if low in BE or low in GET:
            be = copula = True
            be_past = be_past or low in BE_PAST
        elif low in _COPULA:
            copula = True
        elif low in HAVE:
            have = True
        elif low in MODALS:
            modal = True
        elif scopes.is_negator(low):
            negative = True
            modal = modal or low.startswith(("won", "wouldn", "couldn", "can", "shouldn", "mustn"))
            be = be or low.startswith(("wasn", "weren", "isn", "aren"))
            be_past = be_past or low.startswith(("wasn", "weren"))
            copula = copula or be
            have = have or low.startswith(("hadn", "hasn", "haven"))
        elif low in DO or low in _ADVERBS or adverb(low) or (low == "to" and later in ("be", "have")):
            pass
        else:
            break
        later = low
        j -= 1
    return VerbGroup(j, be, be_past, copula, negative, modal, have)


def adverb(low: str) -> bool:
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
        if text[:1].isupper() and low.isalpha() and low not in STOP and low not in DETS:
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
            if POSSESSIVE.match(tokens[k].text):
                owner = self.head(tokens, k, floor, possessive=True)
                if owner is not None and owner.cls in PERSONISH and owner.cls != "proper":
                    return owner._replace(cls="owned", last=k)
                return None
            if not tokens[k].text[:1].isalnum() or tokens[k].low in STOP:
                return None
        return None

    def head(self, tokens: Sequence[Token], j: int, floor: int, possessive: bool = False) -> NounPhrase | None:
        """The noun phrase whose head is ``tokens[j]`` (a possessive head only when asked)."""
        token = tokens[j]
        if possessive:
            m = POSSESSIVE.match(token.text)
            if m is None:
                return _pronoun_owner(token, j)
            token = Token(token.start, token.start + len(m.group(1)), m.group(1), m.group(1).lower())
        elif POSSESSIVE.match(token.text) and token.low not in ("its",):
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
            if low in DETS:
                first -= 1
                negative = negative or low in ("no", "neither", "none")
                break
            if (
                prev.text in self.lex.team_names
                or POSSESSIVE.match(prev.text)
                or (prev.text[:1].isalnum() and low not in STOP and not scopes.is_negator(low))
            ):
                if low in BE or low in HAVE or low in MODALS or low in DO:
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
            if low in ("at", "from", "on", "in") and back <= 3 and j - back - 1 >= floor and self.person_word(tokens[j - back - 1].low):
                return j - back - 1  # "an operator at OWASA", "the engineer on the night shift"
        return j

    def _appositive(self, tokens: Sequence[Token], j: int, floor: int) -> NounPhrase | None:
        """ "Dana, the incident commander, failed": the phrase before the first comma."""
        for k in range(j - 1, max(floor, j - 14) - 1, -1):
            if tokens[k].text == ",":
                opener = tokens[k + 1].low if k + 1 < j else ""
                aside = opener in ("while", "when", "whilst", "after", "before", "during", "despite", "though", "although")
                if aside and k - 1 >= floor and tokens[k - 1].text == ",":
                    return None
                if aside:
                    found = self.before(tokens, k - 1, floor)  # "An engineer, while debugging X, removed"
                    return found._replace(last=j - 1, name_last=found.last) if found is not None else None
                if opener in DETS or opener in ("who", "whom", "which", "as") or self._named_at(tokens, k + 1):
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
            if found is None and low in DETS:
                i += 1
                continue
            cls = self.word_class(token, tokens, i)
            if cls in ("", "system", "proper") and i > start:
                cls = self._compound(f"{tokens[i - 1].low} {low}") or cls
            if POSSESSIVE.match(token.text):
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
            if low in STOP or low in BE or low in HAVE or low in MODALS or scopes.is_negator(low):
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
            tokens[x].text[:1].isupper() and tokens[x].text not in names for x in range(first, head) if tokens[x].low not in DETS
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
            or adverb(tokens[k].low)
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
