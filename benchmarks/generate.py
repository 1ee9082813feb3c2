"""Generate a seeded corpus of realistic post-mortems that follow the seed template.

    python benchmarks/generate.py OUT_DIR --count 1000 --seed 1

writes ``OUT_DIR/tasks/post-mortem-YYYY-MM-DD-<slug>.md`` (about 10 KB each) and a
``.pmlint.yaml`` spelling out the default configuration (so that OUT_DIR is the project
root even inside another repository). Every file
has all of the template's ``##``/``###`` sections, header fields and tables, filled with
varied text from word and phrase banks. A realistic share of files carry flaws a linter
should report: a placeholder left in, an overdue action item, a blame phrase, an
out-of-order timeline row, an unticked checklist in a Final document, a duration that
disagrees with the time range, an unknown related incident.

The same seed and count always give byte-identical files. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- word and phrase banks

SERVICES = (
    "checkout-api",
    "payments-gateway",
    "auth-service",
    "search-indexer",
    "order-service",
    "inventory-sync",
    "notification-worker",
    "billing-ledger",
    "image-resizer",
    "session-store",
    "api-gateway",
    "recommendation-engine",
    "user-profile",
    "shipping-quotes",
    "feature-flags",
    "reporting-etl",
    "webhook-dispatcher",
    "email-relay",
    "cart-service",
    "pricing-engine",
    "identity-broker",
    "media-cdn",
    "audit-log",
    "metrics-pipeline",
    "geo-lookup",
    "loyalty-points",
    "fraud-scoring",
    "catalog-service",
    "tenant-router",
    "export-jobs",
)
COMPONENTS = (
    "PostgreSQL primary",
    "Redis cluster",
    "Kafka consumer group",
    "load balancer",
    "Kubernetes node pool",
    "DNS resolver",
    "TLS certificate",
    "connection pool",
    "Elasticsearch cluster",
    "message queue",
    "object storage bucket",
    "CDN edge cache",
    "service mesh sidecar",
    "autoscaling group",
    "cron scheduler",
    "read replica",
    "rate limiter",
    "circuit breaker",
    "feature flag service",
    "secrets manager",
    "ingress controller",
    "batch worker pool",
    "gRPC client",
    "schema migration",
)
SYMPTOMS = (
    ("elevated 5xx errors", "error-spike"),
    ("request latency above the SLO", "latency"),
    ("failed logins", "login-failures"),
    ("stale search results", "stale-search"),
    ("duplicate charges", "duplicate-charges"),
    ("dropped webhooks", "dropped-webhooks"),
    ("timeouts on write requests", "write-timeouts"),
    ("a full outage", "outage"),
    ("delayed order confirmations", "delayed-orders"),
    ("missing invoices", "missing-invoices"),
    ("a growing consumer lag", "consumer-lag"),
    ("intermittent 502 responses", "intermittent-502"),
    ("memory exhaustion on workers", "oom"),
    ("expired certificates", "cert-expiry"),
    ("partial data loss in reports", "report-data-loss"),
    ("a crash loop", "crash-loop"),
    ("slow page loads", "slow-pages"),
    ("disk pressure on nodes", "disk-pressure"),
)
CAUSES = (
    ("a configuration change that lowered the connection limit", "config"),
    ("a deploy that shipped an unbounded retry loop", "code"),
    ("an expired TLS certificate on an internal endpoint", "infrastructure"),
    ("a schema migration that locked a hot table", "code"),
    ("a third-party provider's regional outage", "third-party"),
    ("a memory leak in the JSON serializer upgrade", "code"),
    ("a DNS record with a one-second TTL", "config"),
    ("an autoscaling policy that scaled on the wrong metric", "config"),
    ("a cache stampede after a cold restart", "infrastructure"),
    ("a full disk on the log volume", "infrastructure"),
    ("a feature flag enabled for all tenants at once", "process"),
    ("a race condition in the job scheduler", "code"),
    ("a firewall rule removed during cleanup", "config"),
    ("a dependency upgrade that changed a default timeout", "code"),
    ("an unannounced API change from the payment provider", "third-party"),
    ("a runbook step that skipped the drain of the old nodes", "process"),
)
FIRST = (
    "Alice",
    "Bob",
    "Carol",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kerstin",
    "Liam",
    "Mei",
    "Nadia",
    "Oscar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Chiara",
    "Deepak",
)
LAST = (
    "Andersen",
    "Baptiste",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Johansson",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Raman",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Vargas",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
)
TEAMS = ("Platform", "Payments", "Identity", "Search", "Data", "SRE", "Storefront", "Core API")
REGIONS = (
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
    "North America",
    "Europe",
    "Asia-Pacific",
    "all regions",
)
FEATURES = (
    "checkout",
    "login",
    "search",
    "order history",
    "invoices",
    "notifications",
    "profile updates",
    "file uploads",
    "reporting dashboards",
    "mobile sync",
    "webhooks",
    "password reset",
    "shopping cart",
    "promotions",
    "admin console",
)
ALERTS = (
    "HighErrorRate",
    "LatencyP95Breach",
    "ConsumerLagHigh",
    "PodCrashLooping",
    "DiskAlmostFull",
    "CertificateExpiring",
    "SLOBurnRateFast",
    "QueueDepthHigh",
    "DBConnectionsSaturated",
)
DETECTION = (
    "Monitoring alert",
    "Customer report",
    "Internal discovery",
    "Automated system",
    "Synthetic check",
    "Support escalation",
)
VERBS = (
    "rolled back",
    "restarted",
    "scaled out",
    "failed over",
    "drained",
    "patched",
    "re-deployed",
    "throttled",
    "disabled",
    "reconfigured",
)
ADJ = ("gradual", "sudden", "intermittent", "sustained", "partial", "cascading", "regional")
QUALITY = ("Excellent", "Good", "Adequate", "Poor")
BLAME = (
    "This was caused by human error during the deploy.",
    "The on-call engineer was careless with the rollback command.",
    "In hindsight the reviewer should have known the limit was too low.",
    "The operator failed to notice the warning in the deploy log.",
)
FILLER = (
    ("The {svc} team had shipped two unrelated changes earlier the same day, which slowed the first round of diagnosis."),
    ("Dashboards for {svc} showed {sym} within minutes, but the alert was routed to a low-urgency channel."),
    "Traffic was roughly {pct}% above the weekly baseline because of a marketing campaign.",
    ("The {comp} had been running close to its limits for several weeks without anyone tracking the trend."),
    "A similar pattern had been seen in staging, where it was attributed to test data.",
    "Retries from the mobile clients amplified the load on {svc} by a factor of {n}.",
    "The runbook for {svc} described the {comp} but not the dependency on {svc2}.",
    "Once the {comp} was {verb}, error rates returned to normal within {n} minutes.",
    ("Customers in {region} were affected first because their traffic is served by the oldest cluster."),
    ("The incident channel had {n} participants at its peak, and updates were posted every {m} minutes."),
    "Log volume grew {n}-fold during the incident, which delayed queries in the log search.",
    "We verified the fix by replaying a sample of {k} production requests against a canary.",
    "Support collected {k} tickets that mentioned {feat}, most of them within the first hour.",
    "The decision to {verb2} the {comp} was made after weighing the risk of data loss.",
)
FIX_COMMANDS = (
    "kubectl -n {ns} rollout restart deployment/{svc}",
    "kubectl -n {ns} scale deployment/{svc} --replicas={n}",
    "helm rollback {svc} {m} --namespace {ns}",
    ("psql -c \"SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction';\""),
    "redis-cli -h {svc}-cache CONFIG SET maxmemory-policy allkeys-lru",
    ("aws autoscaling set-desired-capacity --auto-scaling-group-name {svc}-asg --desired-capacity {n}"),
    "terraform apply -target=module.{ns}.aws_security_group.{ns}",
    "./scripts/feature-flag.sh disable {ns}-new-path --all-tenants",
)
ACTIONS = (
    "Add an alert on {comp} saturation for {svc}",
    "Write an integration test for the failure path in {svc}",
    "Update the {svc} runbook with the rollback procedure",
    "Add a canary stage to the {svc} deploy pipeline",
    "Load-test {svc} at twice the peak traffic",
    "Move {svc} configuration into version control with review",
    "Add a circuit breaker between {svc} and {svc2}",
    "Automate certificate renewal for {svc}",
    "Document the dependency of {svc} on the {comp}",
    "Run a game day on {comp} failure",
    "Route {svc} alerts to the paging rotation",
    "Cap client retries with exponential backoff in {svc}",
    "Add a dashboard panel for {comp} headroom",
    "Review capacity limits of the {comp} quarterly",
)
LESSONS = (
    "Limits on the {comp} need alerts before they need incidents.",
    "Retries without backoff turn a small failure into a large one.",
    "Staging did not reproduce production traffic shapes for {svc}.",
    "A rollback path that is not rehearsed is slower than it looks on paper.",
    "Ownership of {svc} alerts was unclear between two teams.",
    "The status page was updated later than customers noticed the problem.",
    "Having one incident commander kept the channel focused.",
    "Early hypotheses were not written down, so work was repeated.",
    "Dependency maps for {svc} were out of date.",
    "Configuration changes to {comp} bypassed code review.",
    "Customer support needed a template for incident replies.",
    "Handing over between time zones lost context.",
)
WENT_WELL = (
    "The alert fired within minutes of the first errors",
    "Rollback of {svc} completed without data loss",
    "The incident commander kept a clear log in the channel",
    "Support had a customer message ready within half an hour",
    "Feature flags let us disable the new path quickly",
    "The team pulled in the {comp} experts early",
)
WENT_POORLY = (
    "The first hypothesis about the {comp} was wrong and cost time",
    "The runbook for {svc} was out of date",
    "Alerts went to a channel nobody watched at night",
    "The status page was updated late",
    "Two people made changes to {svc} at the same time",
    "Log search was too slow during the incident",
)
PREVENTION = (
    "Add saturation alerts for the {comp}",
    "Enable canary analysis for {svc}",
    "Set retry budgets for {svc} clients",
    "Add synthetic checks for {feat}",
    "Introduce change freeze on peak days",
    "Add load shedding to {svc}",
    "Rehearse failover of the {comp}",
    "Track error budget for {svc}",
    "Review on-call escalation policy",
    "Add capacity forecast for {comp}",
)
WHY_Q = (
    "Why did {svc} return errors?",
    "Why was the {comp} saturated?",
    "Why did the change reach production?",
    "Why was the limit not monitored?",
    "Why did retries make it worse?",
    "Why was the problem not caught in testing?",
    "Why did the alert not page anyone?",
    "Why did the rollback take so long?",
    "Why was the dependency on {svc2} unknown?",
    "Why did the deploy skip the canary?",
)
WHY_A = (
    "the {comp} ran out of capacity under the retry load",
    "{cause}",
    "the review checklist did not cover configuration files",
    "no dashboard tracked the {comp} headroom",
    "clients retried immediately without backoff",
    "staging runs with a tenth of production traffic",
    "the alert was routed to a low-urgency channel",
    "the rollback procedure was not automated",
    "the service catalog entry for {svc} was out of date",
    "the pipeline allowed a manual override of the canary stage",
)
STATUSES = ("Draft", "Under Review", "Final", "Closed")
STATUS_WEIGHTS = (15, 15, 40, 30)
SEVERITY_WEIGHTS = (10, 30, 40, 20)
ROLES = ("Incident Commander", "Tech Lead", "Engineering Manager", "SRE Lead")
CHECKLIST = (
    "Timeline is complete and accurate",
    "Root cause is clearly identified",
    "Impact is quantified",
    "Action items are specific and assigned",
    "Lessons learned are documented",
    "No blame is assigned to individuals",
    "Technical details are sufficient for understanding",
    "Prevention measures address the root cause",
)
SUCCESS = (
    "All action items have owners",
    "Root cause is fully understood",
    "Prevention measures are implemented",
    "Documentation is updated",
    "Team training is completed",
)
TODAY = dt.date(2026, 11, 27)
FIRST_DAY = dt.date(2019, 1, 1)

# share of files carrying each flaw (a linter should report these)
FLAW_RATES = {
    "placeholder": 0.08,
    "blame": 0.03,
    "timeline_order": 0.03,
    "duration": 0.02,
    "unticked_final": 0.05,
    "owner_tbd": 0.04,
    "unknown_related": 0.05,
    "named_blame": 0.02,
    "secret": 0.01,
    "suppression": 0.02,
}
NAMED_BLAME = (
    "{name} forgot to drain the old nodes before the deploy.",
    "The outage was caused by {name} skipping the canary.",
    "It was {name}'s mistake to apply the change during peak hours.",
)
SECRETS = (
    "postgres://app:S3cr3t-pa55@db-primary.internal:5432/orders",
    "AWS_ACCESS_KEY_ID=AKIA{key}",
    "Authorization: token ghp_{key}{key}{tail}",
)


@dataclass
class Incident:
    """Everything the text of one post-mortem is built from."""

    date: dt.date
    number: str
    slug: str
    title: str
    svc: str
    svc2: str
    comp: str
    symptom: str
    cause: str
    start: int  # minutes after midnight
    minutes: int
    severity: int
    status: str
    author: str
    people: list[str]
    related: list[str]
    flaws: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- helpers


def hhmm(minutes: int) -> str:
    """Clock time of a minute offset (wrapping past midnight)."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def duration_text(minutes: int, rng: random.Random) -> str:
    """One of the duration forms the spec accepts."""
    hours, mins = divmod(minutes, 60)
    if hours == 0:
        return rng.choice((f"{mins} minutes", f"{mins} min"))
    if mins == 0:
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    unit = "hour" if hours == 1 else "hours"
    return rng.choice((f"{hours} {unit} {mins} minutes", f"{hours}h {mins}m", f"{minutes} minutes"))


def person(rng: random.Random) -> str:
    """A made-up full name."""
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def fill(template: str, inc: Incident, rng: random.Random) -> str:
    """Fill the ``{slot}`` fields of a phrase from the incident and the banks."""
    return template.format(
        svc=inc.svc,
        svc2=inc.svc2,
        comp=inc.comp,
        sym=inc.symptom,
        cause=inc.cause,
        region=rng.choice(REGIONS),
        feat=rng.choice(FEATURES),
        verb=rng.choice(VERBS),
        verb2=rng.choice(("restart", "fail over", "drain", "scale out")),
        pct=rng.randint(5, 80),
        n=rng.randint(2, 12),
        m=rng.choice((10, 15, 20, 30)),
        k=rng.randint(20, 900),
        ns=inc.svc.split("-")[0],
    )


def sentences(inc: Incident, rng: random.Random, count: int) -> str:
    """``count`` distinct filler sentences joined into a paragraph."""
    return " ".join(fill(t, inc, rng) for t in rng.sample(FILLER, count))


def pick(rng: random.Random, bank: tuple[str, ...], count: int, inc: Incident) -> list[str]:
    """``count`` distinct filled phrases from a bank."""
    return [fill(t, inc, rng) for t in rng.sample(bank, count)]


# ---------------------------------------------------------------- sections


def header(inc: Incident, rng: random.Random) -> list[str]:
    minutes = inc.minutes
    if "duration" in inc.flaws:
        minutes += rng.choice((15, 30, 45))
    author = "[Name]" if "placeholder" in inc.flaws and rng.random() < 0.3 else inc.author
    return [
        f"# Post-Mortem: {inc.title}",
        "",
        f"**Incident Number:** {inc.number}",
        f"**Date:** {inc.date.isoformat()}",
        f"**Time:** {hhmm(inc.start)} - {hhmm(inc.start + inc.minutes)} UTC",
        f"**Duration:** {duration_text(minutes, rng)}",
        f"**Severity:** SEV-{inc.severity}",
        f"**Author:** {author}",
        f"**Status:** {inc.status}",
        "",
    ]


def executive_summary(inc: Incident, rng: random.Random) -> list[str]:
    restored = "has been resolved" if inc.status in ("Final", "Closed") else "is mitigated"
    text = (
        f"On {inc.date.isoformat()}, {inc.svc} suffered {inc.symptom} for "
        f"{inc.minutes} minutes, caused by {inc.cause}. About {rng.randint(2, 60)}% of "
        f"requests to {rng.choice(FEATURES)} failed in {rng.choice(REGIONS)}. The incident "
        f"{restored} and follow-up work is tracked below."
    )
    if "blame" in inc.flaws:
        text += " " + rng.choice(BLAME)
    if "named_blame" in inc.flaws:
        text += " " + rng.choice(NAMED_BLAME).format(name=inc.people[1].split()[0])
    lines = ["## Executive Summary", ""]
    if "suppression" in inc.flaws:
        lines.append("<!-- pmlint-disable-next-line PM405 -->")
    return [*lines, text, ""]


def impact(inc: Incident, rng: random.Random) -> list[str]:
    users = f"{rng.randint(1, 95)}% of active users" if rng.random() < 0.5 else f"{rng.randint(120, 250000):,} users"
    if "placeholder" in inc.flaws and rng.random() < 0.4:
        users = "[Number or percentage]"
    feats = ", ".join(rng.sample(FEATURES, 3))
    systems = f"{inc.svc}, {inc.svc2}, {inc.comp}"
    sla = rng.choice(("No (within monthly error budget)", "Yes (99.9% monthly target missed)"))
    return [
        "## Impact",
        "",
        "### Customer Impact",
        f"- **Affected Users:** {users}",
        f"- **Affected Features:** {feats}",
        f"- **Geographic Regions:** {', '.join(rng.sample(REGIONS[:7], 2))}",
        f"- **Lost Revenue:** ${rng.randint(0, 90) * 1000 + rng.randint(0, 999):,} (estimated)",
        f"- **SLA Breach:** {sla}",
        "",
        "### Technical Impact",
        f"- **Systems Affected:** {systems}",
        f"- **Data Loss:** {rng.choice(('None', 'None', 'None', 'Partial'))}",
        (
            f"- **Performance Degradation:** p95 latency {rng.randint(300, 9000)}ms "
            f"(normal: {rng.randint(80, 250)}ms), error rate {rng.randint(2, 60)}%"
        ),
        "",
        "### Business Impact",
        f"- **Customer Tickets:** {rng.randint(0, 400)}",
        (f"- **Reputation Impact:** {rng.choice(('Low', 'Moderate', 'High'))} - {sentences(inc, rng, 1)}"),
        f"- **Compliance Issues:** {rng.choice(('None', 'None', 'Under review with Legal'))}",
        "",
    ]


TIMELINE_EVENTS = (
    ("Normal system operation", "System"),
    ("First signs of {sym} (retrospectively identified)", "System"),
    ("Alert triggered: {alert}", "Monitoring"),
    ("Incident declared, SEV-{sev}", "@"),
    ("Incident response team engaged in #inc-{slug}", "@"),
    ("Initial diagnosis: suspected the {comp}", "@"),
    ("Checked recent deploys of {svc}", "@"),
    ("Mitigation attempted: {verb} {svc}", "@"),
    ("Mitigation partially successful, errors down by half", "System"),
    ("Root cause identified: {cause}", "@"),
    ("Fix implemented and deployed to canary", "@"),
    ("Fix rolled out to all regions", "@"),
    ("Service restored, error rate back to baseline", "System"),
    ("Status page updated to resolved", "@"),
    ("Incident closed", "@"),
    ("Post-mortem scheduled", "@"),
)


def timeline(inc: Incident, rng: random.Random) -> list[str]:
    middle = sorted(rng.sample(range(3, 12), 7))
    events = [TIMELINE_EVENTS[i] for i in (0, 1, 2, *middle, 12, 13, 14, 15)]
    end = inc.start + inc.minutes
    during = sorted(rng.choices(range(1, inc.minutes), k=len(events) - 6))
    times = [inc.start - rng.randint(30, 90), inc.start - rng.randint(2, 25)]
    times += [inc.start + s for s in during] + [end]
    times += sorted(end + rng.randint(2, 45) for _ in range(3))
    rows = []
    for (event, actor), minute in zip(events, times, strict=True):
        who = rng.choice(inc.people) if actor == "@" else actor
        text = event.format(
            sym=inc.symptom,
            alert=rng.choice(ALERTS),
            sev=inc.severity,
            slug=inc.slug,
            comp=inc.comp,
            svc=inc.svc,
            verb=rng.choice(VERBS),
            cause=inc.cause,
        )
        rows.append([hhmm(minute), text, who])
    if "timeline_order" in inc.flaws:
        i = rng.randint(3, len(rows) - 3)
        rows[i][0], rows[i + 1][0] = rows[i + 1][0], rows[i][0]
    if "placeholder" in inc.flaws and rng.random() < 0.3:
        rows[rng.randint(3, len(rows) - 1)][0] = "HH:MM"
    return [
        "## Timeline",
        "",
        "All times in UTC",
        "",
        "| Time | Event | Actor |",
        "|------|-------|-------|",
        *(f"| {t} | {e} | {a} |" for t, e, a in rows),
        "",
    ]


def five_whys(inc: Incident, rng: random.Random) -> list[str]:
    count = rng.choice((5, 5, 5, 6))
    questions = pick(rng, WHY_Q, count, inc)
    answers = pick(rng, WHY_A, count, inc)
    lines = ["### Why It Happened (5 Whys Analysis)"]
    for i, (q, a) in enumerate(zip(questions, answers, strict=True), start=1):
        lines += [f"{i}. **{q}**", f"   → Because {a}", ""]
    return lines


def root_cause(inc: Incident, rng: random.Random) -> list[str]:
    factors = pick(rng, LESSONS, 3, inc)
    return [
        "## Root Cause Analysis",
        "",
        "### What Happened",
        sentences(inc, rng, 4),
        "",
        f"At {hhmm(inc.start)} UTC {inc.svc} began to show {inc.symptom}. " + sentences(inc, rng, 3),
        "",
        *five_whys(inc, rng),
        "### Root Cause",
        f"**Primary Cause:** {inc.cause[0].upper()}{inc.cause[1:]}.",
        "**Contributing Factors:**",
        *(f"{i}. {f}" for i, f in enumerate(factors, start=1)),
        "",
        "### Trigger",
        f"The incident was triggered by {inc.cause} while {inc.svc} was serving "
        f"{rng.randint(2, 40)}k requests per minute. " + sentences(inc, rng, 1),
        "",
    ]


def detection_response(inc: Incident, rng: random.Random) -> list[str]:
    ttd = rng.randint(1, 40)
    ttr_minutes = "[X minutes]" if "placeholder" in inc.flaws and rng.random() < 0.4 else f"{rng.randint(2, 20)} minutes"
    return [
        "## Detection and Response",
        "",
        "### Detection",
        f"- **Time to Detect (TTD):** {ttd} minutes",
        f"- **Detection Method:** {rng.choice(DETECTION)}",
        f"- **Why wasn't it detected sooner?** {sentences(inc, rng, 1)}",
        "",
        "### Response",
        f"- **Time to Respond (TTR):** {ttr_minutes}",
        f"- **Time to Mitigate (TTM):** {rng.randint(ttd, ttd + inc.minutes)} minutes",
        f"- **Time to Resolve (TTR):** {inc.minutes} minutes",
        f"- **Response Quality:** {rng.choice(QUALITY)}",
        "",
        "### What Went Well",
        *(f"✅ {w}" for w in pick(rng, WENT_WELL, 3, inc)),
        "",
        "### What Went Poorly",
        *(f"❌ {w}" for w in pick(rng, WENT_POORLY, 3, inc)),
        "",
    ]


def resolution(inc: Incident, rng: random.Random) -> list[str]:
    commands = pick(rng, FIX_COMMANDS, 2, inc)
    return [
        "## Resolution",
        "",
        "### Immediate Fix",
        f"We {rng.choice(VERBS)} the {inc.comp} and {rng.choice(VERBS)} {inc.svc}. " + sentences(inc, rng, 1),
        "",
        "```bash",
        f"# Commands run by the incident commander on {inc.date.isoformat()}",
        *commands,
        "```",
        "",
        "### Long-term Fix",
        sentences(inc, rng, 3),
        "",
    ]


def lessons(inc: Incident, rng: random.Random) -> list[str]:
    chosen = pick(rng, LESSONS, 8, inc)
    return [
        "## Lessons Learned",
        "",
        "### Technical Lessons",
        *(f"{i}. {t}" for i, t in enumerate(chosen[:3], 1)),
        "",
        "### Process Lessons",
        *(f"{i}. {t}" for i, t in enumerate(chosen[3:6], 1)),
        "",
        "### Communication Lessons",
        *(f"{i}. {t}" for i, t in enumerate(chosen[6:], 1)),
        "",
    ]


def action_status(due: dt.date, rng: random.Random, overdue_ok: bool) -> str:
    if due < TODAY:
        return rng.choice(("Done", "Done", "Closed", "Won't Do")) if not overdue_ok else rng.choice(("Open", "In Progress", "Blocked"))
    return rng.choice(("Open", "In Progress", "Done"))


def action_items(inc: Incident, rng: random.Random) -> list[str]:
    actions = pick(rng, ACTIONS, rng.randint(4, 7), inc)
    rows = []
    for i, action in enumerate(actions, start=1):
        due = inc.date + dt.timedelta(days=rng.randint(5, 90))
        overdue_ok = rng.random() < 0.03
        owner = rng.choice(inc.people)
        if "owner_tbd" in inc.flaws and i == 2:
            owner = "TBD"
        due_text = due.isoformat()
        if "placeholder" in inc.flaws and i == len(actions):
            due_text = "[Date]"
        status = action_status(due, rng, overdue_ok)
        prio = rng.choice(("High", "Medium", "Low"))
        rows.append(f"| AI-{i:03d} | {action} | {owner} | {prio} | {due_text} | {status} |")
    return [
        "## Action Items",
        "",
        "| ID | Action | Owner | Priority | Due Date | Status |",
        "|----|--------|-------|----------|----------|--------|",
        *rows,
        "",
    ]


def box(ticked: bool) -> str:
    return "[x]" if ticked else "[ ]"


def prevention(inc: Incident, rng: random.Random) -> list[str]:
    items = pick(rng, PREVENTION, 9, inc)
    done = inc.status in ("Final", "Closed")
    out = ["## Prevention Measures", ""]
    for title, chunk in zip(
        ("Short-term (This Week)", "Medium-term (This Month)", "Long-term (This Quarter)"),
        (items[:3], items[3:6], items[6:]),
        strict=True,
    ):
        out += [f"### {title}", *(f"- {box(done and rng.random() < 0.7)} {t}" for t in chunk), ""]
    return out


def supporting_data(inc: Incident, rng: random.Random) -> list[str]:
    err = rng.randint(3, 70)
    stamp = f"{inc.date.isoformat()} {hhmm(inc.start)}"
    logs = [
        f"ERROR [{stamp}:{rng.randint(10, 59)}] {inc.svc}: upstream {inc.svc2} returned 503 after {rng.randint(1000, 30000)}ms"
        for _ in range(rng.randint(2, 4))
    ]
    if "secret" in inc.flaws:
        key = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        secret = rng.choice(SECRETS).format(key=key, tail=key[:4].lower())
        logs.append(f"DEBUG [{stamp}:59] {inc.svc}: config {secret}")
    related = [f"- [{r}] - earlier {rng.choice(SYMPTOMS)[0]} in {inc.svc}" for r in inc.related]
    return [
        "## Supporting Data",
        "",
        "### Metrics During Incident",
        "```",
        f"Error Rate: {err}% (normal: <0.1%)",
        f"Response Time p95: {rng.randint(900, 12000)}ms (normal: {rng.randint(90, 300)}ms)",
        f"Success Rate: {100 - err}% (normal: 99.9%)",
        f"Traffic: {rng.randint(2, 60)},000 req/min (normal: {rng.randint(2, 40)},000 req/min)",
        "```",
        "",
        "### Graphs",
        f"![Error Rate during {inc.number}](./graphs/{inc.slug}-errors.png)",
        f"![Latency during {inc.number}](./graphs/{inc.slug}-latency.png)",
        "",
        "### Logs",
        "```",
        *logs,
        "```",
        "",
        "### Related Incidents",
        *(related or ["- None found"]),
        "",
    ]


def follow_up(inc: Incident, rng: random.Random) -> list[str]:
    done = inc.status in ("Final", "Closed") and "unticked_final" not in inc.flaws
    meeting = inc.date + dt.timedelta(days=rng.randint(2, 7))
    return [
        "## Follow-up",
        "",
        "### Review Meeting",
        f"- **Date:** {meeting.isoformat()}",
        f"- **Attendees:** {', '.join(inc.people)}, {rng.choice(TEAMS)} team",
        "- **Agenda:**",
        "  1. Review timeline and root cause",
        "  2. Discuss action items",
        "  3. Assign owners and deadlines",
        "  4. Schedule follow-up",
        "",
        "### Success Criteria",
        "Post-mortem is complete when:",
        *(f"- {box(done or rng.random() < 0.4)} {s}" for s in SUCCESS),
        "",
    ]


def communication(inc: Incident, rng: random.Random) -> list[str]:
    return [
        "## Communication",
        "",
        "### Internal Communication",
        f"- **Incident Channel:** #inc-{inc.date.isoformat()}-{inc.svc}",
        f"- **Stakeholder Updates:** Every {rng.choice((15, 30, 60))} minutes during incident",
        f"- **Post-Incident Report:** Sent within {rng.choice((24, 48))} hours",
        "",
        "### External Communication",
        f"- **Status Page Updated:** {rng.choice(('Yes', 'No'))}",
        f"- **Customer Notification:** {rng.choice(('Yes, email to affected tenants', 'No'))}",
        f"- **Public Post-Mortem:** {rng.choice(('No', 'Yes [status page](https://status.example.com/incidents)'))}",
        "",
    ]


def appendices(inc: Incident, rng: random.Random) -> list[str]:
    pr = rng.randint(1000, 9999)
    return [
        "## Appendices",
        "",
        "### Appendix A: Full Log Analysis",
        sentences(inc, rng, 2),
        "",
        "### Appendix B: Configuration Changes",
        (f"The {inc.comp} settings for {inc.svc} were changed in [config PR #{pr}](https://git.example.com/{inc.svc}/pull/{pr})."),
        "",
        "### Appendix C: Code Changes",
        f"- [Fix PR #{pr + 1}](https://git.example.com/{inc.svc}/pull/{pr + 1})",
        f"- [Test PR #{pr + 7}](https://git.example.com/{inc.svc}/pull/{pr + 7})",
        "",
        "### Appendix D: Monitoring Improvements",
        f"New alert `{rng.choice(ALERTS)}` and the {inc.comp} headroom dashboard for {inc.svc}.",
        "",
        "---",
        "",
    ]


def sign_off(inc: Incident, rng: random.Random) -> list[str]:
    signed = inc.status in ("Final", "Closed") and "unticked_final" not in inc.flaws
    rows = []
    for role in ROLES:
        day = inc.date + dt.timedelta(days=rng.randint(3, 14))
        ok = signed or rng.random() < 0.3
        rows.append(f"| {role} | {rng.choice(inc.people)} | {day.isoformat() if ok else ''} | {box(ok)} |")
    return [
        "## Sign-off",
        "",
        "| Role | Name | Date | Reviewed |",
        "|------|------|------|----------|",
        *rows,
        "",
    ]


def revisions(inc: Incident, rng: random.Random) -> list[str]:
    changes = ("Initial post-mortem", "Added action items", "Final review updates")
    count = {"Draft": 1, "Under Review": 2}.get(inc.status, 3)
    day = inc.date
    rows = []
    for i in range(count):
        day += dt.timedelta(days=rng.randint(1, 4))
        rows.append(f"| 1.{i} | {day.isoformat()} | {changes[i]} | {inc.author} |")
    return [
        "## Revision History",
        "",
        "| Version | Date | Changes | Author |",
        "|---------|------|---------|--------|",
        *rows,
        "",
        "---",
        "",
    ]


def checklist(inc: Incident, rng: random.Random) -> list[str]:
    done = inc.status in ("Final", "Closed") and "unticked_final" not in inc.flaws
    return [
        "## Post-Mortem Quality Checklist",
        "",
        *(f"- {box(done or rng.random() < 0.5)} {c}" for c in CHECKLIST),
    ]


SECTIONS = (
    header,
    executive_summary,
    impact,
    timeline,
    root_cause,
    detection_response,
    resolution,
    lessons,
    action_items,
    prevention,
    supporting_data,
    follow_up,
    communication,
    appendices,
    sign_off,
    revisions,
    checklist,
)


def render(inc: Incident, rng: random.Random) -> str:
    """The full Markdown text of one post-mortem."""
    lines: list[str] = []
    for section in SECTIONS:
        lines += section(inc, rng)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- corpus


def new_incident(rng: random.Random, date: dt.date, seq: int, taken: set[str], earlier: list[str]) -> Incident:
    svc, svc2 = rng.sample(SERVICES, 2)
    symptom, symptom_slug = rng.choice(SYMPTOMS)
    slug = unique_slug(f"{svc}-{symptom_slug}", taken)
    cause = rng.choice(CAUSES)[0]
    people = [person(rng) for _ in range(rng.randint(3, 5))]
    related = rng.sample(earlier[-200:], min(len(earlier), rng.randint(0, 2)))
    flaws = {name for name, rate in FLAW_RATES.items() if rng.random() < rate}
    if "unknown_related" in flaws:
        related.append(f"INC-{date.year - 3}-01-01-9{rng.randint(10, 99)}")
    minutes = rng.choice((rng.randint(5, 30), rng.randint(30, 120), rng.randint(120, 600)))
    # 5% cross midnight (the timeline wraps once); the others keep the whole timeline,
    # 90 minutes before the start to 45 after the end, within the day
    crosses = rng.random() < 0.05
    start = rng.randint(max(120, 24 * 60 - minutes + 1), 24 * 60 - 1) if crosses else rng.randint(90, 24 * 60 - minutes - 46)
    return Incident(
        date=date,
        number=f"INC-{date.isoformat()}-{seq:03d}",
        slug=slug,
        title=f"{svc} {symptom} in {rng.choice(REGIONS)}",
        svc=svc,
        svc2=svc2,
        comp=rng.choice(COMPONENTS),
        symptom=symptom,
        cause=cause,
        start=start,
        minutes=minutes,
        severity=rng.choices((1, 2, 3, 4), SEVERITY_WEIGHTS)[0],
        status=rng.choices(STATUSES, STATUS_WEIGHTS)[0],
        author=people[0],
        people=people,
        related=related,
        flaws=flaws,
    )


def unique_slug(base: str, taken: set[str]) -> str:
    """``base`` (e.g. ``checkout-api-latency``), suffixed to be unique in the corpus."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def dates(rng: random.Random, count: int) -> list[dt.date]:
    """Sorted incident dates between FIRST_DAY and TODAY (several a day in big corpora)."""
    span = (TODAY - FIRST_DAY).days
    return sorted(FIRST_DAY + dt.timedelta(days=rng.randrange(span)) for _ in range(count))


CONFIG = """\
# pmlint configuration of a generated benchmark corpus: the defaults, spelled out.
# Its presence also makes this folder the project root, wherever the corpus lies.
include:
  - tasks/post-mortem-*.md
"""


def generate(out: Path, count: int, seed: int) -> list[Path]:
    """Write ``count`` post-mortems under ``out/tasks`` and return their paths."""
    rng = random.Random(seed)
    tasks = out / "tasks"
    tasks.mkdir(parents=True, exist_ok=True)
    (out / ".pmlint.yaml").write_text(CONFIG, encoding="utf-8")
    for old in tasks.glob("post-mortem-*.md"):
        old.unlink()
    taken: set[str] = set()
    per_day: dict[dt.date, int] = {}
    earlier: list[str] = []
    paths = []
    for date in dates(rng, count):
        per_day[date] = per_day.get(date, 0) + 1
        inc = new_incident(rng, date, per_day[date], taken, earlier)
        earlier.append(inc.number)
        path = tasks / f"post-mortem-{date.isoformat()}-{inc.slug}.md"
        path.write_text(render(inc, rng), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a seeded post-mortem corpus.")
    parser.add_argument("out", type=Path, help="output folder (files go to OUT/tasks/)")
    parser.add_argument("--count", type=int, default=1000, help="number of files")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    began = time.perf_counter()
    paths = generate(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths)} files, {size / len(paths) / 1024:.1f} KB average, "
        f"to {args.out / 'tasks'} in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
