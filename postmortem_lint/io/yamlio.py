"""Safe YAML loading with ruamel.yaml (this module is loaded only when YAML is read: `core.lazy`).

No tags are executed, anchors and aliases are refused (alias bombs), the size is
capped, and errors carry the file and 1-based line.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

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
    if _has_alias(text):
        raise YamlError(f"{origin}: YAML anchors and aliases are not allowed")
    yaml = YAML(typ="rt" if round_trip else "safe", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Constructor = _dates_as_text(yaml.Constructor)
    try:
        _refuse_tags(yaml.compose(text), origin)
        return yaml.load(text)
    except RecursionError:
        raise YamlError(f"{origin}: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise YamlError(f"{origin}: a value cannot be read: {exc}") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise YamlError(f"{origin}{line}: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise YamlError(f"{origin}: {exc}") from None


@functools.cache
def _dates_as_text(constructor: type) -> type:
    """``constructor`` with YAML timestamps left as text: ``since: 2025-13-01`` is then
    the model's to refuse in words (file, line, key), not a ValueError deep in ruamel."""

    class TextDates(constructor):  # type: ignore[misc]
        pass

    TextDates.add_constructor("tag:yaml.org,2002:timestamp", TextDates.construct_yaml_str)
    return TextDates


PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))


def _refuse_tags(root: Any, origin: str) -> None:
    """Only plain YAML: an explicit tag (``!!python/object``, ``!custom``) is an error, never constructed."""
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        tag = getattr(node.tag, "value", node.tag)
        if tag not in PLAIN_TAGS:
            raise YamlError(f"{origin}:{node.start_mark.line + 1}: YAML tag `{tag}` is not allowed")
        if isinstance(node.value, list):
            for item in node.value:
                pending.extend(item if isinstance(item, tuple) else (item,))


def _has_alias(text: str) -> bool:
    """Anchors (&a) or aliases (*a) outside quotes and comments."""
    for line in text.split("\n"):
        code = line.split(" #", 1)[0]
        if re.search(r"(?:^|[\s\[{,:-])[&*][A-Za-z0-9_-]+", code) and not re.match(r"^\s*#", line):
            stripped = re.sub(r"'[^']*'|\"[^\"]*\"", "", code)
            if re.search(r"(?:^|[\s\[{,:-])[&*][A-Za-z0-9_-]+", stripped):
                return True
    return False
