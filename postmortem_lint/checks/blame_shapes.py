"""Reading a predicate in its sentence: the shapes in which a family blames someone.

`Finder.hits` tries each family's predicates (`postmortem_lint.checks.blame_grammar`) at the
words they start with, skips a match that cannot blame (no negation near "did not
check", no person word where a subject would be), and reads the sentence around the
rest: each shape below says where the person is ("Dana ignored", "was ignored by the
on-call", "caused by Bob", "Carol's mistake", "If Dana had checked", "Dana ran it without
checking") and when it is no blame after all (negated, quoted, a machine, a reason
given, a lesson about the system).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from postmortem_lint.checks import blame_scopes as scopes
from postmortem_lint.checks.blame_grammar import (
    BE,
    BE_PAST,
    DETS,
    DO,
    GET,
    HAVE,
    MODALS,
    NEED_REACH,
    NEEDS,
    PERSONISH,
    POSSESSIVE,
    REACH,
    STOP,
    Family,
    Grammar,
    NounPhrase,
    Reader,
    Roster,
    VerbGroup,
    adverb,
    token_index,
    verb_group,
)
from postmortem_lint.checks.blame_scopes import Token
from postmortem_lint.checks.blame_scopes import word_set as _set


class Hit(NamedTuple):
    start: int
    end: int
    code: str
    message: str
    suggestion: str
    family: str


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
    r"\b(?:as (?:the |our )?(?:[\w-]+ ){0,2}?(?:runbook|process|procedure|policy|playbook|checklist|plan|rules?|guidelines?)"
    r" (?:says|said|allows|allowed"
    r"|requires|required|prescribes|prescribed|permits|permitted|instructs|instructed|recommends|recommended)"
    r"|as (?:allowed|permitted|intended|planned|agreed|designed|instructed|documented|expected|required|prescribed)"
    r"|per (?:the |our )?(?:runbook|policy|process|procedure|playbook)|by design|by default)\b",
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
        people = sorted(at for w in (found.keys() & grammar.person_words) | (found.keys() & self.reader.roster.words) for at in found[w])
        text = self.text
        # The text's words filtered, not `found.keys() & triggers`, which walks all ~1,500 triggers (4x the cost).
        for word in sorted(filter(grammar.triggers.__contains__, found)):
            plan = grammar.plan(word, bounded)
            for at in found[word]:
                negation = None  # whether a negation is near, looked at once per occurrence
                person = None  # whether a person word is shortly before, looked at once per occurrence (most forms start here)
                for regex, back, negated, requires, family, present, person_before in plan:
                    if negated:
                        if negation is None:
                            negation = _needed("negation", text[_block_start(text, at) : at])
                        if not negation:
                            continue  # an omission is a negated duty ("did not check"): none is near
                    if person_before:
                        if back:
                            near = _person_before(people, at - back)
                        elif person is None:
                            near = person = _person_before(people, at)
                        else:
                            near = person
                        if not near:
                            continue  # `_possible` would say no to any match
                    m = regex.match(text, at - back)
                    if m is None:
                        continue
                    if requires and not _possible(requires, text, people, m):
                        continue  # e.g. "did not check" needs a negation and a person, and none is near
                    hit = self.read(family, m, present)
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
        lo = max(lo, i - REACH)
        if family.kind != "sarcasm" and _SANCTIONED.search(self.text, *self.sentences.span(m.start())):
            return None  # "..., as the runbook allows"
        if tokens[i].low in present and not _auxiliary(tokens, i, lo):
            return None  # "Engineers forget things": a general truth, not this incident
        for shape in family.shapes:
            reader = SHAPE_READERS[shape]
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
        common = first.low in DETS or (who.cls not in ("named", "proper") and first.text not in self.grammar.lexicon.team_names)
        return (
            first.low + text[len(first.low) :]
            if common and first.text[:1].isupper() and (len(first.text) > 1 or first.low == "a") and not POSSESSIVE.match(first.text)
            else text
        )

    def _ok(self, family: Family, who: NounPhrase | None) -> bool:
        return (who is not None and who.cls in family.subjects) or (who is not None and who.cls == "proper" and "named" in family.subjects)


def _auxiliary(tokens: Sequence[Token], i: int, lo: int) -> bool:
    """Whether an auxiliary or a negation comes right before ``tokens[i]`` ("did not check")."""
    group = verb_group(tokens, i, lo)
    return any(
        t.low in DO or t.low in MODALS or t.low in HAVE or t.low in BE or t.low in GET or scopes.is_negator(t.low)
        for t in tokens[group.last + 1 : i]
    )


def _needed(need: str, before: str) -> bool:
    """Whether ``before`` (the text just before a predicate) holds what its family needs."""
    if need == "negation":
        lowered = before.lower()
        return "not" in lowered or "n't" in lowered or "n\u2019t" in lowered or "never" in lowered
    return NEEDS[need].search(before) is not None


def _possible(requires: Sequence[tuple[str, str]], text: str, people: Sequence[int], m: re.Match[str]) -> bool:
    """Whether one of the shapes of a match has what it needs nearby (see `Form.requires`)."""
    return any(
        _person_near(people, m, where) and (not need or _needed(need, text[max(0, m.start() - NEED_REACH) : m.start()]))
        for where, need in requires
    )


def _person_near(offsets: Sequence[int], m: re.Match[str], where: str) -> bool:
    """Whether a person word lies where ``where`` says: before the match, or just after it."""
    if where == "before":
        return _person_before(offsets, m.start())
    if where == "after":
        i = bisect.bisect_left(offsets, m.start())
        return i < len(offsets) and offsets[i] <= m.end() + _PERSON_AFTER
    return True


def _person_before(offsets: Sequence[int], start: int) -> bool:
    """Whether a person word lies shortly before ``start`` (or at it)."""
    i = bisect.bisect_left(offsets, start - _PERSON_BEFORE)
    return i < len(offsets) and offsets[i] <= start


def _block_start(text: str, at: int) -> int:
    """Where the text a negated form's gate reads starts: `NEED_REACH` characters before ``at``, or the start of
    its block when that is nearer. No sentence crosses a block break (`scopes.BLOCK_BREAK`), and the negation an
    omission needs is in its own verb group ("did not check"): one in the block before cannot be it."""
    lo = max(0, at - NEED_REACH)
    return text.rfind(scopes.BLOCK_BREAK, lo, at) + 1 or lo


_PERSON_BEFORE = 110
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
    if who is None and group.last == lo - 1 and lo >= 2 and tokens[lo - 1].low in ("but", "yet"):
        earlier = scopes.clause_start(tokens, lo - 1, 0)  # "An operator used a tool ... but forgot to type -n"
        who = f.reader.clause_subject(tokens, earlier, lo - 1)
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
    while k <= last and (tokens[k].low in DETS or not tokens[k].text[:1].isalnum()):
        k += 1
    heads = [t.low for t in tokens[k : last + 1]]
    stop = next((n for n, w in enumerate(heads) if w in STOP), len(heads))
    phrase = heads[:stop]
    return bool(phrase) and phrase[-1] in f.grammar.lexicon.machine_objects


def _bare_not(tokens: Sequence[Token], first: int, i: int) -> bool:
    """ "Family members not informed": a headline passive, "not" with no auxiliary."""
    lows = [t.low for t in tokens[first:i]]
    return "not" in lows and not any(w in DO or w in HAVE or w in MODALS or w in BE or w == "never" for w in lows)


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
        if not (prev.text[:1].isalnum() or prev.text.startswith("\x00")) or prev.low in STOP or scopes.is_negator(prev.low):
            break
        first -= 1
        if prev.low in DETS:
            break
    return first


def _object_follows(tokens: Sequence[Token], k: int) -> bool:
    """Whether a noun phrase follows ``tokens[k]`` (so the verb there is active, not a passive)."""
    if k + 1 >= len(tokens):
        return False
    low = tokens[k + 1].low
    return low in DETS or (tokens[k + 1].text[:1].isalnum() and low not in STOP and not adverb(low))


def _coordinated_passive(tokens: Sequence[Token], group: VerbGroup, lo: int) -> VerbGroup:
    """ "The alert was silenced by an engineer and never re-enabled": the "was" of the first verb."""
    for j in range(group.last - 1, max(lo, group.last - 12) - 1, -1):
        if tokens[j].low in BE_PAST:
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
    for n, token in enumerate(tokens[k + 1 : k + 12], start=k + 1):
        if token.text in scopes.CLAUSE_BREAKS:
            return False
        if token.low in ("because", "per", "due") or (token.low == "since" and not _time_follows(tokens, n + 1)):
            return True
    return False


_TIMES = _set(
    "january february march april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday last then yesterday early late the its launch q1 q2 q3 q4 spring summer autumn fall winter"
)


def _time_follows(tokens: Sequence[Token], n: int) -> bool:
    """ "since March", "since last week", "since 2019": a time, so "since" gives no reason."""
    return n < len(tokens) and (tokens[n].low in _TIMES or tokens[n].low[:1].isdigit())


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
        if not tokens[j].text[:1].isalnum() or tokens[j].low in STOP:
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
    if POSSESSIVE.match(tokens[who.last].text) and not _FAULT_WORDS.intersection(following):
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
_PREVENTABLE = _set("preventable avoidable avoided prevented")


def _condition(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, m: re.Match[str]) -> Hit | None:
    word = tokens[i].low
    sentence = f.sentences.span(tokens[i].start)
    if word == "had":
        preventable = i > 0 and tokens[i - 1].low in _PREVENTABLE  # "entirely preventable had the DBA checked"
        joined = tokens[i - 1].text in ",;:(" or tokens[i - 1].low in scopes.SUBORDINATORS | {"and", "but", "or"} if i > 0 else True
        if not preventable and not joined:
            return None
        if not preventable and not _WOULD.search(f.text, *sentence):
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
    while words and (words[0] in ("not", "never", "just", "only", "already", "actually") or adverb(words[0])):
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
    if any(t.low in MODALS or t.low == "to" or scopes.is_negator(t.low) for t in between):
        return None
    if any(t.low in ("can", "lets", "let", "allows", "allowed", "able") for t in between):
        return None
    return f._hit(family, tokens, who, who.last + 1, k, lo, (tokens[who.first].start, tokens[k].end))


def _hidden_without(f: Finder, family: Family, tokens: Sequence[Token], i: int, k: int, lo: int, thing: NounPhrase | None) -> Hit | None:
    """ "The config was pushed without any review": a passive hides who acted."""
    first = thing.first if thing is not None else lo
    between = tokens[(thing.last + 1 if thing is not None else lo) : i]
    if not any(t.low in BE_PAST for t in between[:4]) or any(t.low in MODALS or scopes.is_negator(t.low) for t in between):
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


SHAPE_READERS: dict[str, Callable[[Finder, Family, Sequence[Token], int, int, int, re.Match[str]], Hit | None]] = {
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
