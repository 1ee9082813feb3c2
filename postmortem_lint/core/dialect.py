"""The blame phrases' pattern dialect: how a phrase of `rules/blame.yaml` (or of ``blame.extra-phrases``) becomes a regex.

Word-bounded, a space matches any run of white space (`` ?``: none or some), an
apostrophe matches both ' and ’. Shared by the pack's schema and the
configuration's (a pattern must compile) and by the blame engine, which
compiles every pattern, so that all of them read the dialect the same way.
"""

from __future__ import annotations

import functools
import re

WORD = re.compile(r"[a-z]+")
"""A keyword of the pack, and a word of the text that keywords are looked up by."""


def checked_regex(pattern: str) -> str:
    """``pattern`` itself when it compiles in the dialect; ValueError otherwise."""
    try:
        re.compile(bounded(pattern), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"pattern does not compile: {exc}") from None
    return pattern


def extra_regex(spec: str) -> str:
    """The pattern of a ``blame.extra-phrases`` item: a regex after ``re:``, else the phrase as plain words."""
    return spec[3:] if spec.startswith("re:") else re.escape(spec.strip()).replace(r"\ ", " ")


def check_extra_phrase(spec: str) -> None:
    """ValueError when a ``blame.extra-phrases`` item cannot be used (the configuration checks each one with this)."""
    if not spec.strip() or spec == "re:":
        raise ValueError("an empty phrase would match everywhere")
    regex = extra_regex(spec)
    try:
        re.compile(regex, re.IGNORECASE)
        re.compile(bounded(regex), re.IGNORECASE)
    except re.error as exc:
        reason = exc.msg if exc.pattern == regex else re.sub(r" at position \d+$", "", str(exc))
        raise ValueError(f"`{spec}` does not compile: {reason}") from None


_NOT_LITERAL = re.compile(r"[\\\[\](){}|*+?^$]")
"""Characters a replacement is plain text without: a regex or a back-reference was meant."""


def checked_replacement(value: str) -> str:
    """``value`` itself when it can stand in, word for word, for a blame phrase (a pack's or a team's ``replace``):
    plain text on one line; ValueError otherwise."""
    if not value.strip():
        raise ValueError("an empty replacement would delete the phrase; leave `replace` out instead")
    if "\n" in value or "\r" in value:
        raise ValueError(f"{value!r}: a replacement is one line")
    if value != value.strip():
        raise ValueError(f"{value!r}: a replacement has no space around it")
    if value.startswith("re:") or _NOT_LITERAL.search(value):
        raise ValueError(f"{value!r}: a replacement is plain text, not a regex")
    return value


def wording(matched: str) -> str:
    """A matched phrase as a replacement table keys it: lower case, one space between words, ' for ’."""
    return " ".join(matched.replace("\u2019", "'").split()).casefold()


@functools.cache
def _dialect() -> re.Pattern[str]:
    return re.compile(r"\\.|\[(?:\\.|[^\[\]\\])*\]| \?| |'")


_DIALECT_SUBS = {" ?": r"\s*", " ": r"\s+", "'": "['\u2019]"}


def bounded(pattern: str) -> str:
    """Pack dialect to Python regex: word-bounded, flexible spaces, both apostrophes."""
    return rf"(?<!\w)(?:{_dialect().sub(_dialect_token, pattern)})(?!\w)"


def _dialect_token(m: re.Match[str]) -> str:
    token = m.group()
    if token.startswith("["):
        return token.replace("'", "'\u2019").replace(" ", r"\s")
    return _DIALECT_SUBS.get(token, token)
