"""Generate a seeded archive in the shape of the `dfds` preset, for timing pmlint with ``template: dfds``.

    python benchmarks/generate_dfds.py OUT --count 300 --seed 1

Each document varies `tests/fixtures/templates/dfds/clean.md` (title, `## Summary`,
a `## Timeline` table of 3-12 rows, contributing factors, lessons, action items with
owners and due dates, attendees, stats); about one in six drops a section or an owner
the way `flawed.md` does. Files go to ``OUT/tasks/post-mortem-YYYY-MM-DD-slug.md``
and ``OUT/.pmlint.yaml`` says ``template: dfds``. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

CONFIG = """\
# pmlint configuration of a generated benchmark archive of the dfds family.
template: dfds
include:
  - tasks/post-mortem-*.md
"""
SYSTEMS = ("ingress", "node group", "payments queue", "search index", "DNS resolver", "build cache", "message broker", "auth proxy")
FAILURES = ("certificates expired", "scaled to zero", "ran out of disk", "dropped connections", "served stale data", "timed out")
PLACES = ("on the staging cluster", "in production", "in the shared account", "for the EU region", "during the release")
FACTORS = (
    "The renewal job ran with a token that had been revoked",
    "Nothing alerted on {system} health outside office hours",
    "The runbook for the {system} still described the old setup",
    "A scheduled rule targeted resources by a shared tag",
    "The dashboard for the {system} had no error-rate panel",
    "Capacity limits for the {system} were set two years ago",
)
LESSONS = (
    "Staging outages cost a whole team's morning even when customers never see them",
    "Tags are not a safe way to pick a single resource",
    "An alert nobody owns is the same as no alert",
    "Manual steps during an incident need a written procedure",
)
ACTIONS = (
    "Alert 14 days before any {system} certificate expires",
    "Move the {system} job to the platform service account",
    "Document the manual recovery of the {system}",
    "Add an error-rate panel to the {system} dashboard",
    "Review the capacity limits of the {system}",
)
INITIALS = ("JH", "KL", "MP", "AR", "TS", "BN")
CATEGORIES = ("Kubernetes", "Networking", "Storage", "Identity", "Release")


def document(rng: random.Random, day: dt.date, system: str) -> tuple[str, str]:
    """(slug, text) of one generated post-mortem."""
    failure, place = rng.choice(FAILURES), rng.choice(PLACES)
    title = f"{system.capitalize()} {failure} {place}"
    slug = "-".join(f"{system} {failure}".lower().replace("/", " ").split())[:48].strip("-")
    flawed = rng.random() < 1 / 6
    start = dt.datetime.combine(day, dt.time(rng.randrange(0, 20), rng.choice((0, 15, 30, 45))))
    rows, at = [], start
    for n in range(rng.randrange(3, 13)):
        at += dt.timedelta(minutes=rng.randrange(5, 50))
        event = ("The " + system + " starts to fail", "An engineer reports errors in the channel", "A fix is rolled out")[n % 3]
        rows.append(f"| {at:%Y-%m-%d %H:%M} | {event} (step {n + 1}) |")
    paragraphs = rng.randrange(1, 4)
    summary = " ".join(
        f"On {day:%d %B %Y} the {system} {failure} {place}, so dependent services failed for {rng.randrange(20, 240)} minutes."
        for _ in range(paragraphs)
    )
    lines = [f"# {title}", "", "## Summary", "", summary, "", "## Timeline", "", "All times in UTC.", ""]
    lines += [
        "| Time             | Event                                                |",
        "| :--------------- | ---------------------------------------------------- |",
    ]
    lines += [*rows, "", "## Contributing Factors", ""]
    lines += [f"- {f.format(system=system)}" for f in rng.sample(FACTORS, rng.randrange(1, 4))]
    actions = []
    for action in rng.sample(ACTIONS, rng.randrange(1, 4)):
        due = day + dt.timedelta(days=rng.randrange(7, 90))
        owner = rng.choice(INITIALS)
        text = action.format(system=system)
        actions.append(f"- {text}" if flawed and not actions else f"- {text} (Owner: {owner}, due {due.isoformat()})")
    lessons = ["## Lessons Learned", "", *(f"- {x}" for x in rng.sample(LESSONS, rng.randrange(1, 3))), ""]
    acts = ["## Action Items", "", *actions, ""]
    lines += ["", *(lessons + acts if flawed else acts + lessons)]
    if not (flawed and rng.random() < 0.5):
        lines += ["## Attendees", "", "- " + ", ".join(rng.sample(INITIALS, 3)), ""]
    lines += ["## Stats", "", f"- Category: {rng.choice(CATEGORIES)}"]
    lines += [f"- Time to detection: {rng.randrange(5, 200)} minutes", f"- Time to recovery: {rng.randrange(30, 400)} minutes", ""]
    return slug, "\n".join(lines)


def generate(out: Path, count: int, seed: int) -> list[Path]:
    """Write ``count`` documents under ``out/tasks`` (and the configuration) and return their paths."""
    rng = random.Random(seed)
    tasks = out / "tasks"
    tasks.mkdir(parents=True, exist_ok=True)
    (out / ".pmlint.yaml").write_text(CONFIG, encoding="utf-8")
    for old in tasks.glob("post-mortem-*.md"):
        old.unlink()
    paths, taken = [], set()
    first = dt.date(2019, 1, 1)
    for n in range(count):
        day = first + dt.timedelta(days=(n * 2191) // max(count, 1) + rng.randrange(0, 2))
        slug, text = document(rng, day, rng.choice(SYSTEMS))
        name = f"post-mortem-{day.isoformat()}-{slug}.md"
        while name in taken:
            name = name.replace(".md", "-2.md")
        taken.add(name)
        path = tasks / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output folder (files go to OUT/tasks/)")
    parser.add_argument("--count", type=int, default=300, help="number of files")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    paths = generate(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    print(f"wrote {len(paths)} files, {size:.1f} KB average, to {args.out / 'tasks'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
