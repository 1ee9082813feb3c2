"""How a verb of the blame pack's families is inflected, and which words a family's pattern can start with.

A ``verbs`` entry of `rules/blame.yaml` is ``base[/past[/participle[/ing]]]`` (the
regular forms are derived) and may go on with more words; a ``words`` entry is a
pattern of the dialect (`core.dialect`). The pack's schema checks both with these,
and the blame grammar (`checks.blame_grammar`) compiles them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_VOWELS = "aeiou"


def inflections(spec: str) -> tuple[str, ...]:
    """``base[/past[/participle[/ing]]]`` -> base, -s, past, participle and -ing forms."""
    parts = spec.split("/")
    base = parts[0]
    past = parts[1] if len(parts) > 1 else _past(base)
    participle = parts[2] if len(parts) > 2 else past
    ing = parts[3] if len(parts) > 3 else _ing(base)
    return tuple(dict.fromkeys((base, _third(base), past, participle, ing)))


def present_forms(spec: str) -> frozenset[str]:
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


_PLAIN_START = re.compile(r"([a-z]+)(?:s\?)?(?=[ \-'\u2019(,]|$)")
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
