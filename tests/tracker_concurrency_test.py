"""Concurrent `pmlint track` (and `pmlint new`) runs leave a correct tracker.

Real processes race on one repository; afterwards the tracker lists every
post-mortem exactly once, keeps the user's text, and `pmlint track --check` is clean.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text
from repokit import PMLINT, clean_env, make_repo, pmlint

from postmortem_lint.commands import group

TRACKER = "POST_MORTEM_TRACKING.md"
START, END = "<!-- pmlint:tracker:start -->", "<!-- pmlint:tracker:end -->"


def _add(root: Path, index: int) -> str:
    name = f"tasks/post-mortem-2026-03-14-incident-{index:03d}.md"
    text = clean_text().replace("INC-2026-03-14-001", f"INC-2026-03-14-{index:03d}")
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")
    return name


def _rows(root: Path) -> list[str]:
    text = (root / TRACKER).read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1, text
    managed = text.split(START, 1)[1].split(END, 1)[0]
    return [line for line in managed.splitlines() if line.startswith("| [")]


def _race(root: Path, runs: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    processes = [
        subprocess.Popen([*PMLINT, *args], cwd=root, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for args in runs
    ]
    done = []
    for process, args in zip(processes, runs, strict=True):
        out, err = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(args, process.returncode, out, err))
    return done


def _assert_tracks(root: Path, names: list[str]) -> None:
    rows = _rows(root)
    linked = sorted(row.split("](", 1)[1].split(")", 1)[0] for row in rows)
    assert linked == sorted(names), "every post-mortem exactly once"
    assert pmlint(root, "track", "--check").returncode == 0


def test_concurrent_track_runs_leave_a_correct_tracker(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    names = [_add(root, i) for i in range(1, 6)]
    assert pmlint(root, "track").returncode == 1
    (root / TRACKER).write_text((root / TRACKER).read_text(encoding="utf-8") + "\nOur notes, kept byte for byte.\n", encoding="utf-8")
    names += [_add(root, i) for i in range(6, 12)]
    results = _race(root, [["track"]] * 4)
    assert all(r.returncode in (0, 1) and "Traceback" not in r.stderr for r in results), [r.stderr for r in results]
    assert sum(r.returncode == 1 for r in results) >= 1, "one run wrote the new rows"
    _assert_tracks(root, names)
    assert (root / TRACKER).read_text(encoding="utf-8").endswith("\nOur notes, kept byte for byte.\n")
    assert not list(root.glob(f".{TRACKER}.*.tmp")), "no temporary file is left"


def test_track_racing_with_new_post_mortems_converges(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    names = [_add(root, 1)]
    adder = (
        "import sys, subprocess\nfrom pathlib import Path\n"
        "root = Path(sys.argv[1])\ntext = Path(sys.argv[2]).read_text()\n"
        "for i in range(2, 8):\n"
        "    name = root / f'tasks/post-mortem-2026-03-14-incident-{i:03d}.md'\n"
        "    name.write_text(text.replace('INC-2026-03-14-001', f'INC-2026-03-14-{i:03d}'))\n"
        "    subprocess.run([sys.executable, '-m', 'postmortem_lint', 'track'], cwd=root, check=False)\n"
    )
    source = root / CLEAN_PATH
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(clean_text(), encoding="utf-8")
    names.append(CLEAN_PATH)
    writer = subprocess.Popen(
        [sys.executable, "-c", adder, str(root), str(source)], env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    trackers = _race(root, [["track"]] * 3)
    _out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0 and b"Traceback" not in err, err
    assert all("Traceback" not in r.stderr for r in trackers)
    names += [f"tasks/post-mortem-2026-03-14-incident-{i:03d}.md" for i in range(2, 8)]
    _assert_tracks(root, names)


@pytest.mark.skipif("new" not in group.COMMANDS, reason="no `pmlint new`")
def test_concurrent_new_runs_get_distinct_numbers_and_rows(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    runs = [
        ["new", f"Outage number {i}", "--date", "2026-03-14", "--severity", "SEV-2", "--no-input", "--author", "Dana Ortiz"]
        for i in range(4)
    ]
    results = _race(root, runs)
    assert all(r.returncode == 0 and "Traceback" not in r.stderr for r in results), [r.stderr for r in results]
    created = sorted(r.stdout.strip().splitlines()[-1] for r in results)
    assert len(set(created)) == 4
    texts = [(root / name).read_text(encoding="utf-8") for name in created]
    numbers = {line.split("INC-", 1)[1][:14] for text in texts for line in text.splitlines() if "Incident Number" in line}
    assert len(numbers) == 4, numbers
    _assert_tracks(root, created)
