"""Baselines: adopt pmlint on an existing archive without fixing it first.

``--write-baseline FILE`` records the current findings; ``--baseline FILE``
then reports only findings that are not recorded. A finding is keyed on its
path, its code and a hash of the offending text (not its line), so that an edit
elsewhere in the file does not resurrect it. The same key may be recorded more
than once: three accepted placeholders stay accepted, a fourth is reported.
The text is stored hashed, never in clear: PM408 findings are secrets.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.io.fsutil import atomic_write

VERSION = 1
Key = tuple[str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names the file."""


def key(d: Diagnostic) -> Key:
    text = " ".join((d.text or d.message).split())
    return (d.path, d.code, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16])


def dumps(diagnostics: list[Diagnostic]) -> str:
    """The baseline of ``diagnostics`` as JSON, sorted so that it diffs well."""
    counted = Counter(key(d) for d in diagnostics)
    first = {key(d): d.message for d in reversed(diagnostics)}
    findings = [
        {"path": path, "code": code, "fingerprint": digest, "count": count, "message": first[(path, code, digest)]}
        for (path, code, digest), count in sorted(counted.items())
    ]
    return json.dumps({"version": VERSION, "findings": findings}, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, diagnostics: list[Diagnostic]) -> None:
    try:
        atomic_write(path, dumps(diagnostics))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None


def load(path: Path) -> Counter[Key]:
    """The recorded findings of a baseline file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a pmlint baseline (invalid JSON: {exc})") from None
    return _entries(path, data)


def _entries(path: Path, data: object) -> Counter[Key]:
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f'{path}: not a pmlint baseline (expected {{"version": {VERSION}, "findings": [...]}})')
    known: Counter[Key] = Counter()
    for i, entry in enumerate(data["findings"]):
        try:
            known[(str(entry["path"]), str(entry["code"]), str(entry["fingerprint"]))] += int(entry.get("count", 1))
        except (TypeError, KeyError, ValueError, AttributeError):
            raise BaselineError(f"{path}: finding #{i + 1} lacks path, code or fingerprint") from None
    return known


def new_findings(diagnostics: list[Diagnostic], known: Counter[Key]) -> list[Diagnostic]:
    """The diagnostics not accounted for by the baseline, in their order."""
    left = Counter(known)
    fresh = []
    for d in diagnostics:
        k = key(d)
        if left[k] > 0:
            left[k] -= 1
        else:
            fresh.append(d)
    return fresh
