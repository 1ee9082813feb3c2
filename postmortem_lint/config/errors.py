"""Configuration errors in plain words: one pydantic error -> ``key: problem``.

pydantic's own wording ("Input should be a valid dictionary or instance of
BlameConfig", "Extra inputs are not permitted") names Python types and classes a
user never wrote. Each error type the model can raise gets a sentence that names
what was found and what is expected; imported only when validation fails.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any

from postmortem_lint.core.text import printable

EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date written YYYY-MM-DD, without a time",
}
"""What a value of the wrong kind should have been, by pydantic error type."""


def describe(value: Any) -> str:
    """A value as a user would name what they wrote: `text 'x'`, `a list`, `nothing (null)`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_short(value)!r}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, (dt.date, dt.time)):
        return f"the {'date' if isinstance(value, dt.date) else 'time'} {value.isoformat()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return f"a {type(value).__name__} value"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem(error: Mapping[str, Any], allowed_keys: list[str]) -> str:
    """The plain sentence for one pydantic error (``allowed_keys``: the keys valid where an unknown one was found)."""
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(str(error["loc"][-1]), allowed_keys)
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind == "literal_error":
        expected = str(context.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{describe(value)} is not one of {expected}"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{describe(value)} is too small: the least allowed is {context.get('ge', context.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{describe(value)} is too large: the most allowed is {context.get('le', context.get('lt'))}"
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}, found {describe(value)}"
    return f"{describe(value)} is not allowed here"


WORDED = frozenset({"extra_forbidden", "value_error", "literal_error", "too_short", *EXPECTED})
WORDED_PREFIXES = ("greater_than", "less_than")


def worded(kind: str) -> bool:
    """Does `problem` have its own sentence for a pydantic error of ``kind`` (else it says only what was found)?"""
    return kind in WORDED or kind.startswith(WORDED_PREFIXES)


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else f"the keys are {', '.join(allowed)}"
    return f"unknown key ({hint})"


def where(loc: tuple[Any, ...]) -> str:
    """pydantic's location as the dotted key a user wrote: ('severity', 'PM5', '[key]') -> 'severity.PM5'."""
    parts = [printable(str(p)) for p in loc if p != "[key]" and not isinstance(p, int)]
    return ".".join(parts)
