"""Safe YAML loading with ruamel.yaml (imported only when YAML is read).

No tags are executed, anchors and aliases are refused (alias bombs), the size is
capped, and errors carry the file and 1-based line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_YAML_BYTES = 256_000


class YamlError(Exception):
    """A YAML file that cannot be loaded: ``file:line: problem``."""


def load_yaml(path: Path, *, round_trip: bool = False) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_YAML_BYTES:
        raise YamlError(f"{path}: {len(data):,} bytes, over the {MAX_YAML_BYTES:,}-byte limit for YAML")
    return parse_yaml(data.decode("utf-8", errors="replace"), str(path), round_trip=round_trip)


def parse_yaml(text: str, origin: str, *, round_trip: bool = False) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if _has_alias(text):
        raise YamlError(f"{origin}: YAML anchors and aliases are not allowed")
    yaml = YAML(typ="rt" if round_trip else "safe", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise YamlError(f"{origin}{line}: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise YamlError(f"{origin}: {exc}") from None


def _has_alias(text: str) -> bool:
    """Anchors (&a) or aliases (*a) outside quotes and comments."""
    import re

    for line in text.split("\n"):
        code = line.split(" #", 1)[0]
        if re.search(r"(?:^|[\s\[{,:-])[&*][A-Za-z0-9_-]+", code) and not re.match(r"^\s*#", line):
            stripped = re.sub(r"'[^']*'|\"[^\"]*\"", "", code)
            if re.search(r"(?:^|[\s\[{,:-])[&*][A-Za-z0-9_-]+", stripped):
                return True
    return False
