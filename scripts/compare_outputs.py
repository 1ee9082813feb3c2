"""Record or compare `pmlint check --format json` on fixed inputs, to show that a refactoring changed no output.

    python scripts/compare_outputs.py record OUT_DIR    # before the change
    python scripts/compare_outputs.py compare OUT_DIR   # after: exit 1 and a list of what differs

The inputs: `examples/`, a generated 1,000-file corpus (`benchmarks/generate.py`, seed 1) and
every archive of `../shared/corpus` (or `$PMLINT_CORPUS`, as in the tests; skipped when absent), each checked from a temporary copy
so that nothing is written next to the inputs. Every run pins `--today` and disables the cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PMLINT_CORPUS") or ROOT.parent / "shared" / "corpus")
TODAY = "2026-03-20"


def _pmlint(cwd: Path, args: list[str]) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    cmd = [sys.executable, "-m", "postmortem_lint", "check", "--format", "json", "--no-cache", "--today", TODAY, *args]
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=1200, check=False)
    return b"exit %d\n" % done.returncode + done.stdout + b"\n--- stderr\n" + done.stderr


def _inputs(work: Path) -> dict[str, tuple[Path, list[str]]]:
    """Name -> (project folder, extra arguments) for every input, laid out under ``work``."""
    shutil.copytree(ROOT / "examples", work / "examples")
    found = {"examples": (work / "examples", [])}
    generated = work / "generated"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(generated), "--count", "1000", "--seed", "1"],
        check=True,
        capture_output=True,
    )
    found["generated"] = (generated, [])
    if not CORPUS.is_dir():
        print(f"note: no corpus at {CORPUS} (set PMLINT_CORPUS): examples and the generated archive only", file=sys.stderr)
    else:
        for archive in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
            copy = work / "corpus" / archive.name
            shutil.copytree(archive, copy)
            files = sorted(str(p.relative_to(copy)) for p in copy.rglob("*") if p.suffix.lower() in (".md", ".markdown"))
            if files:
                found[f"corpus-{archive.name}"] = (copy, files)
    return found


def run_all() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        return {name: _pmlint(cwd, args) for name, (cwd, args) in _inputs(Path(tmp)).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    outputs = run_all()
    if args.mode == "record":
        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in outputs.items():
            (args.out / f"{name}.out").write_bytes(data)
        print(f"recorded {len(outputs)} outputs in {args.out}")
        return 0
    differ = [name for name, data in outputs.items() if (args.out / f"{name}.out").read_bytes() != data]
    missing = sorted({p.stem for p in args.out.glob("*.out")} - outputs.keys())
    for name in differ:
        print(f"differs: {name}")
    for name in missing:
        print(f"missing: {name}")
    print(f"{len(outputs) - len(differ)} of {len(outputs)} outputs byte-identical")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    sys.exit(main())
