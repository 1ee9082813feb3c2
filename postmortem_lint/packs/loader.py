"""One loader for every data pack: the shipped `rules/*.yaml` and a team's own file.

The shipped YAML is the source of truth. `rules/compiled.json` holds the same data
pre-parsed, with a fingerprint of the YAML it came from, so that a one-file run
needs neither ruamel.yaml nor pydantic (about 180 ms of imports, NOTES.md). When
the fingerprint does not match (the YAML was edited), the YAML is read and
validated instead; `python -m postmortem_lint.generate` rewrites the compiled
file and a test fails when it is stale. A team's own pack always goes through
validation (`packs.schema`, the one validation path), and every problem is a
`PackError` naming the file and the entry.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from postmortem_lint.core import lazy
from postmortem_lint.io.resources import data_fingerprint, data_path

COMPILED = "rules/compiled.json"
FILES = {
    "sections": "sections.yaml",
    "blame": "blame.yaml",
    "root-causes": "root-causes.yaml",
    "template-examples": "template-examples.yaml",
}
"""Each kind of pack and its shipped file under `rules/`."""


class PackError(Exception):
    """A data pack that cannot be used: the message names the file and entry."""


def fresh() -> bool:
    """True when `rules/compiled.json` was compiled from the YAML as it is now."""
    return _compiled().get("fingerprint") == data_fingerprint()


def shipped(filename: str) -> Any:
    """The parsed content of a shipped ``rules/<filename>`` (compiled when fresh)."""
    compiled = _compiled()
    if compiled.get("fingerprint") == data_fingerprint():
        return compiled["files"][filename]
    return read_yaml(data_path(f"rules/{filename}"))


def load(kind: str, path: str | None = None) -> Any:
    """The data of the pack ``kind``: a team's file at ``path`` (always validated), else the shipped one
    (validated unless it comes from the fresh compiled JSON)."""
    if path:
        data = read_yaml(Path(path))
        validate(kind, data, path)
        return data
    data = shipped(FILES[kind])
    if not fresh():
        validate(kind, data, f"rules/{FILES[kind]}")
    return data


def validate(kind: str, data: Any, origin: str) -> None:
    """Check ``data`` against the schema of the pack ``kind``; `PackError` names ``origin`` and the entry."""
    problem: str | None = lazy.load("postmortem_lint.packs.schema").problem(kind, data, origin)
    if problem is not None:
        raise PackError(problem)


@functools.lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    try:
        return json.loads(data_path(COMPILED).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {}


def read_yaml(path: Path) -> Any:
    """Safely load a small YAML file; a syntax error is a `PackError` naming the file and line."""
    yamlio = lazy.load("postmortem_lint.io.yamlio")
    try:
        return yamlio.load_yaml(path)
    except yamlio.YamlError as exc:
        raise PackError(str(exc)) from None


def compiled_payload() -> dict[str, Any]:
    """What `rules/compiled.json` should hold: every shipped pack, validated, with the YAML's fingerprint."""
    folder = data_path("rules")
    files = {p.name: read_yaml(p) for p in sorted(folder.glob("*.yaml"))}
    for kind, filename in FILES.items():
        validate(kind, files[filename], f"rules/{filename}")
    return {"fingerprint": data_fingerprint(), "files": files}
