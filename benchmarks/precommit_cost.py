"""What the pmlint pre-commit hook costs per commit on a repository of N post-mortems.

    python benchmarks/precommit_cost.py --files 1000 --runs 5 [--hooks pmlint,pmlint-track]

Generates N post-mortems with generate.py into a temporary git repository (with a
``.pmlint.yaml`` and, for pmlint-track, a tracker in sync), commits them, installs
this checkout's hooks with pre-commit (the hook repository is a clone of the
committed HEAD, installed by pre-commit with ``pip install .``; PRE_COMMIT_HOME is
temporary), then edits one post-mortem that has no errors and times ``git commit``
of it: one untimed warm-up commit, then the median of ``--runs`` commits. For
comparison it times the same commit with ``--no-verify`` (git alone) and
``pmlint check FILE`` run directly. Prints a Markdown table; seconds.
Standard library only (plus pre-commit and pmlint in this Python's environment).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "NO_COLOR": "1",
    "PRE_COMMIT_COLOR": "never",
}


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(cmd), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}")
    return done


def pmlint() -> list[str]:
    script = Path(sys.executable).with_name("pmlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "postmortem_lint"]


def hook_source(work: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A clone of this checkout's committed HEAD (what a `rev:` pin would install)."""
    clone = work / "pmlint-hooks"
    run(["git", "clone", "-q", "--no-hardlinks", str(CHECKOUT), str(clone)], work, env)
    return clone, run(["git", "rev-parse", "HEAD"], clone, env).stdout.strip()


def make_repo(work: Path, files: int, seed: int, hooks: list[str], env: dict[str, str]) -> Path:
    repo = work / "archive"
    generate.generate(repo, files, seed)
    run(["git", "init", "-q", "-b", "main"], repo, env)
    (repo / ".gitignore").write_text(".pmlint_cache/\n", encoding="utf-8")
    if "pmlint-track" in hooks:
        shutil.copy(CHECKOUT / "scaffolds" / "tracking.md", repo / "POST_MORTEM_TRACKING.md")
        run([*pmlint(), "track"], repo, env, check=False)
    run(["git", "add", "."], repo, env)
    run(["git", "commit", "-q", "--no-verify", "-m", "archive"], repo, env)
    return repo


def install_hooks(repo: Path, source: tuple[Path, str], hooks: list[str], env: dict[str, str]) -> float:
    clone, sha = source
    listed = "".join(f"      - id: {hook}\n" for hook in hooks)
    (repo / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {clone}\n    rev: {sha}\n    hooks:\n{listed}", encoding="utf-8")
    run(["git", "add", ".pre-commit-config.yaml"], repo, env)
    run(["git", "commit", "-q", "--no-verify", "-m", "hooks"], repo, env)
    start = time.perf_counter()
    run([sys.executable, "-m", "pre_commit", "install", "--install-hooks"], repo, env)
    return time.perf_counter() - start


def clean_file(repo: Path, env: dict[str, str]) -> str:
    """A post-mortem without errors (so that the commit goes through), median-sized."""
    done = subprocess.run([*pmlint(), "check", "--format", "json", "--quiet"], cwd=repo, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"pmlint check failed ({done.returncode}): {done.stderr}")
    failing = {d["path"] for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"}
    passing = [p for p in (repo / "tasks").glob("post-mortem-*.md") if f"tasks/{p.name}" not in failing]
    candidates = sorted(passing, key=lambda p: p.stat().st_size)
    if not candidates:
        raise SystemExit("no post-mortem without errors in the generated corpus")
    return f"tasks/{candidates[len(candidates) // 2].name}"


def timed_commit(repo: Path, rel: str, n: int, env: dict[str, str], extra: Sequence[str] = ()) -> float:
    with (repo / rel).open("a", encoding="utf-8") as handle:
        handle.write(f"\nReviewed again (benchmark edit {n}).\n")
    run(["git", "add", rel], repo, env)
    start = time.perf_counter()
    done = run(["git", "commit", "-q", *extra, "-m", f"edit {n}"], repo, env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"commit {n} was blocked:\n{done.stdout[-3000:]}")
    return elapsed


def median_of(runs: int, measure: Callable[[int], float]) -> tuple[float, float, float]:
    times = [measure(n) for n in range(runs)]
    return statistics.median(times), min(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="post-mortems in the repository")
    parser.add_argument("--runs", type=int, default=5, help="timed commits (median reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hooks", default="pmlint", help="comma-separated hook ids (pmlint, pmlint-track)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary repository and print where it is")
    args = parser.parse_args(argv)
    hooks = [h.strip() for h in args.hooks.split(",") if h.strip()]
    work = Path(tempfile.mkdtemp(prefix="pmlint-precommit-"))
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(work / "pre-commit-home")}
    try:
        report(work, args, hooks, env)
    finally:
        if args.keep:
            print(f"\nkept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def report(work: Path, args: argparse.Namespace, hooks: list[str], env: dict[str, str]) -> None:
    print(f"generating {args.files} post-mortems …", file=sys.stderr)
    repo = make_repo(work, args.files, args.seed, hooks, env)
    install = install_hooks(repo, hook_source(work, env), hooks, env)
    rel = clean_file(repo, env)
    print(f"timing commits of {rel} …", file=sys.stderr)
    counter = iter(range(10_000))
    warm_up = timed_commit(repo, rel, next(counter), env)
    with_hooks = median_of(args.runs, lambda _: timed_commit(repo, rel, next(counter), env))
    bare = median_of(args.runs, lambda _: timed_commit(repo, rel, next(counter), env, ("--no-verify",)))
    direct = median_of(args.runs, lambda _: _time([*pmlint(), "check", rel], repo, env))
    print(f"## pre-commit cost per commit: {args.files} post-mortems, hooks {', '.join(hooks)}\n")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; seconds; median (min–max) of {args.runs} runs\n")
    print("| measurement | median | min | max |\n|---|---|---|---|")
    for name, (mid, low, high) in (
        ("`git commit` with the hooks", with_hooks),
        ("`git commit --no-verify` (git alone)", bare),
        ("`pmlint check FILE` (no pre-commit)", direct),
    ):
        print(f"| {name} | {mid:.2f} | {low:.2f} | {high:.2f} |")
    print(f"\nFirst commit after install (untimed in the median): {warm_up:.2f} s; hook install: {install:.1f} s.")
    print(f"Hook cost per commit ≈ {with_hooks[0] - bare[0]:.2f} s.")


def _time(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    run(cmd, cwd, env, check=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
