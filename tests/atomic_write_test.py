"""`fsutil.atomic_write`: old or new content, never a mix; mode kept; never out of the root; never overwrite when exclusive.

The crash test SIGKILLs a process that keeps rewriting a large file, at random
moments, and reads what is left: every time it is one whole payload.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from postmortem_lint.io.fsutil import UnsafePathError, atomic_write, ensure_inside, locked

SIZE = 2_000_000
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from postmortem_lint.io.fsutil import atomic_write

    path, size = Path(sys.argv[1]), int(sys.argv[2])
    print("ready", flush=True)
    round = 0
    while True:
        round += 1
        atomic_write(path, bytes([65 + round % 26]) * size)
    """
)


def _whole(data: bytes) -> bool:
    """One payload of the writer: SIZE copies of one letter."""
    return len(data) == SIZE and data == data[:1] * SIZE and data[:1].isalpha()


def _temps(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


def test_a_killed_writer_leaves_old_or_new_content_never_a_mix(tmp_path: Path) -> None:
    target = tmp_path / "POST_MORTEM_TRACKING.md"
    target.write_bytes(b"Z" * SIZE)
    target.chmod(0o640)
    rng = random.Random(7)
    seen: set[bytes] = set()
    for _ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(SIZE)], stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + rng.uniform(0.05, 0.4)
        while time.monotonic() < deadline:
            assert _whole(target.read_bytes()), "a reader saw a partial file"
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        content = target.read_bytes()
        assert _whole(content), "the file was left half-written"
        seen.add(content[:1])
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert len(seen) > 1, "the writer was killed after it had rewritten the file"


def test_mode_is_kept_and_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    for mode in (0o600, 0o644, 0o755):
        path = tmp_path / f"kept-{mode:o}.md"
        path.write_text("old\n")
        path.chmod(mode)
        atomic_write(path, "new\n")
        assert path.read_text() == "new\n" and stat.S_IMODE(path.stat().st_mode) == mode
    umask = os.umask(0o027)
    try:
        atomic_write(tmp_path / "fresh.md", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh.md").stat().st_mode) == 0o640


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    atomic_write(path, "{}")
    atomic_write(path, "[]")
    with pytest.raises(FileExistsError):
        atomic_write(path, "lost", exclusive=True)
    assert path.read_text() == "[]" and not _temps(tmp_path, path.name)


def test_exclusive_never_overwrites_a_file_or_a_symlink(tmp_path: Path) -> None:
    existing = tmp_path / "post-mortem-2026-03-14-a.md"
    existing.write_text("the user's draft\n")
    with pytest.raises(FileExistsError):
        atomic_write(existing, "scaffold", exclusive=True)
    assert existing.read_text() == "the user's draft\n"
    dangling = tmp_path / "post-mortem-2026-03-14-b.md"
    dangling.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(FileExistsError):
        atomic_write(dangling, "scaffold", exclusive=True)
    assert not (tmp_path / "elsewhere.md").exists()
    fresh = tmp_path / "post-mortem-2026-03-14-c.md"
    atomic_write(fresh, "scaffold", exclusive=True)
    assert fresh.read_text() == "scaffold"


def test_exclusive_writers_racing_for_one_name_leave_exactly_one_winner(tmp_path: Path) -> None:
    target = tmp_path / "post-mortem-2026-03-14-race.md"
    code = (
        "import sys\nfrom pathlib import Path\nfrom postmortem_lint.io.fsutil import atomic_write\n"
        "try:\n    atomic_write(Path(sys.argv[1]), sys.argv[2] * 100000, exclusive=True)\nexcept FileExistsError:\n    sys.exit(3)\n"
    )
    racers = [subprocess.Popen([sys.executable, "-c", code, str(target), letter]) for letter in "ABCDEF"]
    codes = sorted(r.wait(timeout=60) for r in racers)
    assert codes == [0, 3, 3, 3, 3, 3]
    content = target.read_text()
    assert len(content) == 100000 and len(set(content)) == 1


def test_writes_never_follow_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "tasks").mkdir(parents=True)
    outside = tmp_path / "outside.md"
    outside.write_text("not yours\n")
    link = root / "POST_MORTEM_TRACKING.md"
    link.symlink_to(outside)
    with pytest.raises(UnsafePathError):
        atomic_write(link, "rows", root=root)
    (tmp_path / "elsewhere").mkdir()
    (root / "linked").symlink_to(tmp_path / "elsewhere")
    for path in (root / "linked" / "x.md", root / ".." / "escape.md", Path("/tmp") / "absolute.md"):
        with pytest.raises(UnsafePathError):
            atomic_write(path, "x", root=root)
    assert outside.read_text() == "not yours\n" and not list((tmp_path / "elsewhere").iterdir())
    assert not (tmp_path / "escape.md").exists()
    atomic_write(root / "tasks" / "ok.md", "inside", root=root)
    assert ensure_inside(root / "tasks" / "ok.md", root) == (root / "tasks" / "ok.md").resolve()


def test_a_symlink_inside_the_root_is_replaced_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("real\n")
    link = tmp_path / "alias.md"
    link.symlink_to("real.md")
    atomic_write(link, "new\n", root=tmp_path)
    assert (tmp_path / "real.md").read_text() == "real\n"
    assert link.read_text() == "new\n" and not link.is_symlink()


def test_lock_serialises_read_modify_write_across_processes(tmp_path: Path) -> None:
    counter = tmp_path / "count.txt"
    counter.write_text("0")
    code = (
        "import sys\nfrom pathlib import Path\nfrom postmortem_lint.io.fsutil import atomic_write, locked\n"
        "p = Path(sys.argv[1])\nfor _ in range(50):\n    with locked(p):\n        atomic_write(p, str(int(p.read_text()) + 1))\n"
    )
    workers = [subprocess.Popen([sys.executable, "-c", code, str(counter)]) for _ in range(4)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0, 0]
    assert counter.read_text() == "200"
    with locked(counter):
        assert counter.read_text() == "200"
