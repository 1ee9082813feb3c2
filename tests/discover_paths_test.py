"""io.discover's string shortcuts (`relative` of a path under the root, `walk`'s skipped folders) against pathlib's general path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.io import discover


def reference_relative(path: Path, root: Path) -> str:
    """`discover.relative` before its shortcut: pathlib all the way."""
    resolved = path.absolute()
    try:
        return resolved.relative_to(root.absolute()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()


def reference_walk(folder: Path) -> Iterator[Path]:
    for child in folder.rglob("*"):
        if not set(child.relative_to(folder).parts) & discover.SKIP_DIRS:
            yield child


SEGMENT = st.sampled_from(["a", "b", "tasks", ".", "..", "", "x.md", ".git", "a b", "é"])
PATH = st.builds(
    lambda lead, parts, tail: lead + "/".join(parts) + tail,
    st.sampled_from(["", "/", "//", "///", "./"]),
    st.lists(SEGMENT, max_size=5),
    st.sampled_from(["", "/"]),
)


@settings(max_examples=500, deadline=None)
@given(PATH, PATH, st.sampled_from(["/", "/tmp", os.path.dirname(os.path.abspath(__file__))]))
def test_relative_is_pathlibs(path: str, root: str, cwd: str) -> None:
    here = os.getcwd()
    os.chdir(cwd)
    try:
        assert discover.relative(Path(path), Path(root)) == reference_relative(Path(path), Path(root))
        assert discover.relative(Path(cwd, path), Path(cwd)) == reference_relative(Path(cwd, path), Path(cwd))
    finally:
        os.chdir(here)


def test_walk_skips_what_pathlib_skips(tmp_path: Path) -> None:
    for rel in ("a/x.md", "a/.git/y.md", "node_modules/z.md", "b/c/__pycache__/w.md", "b/c/v.md", ".venv/q", "top.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for folder in (tmp_path, tmp_path / "b", Path("."), Path("a"), Path("./b/")):
            assert list(discover.walk(folder)) == list(reference_walk(folder))
    finally:
        os.chdir(here)
