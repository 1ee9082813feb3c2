"""Findings per file on each corpus archive, as pmlint reports them today.

    python scripts/corpus_findings.py [--archive NAME ...] [--json OUT]

Each archive (tests/corpus_archives.py) is copied into a temporary git repository under
``tasks/`` with a ``.pmlint.yaml`` that includes every file there, and checked with
``pmlint check --format json --no-cache``. Prints archive, files, median and mean findings
per file and the five most frequent codes. The corpus is read, never written.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from corpus_archives import archives  # noqa: E402
from repokit import ENV, git  # noqa: E402


def target_names(files: list[Path]) -> list[str]:
    """File names under tasks/: the corpus name, prefixed with its folder when two archives' files share it."""
    seen = collections.Counter(p.name for p in files)
    return [f"{p.parent.name}__{p.name}" if seen[p.name] > 1 else p.name for p in files]


def measure(name: str, files: list[Path], config: str = "include: ['tasks/*']\n") -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix=f"pmlint-{name}-") as tmp:
        root = Path(tmp)
        git(root, "init", "-q", "-b", "main")
        (root / "tasks").mkdir()
        names = target_names(files)
        for path, target in zip(files, names, strict=True):
            shutil.copyfile(path, root / "tasks" / target)
        (root / ".pmlint.yaml").write_text(config, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "postmortem_lint", "check", "--format", "json", "--no-cache", "--today", "2026-12-01"],
            cwd=root,
            env=ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"{name}: pmlint exited {done.returncode}: {done.stderr}")
        report = json.loads(done.stdout)
    per_file = collections.Counter(d["path"] for d in report["diagnostics"])
    counts = [per_file.get(f"tasks/{name}", 0) for name in names]
    codes = collections.Counter(d["code"] for d in report["diagnostics"])
    return {
        "archive": name,
        "files": len(files),
        "median": statistics.median(counts) if counts else 0,
        "mean": round(statistics.mean(counts), 1) if counts else 0,
        "top": codes.most_common(5),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", action="append", help="only this archive (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    found = archives()
    if not found:
        raise SystemExit("no corpus (set PMLINT_CORPUS)")
    rows = [measure(name, files) for name, files in found.items() if not args.archive or name in args.archive]
    print("| archive | files | median | mean | top 5 codes |")
    print("|---|---|---|---|---|")
    for row in rows:
        top = ", ".join(f"{code} {count}" for code, count in row["top"])  # type: ignore[attr-defined]
        print(f"| {row['archive']} | {row['files']} | {row['median']} | {row['mean']} | {top} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
