"""The rule catalog: every rule's metadata, generated from the rule modules by `python -m postmortem_lint.generate`; do not edit."""

from __future__ import annotations

from postmortem_lint.core.rule_info import RuleInfo

CATALOG: dict[str, RuleInfo] = {
    "PM000": RuleInfo(
        code="PM000",
        name="parse-error",
        severity="error",
        fix="",
        scope="engine",
        module="pm000_parse_error",
        doc=(
            "## What it does\n"
            "Reports a file that cannot be read or decoded: not UTF-8, binary (NUL bytes),\n"
            "unreadable, a directory named like a post-mortem, or over the size limit.\n"
            "The run goes on with the other files.\n"
            "\n"
            "## Why is this bad?\n"
            "A post-mortem nobody can open in an editor or render on a code host is lost\n"
            "knowledge; a linter that crashes on it protects nothing.\n"
            "\n"
            "## Example\n"
            "```text\n"
            "a file saved as UTF-16 or Latin-1\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```text\n"
            "the same text saved as UTF-8\n"
            "```"
        ),
    ),
    "PM101": RuleInfo(
        code="PM101",
        name="filename-format",
        severity="error",
        fix="",
        scope="document",
        module="pm1xx_filename",
        doc=(
            "## What it does\n"
            "Checks that the file is named `post-mortem-YYYY-MM-DD-<slug>.md`, the slug\n"
            "being lowercase words joined by hyphens.\n"
            "\n"
            "## Why is this bad?\n"
            "Tools, the tracker and people find post-mortems by name; a file called\n"
            "`Incident notes.md` sorts nowhere and links break on the spaces.\n"
            "\n"
            "Every Markdown file of the post-mortem folder is checked, whatever its name\n"
            "(a README, the tracker and the files `exclude` lists aside), so that a\n"
            "misnamed post-mortem is caught here; the tracker, `pmlint actions` and\n"
            "`pmlint report` list it once it is renamed. A file of that folder that is\n"
            "not a post-mortem belongs under `exclude`.\n"
            "\n"
            "## Example\n"
            "```text\n"
            "tasks/Post Mortem DB outage.md\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```text\n"
            "tasks/post-mortem-2026-03-14-db-outage.md\n"
            "```"
        ),
    ),
    "PM102": RuleInfo(
        code="PM102",
        name="filename-date",
        severity="error",
        fix="",
        scope="document",
        module="pm1xx_filename",
        doc=(
            "## What it does\n"
            "Checks that the date in the file name is a real calendar date.\n"
            "\n"
            "## Why is this bad?\n"
            "`post-mortem-2026-02-30-x.md` sorts and files under a day that never was;\n"
            "the tracker and reports then place the incident wrongly.\n"
            "\n"
            "## Example\n"
            "```text\n"
            "tasks/post-mortem-2026-02-30-db-outage.md\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```text\n"
            "tasks/post-mortem-2026-02-28-db-outage.md\n"
            "```"
        ),
    ),
    "PM103": RuleInfo(
        code="PM103",
        name="location",
        severity="error",
        fix="",
        scope="document",
        module="pm1xx_filename",
        doc=(
            "## What it does\n"
            "Checks that the post-mortem lies in the configured folder (`tasks/` by default).\n"
            "\n"
            "## Why is this bad?\n"
            "A post-mortem outside the folder is missed by the tracker, by reviews that\n"
            "watch the folder and by the next person searching for past incidents.\n"
            "\n"
            "## Example\n"
            "```text\n"
            "docs/post-mortem-2026-03-14-db-outage.md\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```text\n"
            "tasks/post-mortem-2026-03-14-db-outage.md\n"
            "```"
        ),
    ),
    "PM201": RuleInfo(
        code="PM201",
        name="title",
        severity="error",
        fix="",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that the first heading is an H1 `# Post-Mortem: <title>` with a\n"
            "non-empty title, and that it is the only H1.\n"
            "\n"
            "## Why is this bad?\n"
            "The title is what the tracker, the commit message and search results show;\n"
            "a second H1 splits the document in two for every renderer's outline.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "# Incident\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "# Post-Mortem: Checkout latency after cache eviction storm\n"
            "```"
        ),
    ),
    "PM202": RuleInfo(
        code="PM202",
        name="metadata-missing",
        severity="error",
        fix="",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that the header block has every field of the template: Incident Number,\n"
            "Date, Time, Duration, Severity, Author and Status, written `**Field:** value`\n"
            "(`**Field**: value` and `Incident ID` are accepted; PM210 asks for the template's form).\n"
            "\n"
            "## Why is this bad?\n"
            "The tracker, reports and reviewers read these fields; a post-mortem without a\n"
            "severity or status cannot be triaged or tracked.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "**Date:** 2026-03-14\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "**Date:** 2026-03-14\n"
            "**Time:** 14:05 - 15:35 UTC\n"
            "**Duration:** 1 hour 30 minutes\n"
            "**Severity:** SEV-2\n"
            "**Author:** Priya Raman\n"
            "**Status:** Final\n"
            "```"
        ),
    ),
    "PM203": RuleInfo(
        code="PM203",
        name="incident-number-format",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that the incident number reads `INC-YYYY-MM-DD-NNN`, NNN being digits\n"
            "of the configured width (3 by default) and the date a real one.\n"
            "\n"
            "## Why is this bad?\n"
            "Incident numbers are how incidents are cited in chat, tickets and other\n"
            "post-mortems; a number in another shape is not found by those who search.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Incident Number:** INC-42\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "```"
        ),
    ),
    "PM204": RuleInfo(
        code="PM204",
        name="severity-value",
        severity="error",
        fix="safe or unsafe",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that the severity is one of `SEV-1`..`SEV-4` (a description may follow,\n"
            "as in `SEV-2 (Major - significant degradation)`).\n"
            "\n"
            "## Why is this bad?\n"
            "Reports count incidents by severity and escalation policies key on it; `P1`,\n"
            "`High` or `🔴 Critical` each mean something different to each reader.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Severity:** P1\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Severity:** SEV-1\n"
            "```"
        ),
    ),
    "PM205": RuleInfo(
        code="PM205",
        name="status-value",
        severity="error",
        fix="safe or unsafe",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that the status is one of `Draft`, `Under Review`, `Final`, `Closed`.\n"
            "\n"
            "## Why is this bad?\n"
            "The status decides how strictly pmlint checks completeness and what the\n"
            "tracker shows; `RESOLVED` describes the incident, not the document.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Status:** ✅ RESOLVED\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Status:** Final\n"
            "```"
        ),
    ),
    "PM206": RuleInfo(
        code="PM206",
        name="date-consistency",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that the date in the file name, the `**Date:**` field and the date in\n"
            "the incident number agree.\n"
            "\n"
            "## Why is this bad?\n"
            "Three dates that disagree leave readers and reports guessing when the\n"
            "incident happened; usually one was copied from another post-mortem.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "**Date:** 2026-03-15\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "**Date:** 2026-03-14\n"
            "```"
        ),
    ),
    "PM207": RuleInfo(
        code="PM207",
        name="time-format",
        severity="error",
        fix="",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that `**Time:**` reads `HH:MM - HH:MM <TZ>`: 24-hour clock times that\n"
            "exist, and a timezone word.\n"
            "\n"
            "## Why is this bad?\n"
            "Without a timezone, a distributed team reads three different incidents;\n"
            "`2pm` and `25:10` cannot be compared with the timeline.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Time:** 2pm - 3:30pm\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Time:** 14:00 - 15:30 UTC\n"
            "```"
        ),
    ),
    "PM208": RuleInfo(
        code="PM208",
        name="duration-consistency",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm2xx_header",
        doc=(
            "## What it does\n"
            "Checks that `**Duration:**` (`2 hours 30 minutes`, `2h 30m`, `150 minutes`,\n"
            "`45 min`, `1 hour`) equals the `**Time:**` range, or differs by whole days.\n"
            "\n"
            "## Why is this bad?\n"
            "Time to mitigate is the number reports average; a duration copied from\n"
            "another incident, or mis-added, skews every trend built on it.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Time:** 14:05 - 15:35 UTC\n"
            "**Duration:** 2 hours\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Time:** 14:05 - 15:35 UTC\n"
            "**Duration:** 1 hour 30 minutes\n"
            "```"
        ),
    ),
    "PM209": RuleInfo(
        code="PM209",
        name="date-in-future",
        severity="warning",
        fix="",
        scope="repo",
        module="pm209_future_date",
        doc=(
            "## What it does\n"
            "Flags a post-mortem whose date (`**Date:**`, else the date in the file\n"
            "name) is more than a day after today. Today is the later of the real date\n"
            "and `--today`, so that pinning `--today` to a past day for reproducible\n"
            "runs does not put real post-mortems in the future.\n"
            "\n"
            "It reads the repository index rather than the document, so that cached\n"
            "per-file results do not depend on the date of the run.\n"
            "\n"
            "## Why is this bad?\n"
            "An incident cannot be written up before it happens: the date is a typo (a\n"
            "wrong year or month), and the tracker, the report's months and the incident\n"
            "number all inherit it.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Incident Number:** INC-2099-03-14-001\n"
            "**Date:** 2099-03-14\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "**Date:** 2026-03-14\n"
            "```"
        ),
    ),
    "PM210": RuleInfo(
        code="PM210",
        name="header-form",
        severity="warning",
        fix="safe",
        scope="document",
        module="pm210_header_form",
        doc=(
            "## What it does\n"
            "Flags what the other rules accept but the template writes otherwise: a header\n"
            "field in another bold form (`**Date**:` for `**Date:**`) or under an alias\n"
            "(`**Incident ID:**` for `**Incident Number:**`), and a severity, status,\n"
            "action priority or action status in another case or spacing (`final`,\n"
            "`sev-2`, `high`, `in progress`).\n"
            "\n"
            "## Why is this bad?\n"
            "Search, `grep`, dashboards and scripts read the template's spelling; one\n"
            "post-mortem in three spellings is found by none of them. The fix only rewrites\n"
            "the label or the word, so the document says the same afterwards.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Incident ID**: INC-2026-03-14-001\n"
            "**Status:** final\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "**Status:** Final\n"
            "```"
        ),
    ),
    "PM301": RuleInfo(
        code="PM301",
        name="section-missing",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm3xx_sections",
        doc=(
            "## What it does\n"
            "Checks that every `##` section of the template (or of the team's pack) is\n"
            "present, and the `###` subsections of Impact, Root Cause Analysis, Detection\n"
            "and Response, and Resolution. Headings match case-insensitively, ignoring\n"
            "punctuation and a parenthesised suffix such as `(UTC)`.\n"
            "\n"
            "## Why is this bad?\n"
            "A missing section is usually a missing analysis: no Trigger means nobody\n"
            "asked what set the incident off.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Root Cause Analysis\n"
            "\n"
            "### What Happened\n"
            "A deploy changed the cache key format.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Root Cause Analysis\n"
            "\n"
            "### What Happened\n"
            "A deploy changed the cache key format.\n"
            "\n"
            "### Why It Happened (5 Whys Analysis)\n"
            "See below.\n"
            "\n"
            "### Root Cause\n"
            "**Primary Cause:** keys were not versioned.\n"
            "\n"
            "### Trigger\n"
            "The 14:00 deploy.\n"
            "```"
        ),
    ),
    "PM302": RuleInfo(
        code="PM302",
        name="section-order",
        severity="warning",
        fix="unsafe",
        scope="document",
        module="pm3xx_sections",
        doc=(
            "## What it does\n"
            "Checks that the required sections come in the template's order.\n"
            "\n"
            "## Why is this bad?\n"
            "Readers skim post-mortems in a known order (summary, impact, timeline, cause,\n"
            "actions); a shuffled document hides the part they came for.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Impact\n"
            "Checkout p95 rose to 4 s for 18% of users.\n"
            "\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes. We restored it by rolling back.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes. We restored it by rolling back.\n"
            "\n"
            "## Impact\n"
            "Checkout p95 rose to 4 s for 18% of users.\n"
            "```"
        ),
    ),
    "PM303": RuleInfo(
        code="PM303",
        name="section-empty",
        severity="completeness",
        fix="",
        scope="document",
        module="pm3xx_sections",
        doc=(
            "## What it does\n"
            "Checks that each required section and subsection has content: text of its own\n"
            "or a subsection with content. A `##` holding only filled `###` subsections is\n"
            "not empty. Warning on a Draft, error once the status is Under Review or later.\n"
            "\n"
            "## Why is this bad?\n"
            "An empty heading promises an analysis that is not there; reviewers assume it\n"
            "was done.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Executive Summary\n"
            "<!-- What happened, impact, and current status (2-3 sentences) -->\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes for 18% of users. We rolled back the cache\n"
            "change and service is fully restored.\n"
            "```"
        ),
    ),
    "PM304": RuleInfo(
        code="PM304",
        name="section-duplicate",
        severity="error",
        fix="",
        scope="document",
        module="pm3xx_sections",
        doc=(
            "## What it does\n"
            "Checks that no required section heading appears twice (at `##`, or at `###`\n"
            "within the same section).\n"
            "\n"
            "## Why is this bad?\n"
            "Two `## Action Items` sections split the list: the tracker counts one, the\n"
            "reader sees the other.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Lessons Learned\n"
            "Cache keys need versions.\n"
            "\n"
            "## Lessons Learned\n"
            "Alerts should page on p95.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Lessons Learned\n"
            "Cache keys need versions. Alerts should page on p95.\n"
            "```"
        ),
    ),
    "PM401": RuleInfo(
        code="PM401",
        name="placeholder",
        severity="completeness",
        fix="",
        scope="document",
        module="pm401_placeholder",
        doc=(
            "## What it does\n"
            "Finds template placeholders left in: the template's own slot tokens (the\n"
            "pack's `placeholders`; for the seed, `[Name]`, `[X minutes]`, `HH:MM`,\n"
            "`YYYY-MM-DD`, unchosen alternatives such as `Yes/No`) and the slot shapes\n"
            "of any template: a bracket that reads as a slot (`[Link to PR]`, `[Owner]`,\n"
            "`[Technical learning 1]`), angle slots (`<commit-before-fix>`), `{{DATE}}`,\n"
            "`____` blanks, `???`, `TBD`/`TBA`/`XXX`, `lorem ipsum`, `description here`,\n"
            "and a title left as the template wrote it (`# Postmortem Template`). Front\n"
            "matter values, the title and table cells are read too.\n"
            "\n"
            "Not placeholders: links and citations (`[[Ohn88]](…)`), code spans and\n"
            "blocks, HTML comments, task boxes, footnotes, `[INC-…]` references,\n"
            "`name[bot]` and `SQLSTATE[HY000]`, JSON and arrays, alert-title prefixes\n"
            "(`[FIRING] …`, `[No Data] …`), box-drawing and ASCII-art bars, owners the\n"
            "template writes in brackets (`[Rick]`) and an owner or due date of only\n"
            "`TBD` (PM502 and PM505 report those). Warning on a Draft, error once the\n"
            "status is Under Review or later.\n"
            "\n"
            "On a Draft, where the scaffold's placeholders are the to-do list, each\n"
            "section's placeholders are one warning: the first of them, with how many\n"
            "more the section holds and on which lines (a fresh `pmlint new` draft gets\n"
            "one per section instead of one per token). From Under Review on, every\n"
            "placeholder is its own error.\n"
            "\n"
            "## Why is this bad?\n"
            "A placeholder in a reviewed post-mortem is a question nobody answered.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "- **Affected Users:** [Number or percentage]\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "- **Affected Users:** 18% of checkout sessions (about 41,000 users)\n"
            "```"
        ),
    ),
    "PM402": RuleInfo(
        code="PM402",
        name="timeline-table",
        severity="error",
        fix="",
        scope="document",
        module="pm402_timeline",
        doc=(
            "## What it does\n"
            "Checks that `## Timeline` has a table with the header `Time | Event | Actor`,\n"
            "that every Time cell is `HH:MM` or `YYYY-MM-DD HH:MM`, and that no Event or\n"
            "Actor cell is empty.\n"
            "\n"
            "## Why is this bad?\n"
            "The timeline is where time to detect and time to mitigate come from; prose\n"
            "or free-form times cannot be checked, sorted or measured.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Timeline\n"
            "\n"
            "| Time | Event | Actor |\n"
            "|------|-------|-------|\n"
            "| 2:05pm | Alert fired | Monitoring |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Timeline\n"
            "\n"
            "| Time | Event | Actor |\n"
            "|------|-------|-------|\n"
            "| 14:05 | Alert fired | Monitoring |\n"
            "```"
        ),
    ),
    "PM403": RuleInfo(
        code="PM403",
        name="timeline-order",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm402_timeline",
        doc=(
            "## What it does\n"
            "Checks that timeline rows are in chronological order. Without dates in the\n"
            "Time column, one wrap past midnight is allowed, and only when the header\n"
            "`**Time:**` range crosses midnight.\n"
            "\n"
            "## Why is this bad?\n"
            "An out-of-order row is usually a typo in a time, and every duration computed\n"
            "from the timeline is then wrong.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Timeline\n"
            "\n"
            "| Time | Event | Actor |\n"
            "|------|-------|-------|\n"
            "| 14:05 | Alert fired | Monitoring |\n"
            "| 13:50 | Incident declared | Dana Cho |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Timeline\n"
            "\n"
            "| Time | Event | Actor |\n"
            "|------|-------|-------|\n"
            "| 14:05 | Alert fired | Monitoring |\n"
            "| 14:10 | Incident declared | Dana Cho |\n"
            "```"
        ),
    ),
    "PM404": RuleInfo(
        code="PM404",
        name="five-whys",
        severity="completeness",
        fix="",
        scope="document",
        module="pm404_content",
        doc=(
            "## What it does\n"
            "Checks that `### Why It Happened` holds an ordered list of at least five\n"
            "items, each a question ending in `?` followed by an answer (`→`, `->` or\n"
            "`Because`).\n"
            "\n"
            "## Why is this bad?\n"
            "Stopping at the first why finds the trigger, not the cause; the later whys\n"
            "are where the action items that prevent recurrence come from.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "### Why It Happened (5 Whys Analysis)\n"
            "1. **Why did checkout slow down?**\n"
            "   → Because the cache was empty.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "### Why It Happened (5 Whys Analysis)\n"
            "1. **Why did checkout slow down?**\n"
            "   → Because the cache was empty.\n"
            "2. **Why was the cache empty?**\n"
            "   → Because every key changed format in the 14:00 deploy.\n"
            "3. **Why did every key change?**\n"
            "   → Because the key builder includes the serializer version.\n"
            "4. **Why was that not caught?**\n"
            "   → Because staging starts with a cold cache.\n"
            "5. **Why does staging start cold?**\n"
            "   → Because no test exercises a warm-cache deploy.\n"
            "```"
        ),
    ),
    "PM405": RuleInfo(
        code="PM405",
        name="executive-summary-length",
        severity="warning",
        fix="",
        scope="document",
        module="pm404_content",
        doc=(
            "## What it does\n"
            "Checks that the Executive Summary has two or three sentences, as the template\n"
            'asks ("what happened, impact, and current status"). A placeholder still in it\n'
            "(PM401 reports that) is not counted as sentences.\n"
            "\n"
            "## Why is this bad?\n"
            "Executives read only this part. One sentence rarely says impact and status;\n"
            "a long one buries them.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes for 18% of users after a cache change. We\n"
            "rolled the change back at 15:30 UTC and service is fully restored.\n"
            "```"
        ),
    ),
    "PM406": RuleInfo(
        code="PM406",
        name="impact-unquantified",
        severity="completeness",
        fix="",
        scope="document",
        module="pm404_content",
        doc=(
            "## What it does\n"
            "Checks that **Affected Users** under Customer Impact states a number or a\n"
            "percentage.\n"
            "\n"
            "## Why is this bad?\n"
            '"Some users" cannot be compared across incidents or weighed against the cost\n'
            "of the action items; an estimate with a range is better than none.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "- **Affected Users:** many customers\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "- **Affected Users:** about 18% of checkout sessions (41,000 users)\n"
            "```"
        ),
    ),
    "PM407": RuleInfo(
        code="PM407",
        name="template-example-left",
        severity="completeness",
        fix="",
        scope="document",
        module="pm407_template_example",
        doc=(
            "## What it does\n"
            "Finds the template's *illustrative example* still in the document: its\n"
            "connection-pool 5 whys, its AI-001..AI-005 action texts, its prevention items,\n"
            "sample metrics, logs and related incidents (INC-2025-08-15, INC-2025-07-20),\n"
            "and its `kubectl rollout undo` / `UPDATE config` fix. The template's structural\n"
            "text (checklists, agenda, sign-off roles) is meant to stay and is not flagged.\n"
            "\n"
            "## Why is this bad?\n"
            "The example describes somebody else's incident; left in, it reads as fact\n"
            "and sends the next reader after a connection pool that was never involved.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "- [x] Implement circuit breakers\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "- [x] Version cache keys so a format change cannot evict the whole cache\n"
            "```"
        ),
    ),
    "PM408": RuleInfo(
        code="PM408",
        name="secret-leak",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm408_secret_leak",
        doc=(
            "## What it does\n"
            "Finds credentials pasted into the document, in prose, logs, commands or\n"
            "configuration: cloud access keys, tokens with known prefixes (GitHub, GitLab,\n"
            "Slack, Stripe, Google), private-key blocks, JSON web tokens, passwords in URLs,\n"
            "`password=…` assignments, and `secret=`/`token:`/`api_key=` assignments\n"
            "whose value looks random (Shannon entropy of at least 3.5 bits a character,\n"
            "letters and digits). Redacted values (`****`, `<token>`, `${VAR}`) and\n"
            "references to a credential (`Deno.env.get('OPENAI_API_KEY')`,\n"
            "`process.env.KEY`, `${{ secrets.KEY }}`, `$API_KEY`, `os.environ[...]`) are\n"
            "not flagged. Front matter, the title and table cells are read too.\n"
            "\n"
            "## Why is this bad?\n"
            "A post-mortem is shared widely, often publicly; a key in its log excerpt is a\n"
            "second incident. Revoke the key: removing it from the file leaves it in git history.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "The job ran `aws s3 sync` with AKIAZ3MPLE7QXW4RT2KD and failed.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "The job ran `aws s3 sync` with the deploy role's key (since rotated) and failed.\n"
            "```"
        ),
    ),
    "PM409": RuleInfo(
        code="PM409",
        name="personal-data",
        severity="warning",
        fix="",
        scope="document",
        module="pm409_personal_data",
        doc=(
            "## What it does\n"
            "Finds personal data a widely shared document should not carry: a person's\n"
            "email address (a customer's, in a log excerpt or a support ticket) and phone\n"
            "numbers. Role and machine addresses (`support@`, `no-reply@`,\n"
            "`security@`, `dependabot[bot]@`), team and list addresses, documentation\n"
            "domains (`example.com`, `*.test`, GitHub's no-reply addresses), addresses on\n"
            "author and `Signed-off-by:` lines and addresses of people the document names\n"
            "as its authors, responders or owners are not flagged. Phone numbers are read\n"
            "outside code blocks (timestamps and ids in logs look like them).\n"
            "\n"
            "## Why is this bad?\n"
            "A post-mortem is read by the whole company and often published; a customer's\n"
            "address in it is a privacy incident of its own, and hard to take back out of git history.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "The refund job failed for jane.doe@gmail.com (ticket from +44 20 7946 0958).\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "The refund job failed for one customer (support ticket 48213).\n"
            "```"
        ),
    ),
    "PM410": RuleInfo(
        code="PM410",
        name="numbers-disagree",
        severity="completeness",
        fix="",
        scope="document",
        module="pm410_numbers_disagree",
        doc=(
            "## What it does\n"
            "Compares the durations a post-mortem states with the ones its own timeline\n"
            "gives, and names both lines when they differ by more than\n"
            "`numbers-tolerance` minutes (default 5):\n"
            "\n"
            "- the stated duration (the pack's `duration` field, `**Duration:**` in the\n"
            "  seed) against the timeline from the first impact row (the start of the\n"
            '  `**Time:**` range, else the "first signs" row) to the restore row, or to\n'
            "  the resolution row; it is reported only when it matches neither;\n"
            "- the stated time to detect, to mitigate and to resolve (the pack's\n"
            "  `measures`: `**Time to Detect (TTD):**`, `Time to recovery`, …) against\n"
            "  the minutes from the first impact to the alert, restore or resolution\n"
            "  rows of the timeline (reported when no such row matches; the message\n"
            "  names the first).\n"
            "\n"
            "When the timeline marks no first impact, the two are still compared with\n"
            "each other: time to mitigate less time to detect against the first alert\n"
            "to the restore row. A figure the document does not state, or a milestone\n"
            "the timeline does not show, is not compared. The Duration against the `**Time:**` range is\n"
            "PM208's (a Duration that disagrees with the range is left to it). Warning on a Draft.\n"
            "\n"
            "## Why is this bad?\n"
            "Reports average these numbers; when the summary says two hours and the\n"
            "timeline shows ninety minutes, one of them is wrong, and readers cannot tell which.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "- **Time to Detect (TTD):** 25 minutes\n"
            "\n"
            "| 14:05 | First signs of issue: tax provider 429s begin |\n"
            "| 14:14 | Alert triggered: CheckoutLatencyP95High |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "- **Time to Detect (TTD):** 9 minutes\n"
            "```"
        ),
    ),
    "PM411": RuleInfo(
        code="PM411",
        name="impact-contradiction",
        severity="completeness",
        fix="",
        scope="document",
        module="pm411_impact_contradiction",
        doc=(
            "## What it does\n"
            "Finds an impact that contradicts itself:\n"
            "\n"
            "- a severity among the template's two highest (SEV-1, SEV-2 in the seed;\n"
            "  the first two values of the pack's `severity` vocabulary) while the\n"
            "  affected users (the label the pack's sections ask to quantify,\n"
            "  `Affected Users` in the seed) are `0`, `none` or `no users`;\n"
            "- `Data Loss: None` (or `No`) while the document says data was lost\n"
            '  ("orders were lost", "lost 300 records", "partial data loss"); negated\n'
            '  and hypothetical mentions ("no data was lost", "could have lost data")\n'
            "  do not count.\n"
            "\n"
            "Both lines are named. Warning on a Draft.\n"
            "\n"
            "## Why is this bad?\n"
            "The severity drives paging, reporting and review depth; when the impact\n"
            "says nobody was affected, either the severity or the impact is wrong, and\n"
            "the trend reports count whichever they read.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Severity:** SEV-1\n"
            "- **Affected Users:** 0\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "**Severity:** SEV-1\n"
            "- **Affected Users:** all EU users for 40 minutes (about 210,000)\n"
            "```"
        ),
    ),
    "PM412": RuleInfo(
        code="PM412",
        name="timeline-gap",
        severity="warning",
        fix="",
        scope="document",
        module="pm412_timeline_gap",
        doc=(
            "## What it does\n"
            "Warns when the timeline has no event for longer than `timeline-gap`\n"
            "minutes (default 120) inside the impact window: from the first impact (the\n"
            'start of the `**Time:**` range, else the "first signs" row) to the restore\n'
            "row (else the end of the range). Rows are read through the template pack's\n"
            "timeline table; before the impact and after the restore, quiet hours are\n"
            "expected and not reported.\n"
            "\n"
            "## Why is this bad?\n"
            "What the responders did during those hours is what the review needs most: a\n"
            "gap hides a stalled diagnosis, a handover or a wait nobody wrote down.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Timeline\n"
            "\n"
            "| Time | Event | Actor |\n"
            "|------|-------|-------|\n"
            "| 14:05 | First signs of issue: tax provider 429s begin | System |\n"
            "| 14:14 | Alert triggered: CheckoutLatencyP95High | Monitoring |\n"
            "| 17:40 | Root cause identified | Elena Petrova |\n"
            "| 17:55 | Service restored | System |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Timeline\n"
            "\n"
            "| Time | Event | Actor |\n"
            "|------|-------|-------|\n"
            "| 14:05 | First signs of issue: tax provider 429s begin | System |\n"
            "| 14:14 | Alert triggered: CheckoutLatencyP95High | Monitoring |\n"
            "| 15:30 | Handover to the pricing team; rollback prepared | Priya Raman |\n"
            "| 17:20 | Rollback of pricing-service started | Elena Petrova |\n"
            "| 17:40 | Root cause identified | Elena Petrova |\n"
            "| 17:55 | Service restored | System |\n"
            "```"
        ),
    ),
    "PM413": RuleInfo(
        code="PM413",
        name="trivial-section",
        severity="completeness",
        fix="",
        scope="document",
        module="pm413_trivial_section",
        doc=(
            "## What it does\n"
            "Finds a section of the template whose whole content is a placeholder of\n"
            "nothing: `-`, `N/A`, `TBD`, `TODO`, `...`, `?` (as a paragraph or list\n"
            "items). A section with subsections that have content, and a section the\n"
            "template lets stay empty (`content: none`), are not reported (each\n"
            "subsection is read on its own); an empty section is PM303's. Warning on a Draft.\n"
            "\n"
            "## Why is this bad?\n"
            'A dash under "Lessons Learned" passes a check for the heading and tells the\n'
            "reader nothing; it is a section nobody wrote.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Lessons Learned\n"
            "\n"
            "- N/A\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Lessons Learned\n"
            "\n"
            "- A rollout that only watches error rates misses latency regressions.\n"
            "```"
        ),
    ),
    "PM501": RuleInfo(
        code="PM501",
        name="action-table",
        severity="error",
        fix="",
        scope="document",
        module="pm50x_actions",
        doc=(
            "## What it does\n"
            "Checks that `## Action Items` has a table with the header\n"
            "`ID | Action | Owner | Priority | Due Date | Status` and at least one row.\n"
            "\n"
            "## Why is this bad?\n"
            "Action items are how a post-mortem changes anything. A bullet list has no\n"
            "owner or due date to track, and `pmlint actions` cannot follow it up.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Action Items\n"
            "- Add cache warm-up to deploys\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Action Items\n"
            "\n"
            "| ID | Action | Owner | Priority | Due Date | Status |\n"
            "|----|--------|-------|----------|----------|--------|\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```"
        ),
    ),
    "PM502": RuleInfo(
        code="PM502",
        name="action-owner",
        severity="completeness",
        fix="",
        scope="document",
        module="pm50x_actions",
        doc=(
            "## What it does\n"
            "Checks that every action item has an owner: not empty, not a placeholder, not\n"
            "`TBD`, `TBA`, `?`, `-` or `N/A`. Warning on a Draft, error from Under Review on.\n"
            "\n"
            "## Why is this bad?\n"
            "An action item without an owner is a wish. It will still be open at the next\n"
            "incident of the same kind.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | TBD | High | 2026-04-01 | Open |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```"
        ),
    ),
    "PM503": RuleInfo(
        code="PM503",
        name="action-id",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm50x_actions",
        doc=(
            "## What it does\n"
            "Checks that action-item ids read `AI-NNN` and are unique within the document.\n"
            "\n"
            "## Why is this bad?\n"
            "Ids are how commits, tickets and follow-up meetings refer to an item; two\n"
            "`AI-002`s make every such reference ambiguous.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "| 1 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```"
        ),
    ),
    "PM504": RuleInfo(
        code="PM504",
        name="action-priority",
        severity="error",
        fix="safe or unsafe",
        scope="document",
        module="pm50x_actions",
        doc=(
            "## What it does\n"
            "Checks that each action item's priority is `High`, `Medium` or `Low`.\n"
            "\n"
            "## Why is this bad?\n"
            "Reports and `pmlint actions --priority` group by these three values; `P0` or\n"
            "`Urgent` falls out of every view.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | Urgent | 2026-04-01 | Open |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```"
        ),
    ),
    "PM505": RuleInfo(
        code="PM505",
        name="action-due-date",
        severity="completeness",
        fix="",
        scope="document",
        module="pm50x_actions",
        doc=(
            "## What it does\n"
            "Checks that each action item's due date is a real `YYYY-MM-DD` date.\n"
            "Warning on a Draft, error from Under Review on.\n"
            "\n"
            "## Why is this bad?\n"
            '"Next sprint" is never overdue, so nothing reminds anyone.\n'
            "\n"
            "## Example\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | next sprint | Open |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```"
        ),
    ),
    "PM506": RuleInfo(
        code="PM506",
        name="action-status",
        severity="error",
        fix="safe or unsafe",
        scope="document",
        module="pm50x_actions",
        doc=(
            "## What it does\n"
            "Checks that each action item's status is `Open`, `In Progress`, `Blocked`,\n"
            "`Done`, `Closed` or `Won't Do`.\n"
            "\n"
            "## Why is this bad?\n"
            "The tracker's open/total count and the overdue check read this column; an\n"
            "unknown status is counted as neither open nor done.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | WIP |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | In Progress |\n"
            "```"
        ),
    ),
    "PM507": RuleInfo(
        code="PM507",
        name="action-overdue",
        severity="warning",
        fix="",
        scope="repo",
        module="pm507_action_overdue",
        doc=(
            "## What it does\n"
            "Flags an action item that is not Done, Closed or Won't Do and whose due date\n"
            "is before today (`--today YYYY-MM-DD` makes runs reproducible).\n"
            "\n"
            "## Why is this bad?\n"
            "Overdue items are how the same incident happens twice; a warning in every\n"
            "run keeps them visible until someone closes or re-plans them.\n"
            "\n"
            "It reads the repository index rather than the document, so that cached\n"
            "per-file results do not depend on the date of the run.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2020-01-31 | Open |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2020-01-31 | Done |\n"
            "```"
        ),
    ),
    "PM508": RuleInfo(
        code="PM508",
        name="action-owner-unknown",
        severity="error",
        fix="",
        scope="document",
        module="pm508_owner_unknown",
        doc=(
            "## What it does\n"
            "When the `owners` setting names a roster, checks that every action-item owner\n"
            "is on it. `owners` is a roster file (one person per line: a name, an\n"
            "`@handle`, an email, or several of them for the same person; `#` comments; or\n"
            "a `.yaml` list of such strings), or `CODEOWNERS` (the `@handles`, teams and\n"
            "emails in `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`). Owners\n"
            "match case-insensitively, with or without the `@`; a cell may name several\n"
            "owners separated by commas. Without `owners` the rule does nothing.\n"
            "\n"
            "## Why is this bad?\n"
            "A typo, a nickname or someone who has left the company passes the owner\n"
            "check but reaches nobody: the item is never done, and `pmlint actions\n"
            "--owner` never shows it to the person who should do it.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Zed Unknown | High | 2026-04-01 | Open |\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "| AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |\n"
            "```"
        ),
    ),
    "PM601": RuleInfo(
        code="PM601",
        name="blame-phrase",
        severity="error",
        fix="unsafe",
        scope="document",
        module="pm6xx_blame",
        doc=(
            "## What it does\n"
            "Finds blame language from the pack `rules/blame.yaml` whoever it is about:\n"
            'blame words ("human error", "careless", "negligent", "poor judgement", "X\'s\n'
            'fault"), and blame behind an agentless passive ("the checklist was skipped",\n'
            '"the warning was overlooked"), an idiom ("dropped the ball", "asleep at the\n'
            'wheel"), a sanction ("disciplinary action") or sarcasm, when no person is\n'
            "named (PM602 takes those). Each finding says what it judges and offers a\n"
            "rewrite that describes the system instead. Where the pack gives the phrase\n"
            'a literal `replace:` ("fat-fingered" -> "mistyped", "the offending\n'
            'engineer" -> "the engineer"), the finding has an unsafe fix that puts it in\n'
            "place; a team's `blame.extra-phrases` item may give one too.\n"
            "\n"
            "Prose is read in paragraphs, list items, table cells, headings and the values\n"
            "of YAML front matter; never in code blocks, inline code, URLs, log lines or\n"
            'block quotes. Blame that is quoted (`A customer wrote: "your team is\n'
            'careless"`), negated ("No one was careless", "Human error does not explain\n'
            'this", "Calling the on-call careless would miss the point") or one option of\n'
            'a list ("Cause: code | human error | vendor", "Tags: fatigue, operator\n'
            'error, unclear docs") is not reported. Teams extend the phrases with\n'
            "`blame.extra-phrases` and silence a phrase or family by id or by its text\n"
            "with `blame.allow`.\n"
            "\n"
            "## Why is this bad?\n"
            "A post-mortem that names a person's failing as the cause ends the analysis\n"
            "where it should start: people stop reporting what really happened, and the\n"
            "conditions that made the mistake easy stay in place.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes because of human error during a cache change.\n"
            "We rolled the change back at 15:30 UTC and service is fully restored.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes after a cache change that no check validated.\n"
            "We rolled the change back at 15:30 UTC and service is fully restored.\n"
            "```"
        ),
    ),
    "PM602": RuleInfo(
        code="PM602",
        name="blamed-person",
        severity="error",
        fix="",
        scope="document",
        module="pm6xx_blame",
        doc=(
            "## What it does\n"
            "Finds a sentence that makes a person, a role or a team the cause, and names\n"
            "them: someone the document names (Author, Timeline actors, action-item\n"
            "owners, sign-off names, attendees, by full name, first name, handle or\n"
            'possessive), a role ("the on-call engineer", "an SRE", "the developer who\n'
            'wrote the migration"), a team ("the IT team", "QA", "Engineers"), "someone"\n'
            'or "whoever", and "we"/"they" where the sentence judges character. They are\n'
            'blamed as the subject of a failure ("Alice forgot to renew", "Bob never\n'
            'checked", "ran the wrong playbook", "restarted the primary without checking\n'
            'replication"), of a judgement ("was tired and distracted", "was to blame"),\n'
            'of a sanction ("was given a written warning", "Ines\'s bonus was withheld"),\n'
            'of a counterfactual ("If Dana had checked ...", "With a bit more care, the\n'
            'operator would have noticed"), of a choice that blames without a failure\n'
            'verb ("disabled the tests to get the build green", "rebooted the primary\n'
            'instead of the standby", "deployed against the freeze policy", "approved her\n'
            'own pull request"), as the agent of "caused by Bob" or "was ignored by the\n'
            'on-call", or as the owner of a fault ("Carol\'s mistake"). The subject is\n'
            'found across "but" ("An operator used the tool but forgot to type -n"), past\n'
            'a place ("an operator at OWASA") and past an aside ("An S3 team member, while\n'
            'debugging, removed ..."); "we" is blamed only for forgetting and for\n'
            "judgements of character. The families of predicates, their inflections and\n"
            "the role and team words are data in `rules/blame.yaml`.\n"
            "\n"
            'Machines as subjects ("The CDN failed to notice ...", "the Kubernetes\n'
            'operator"), lessons about systems ("If the CLI had asked for confirmation\n'
            '..."), people doing neutral things ("Dana restarted the pods") and a failure\n'
            'the sentence denies ("Marco did not skip any step") are not flagged. The\n'
            "message names who is blamed and the phrase, and offers a systems-focused\n"
            "rewrite.\n"
            "\n"
            "## Why is this bad?\n"
            "Naming who failed turns a review into a trial. The next person in the same\n"
            "situation would have done the same; the document should say why the system\n"
            "made that step easy to get wrong.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes because the on-call engineer forgot to warm the cache.\n"
            "We rolled the change back at 15:30 UTC and service is fully restored.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Executive Summary\n"
            "Checkout was slow for 90 minutes because the deploy does not warm the cache.\n"
            "We rolled the change back at 15:30 UTC and service is fully restored.\n"
            "```"
        ),
    ),
    "PM701": RuleInfo(
        code="PM701",
        name="incident-number-duplicate",
        severity="error",
        fix="unsafe",
        scope="repo",
        module="pm7xx_repo",
        doc=(
            "## What it does\n"
            "Checks that no other post-mortem in the repository uses the same incident\n"
            "number, nor one at `--against REF` (for example the pull request's base\n"
            "branch, so that two branches that both take `INC-2026-03-14-001` are caught\n"
            "before the second merges).\n"
            "\n"
            "## Why is this bad?\n"
            "The incident number is the key that links the post-mortem, the tracker,\n"
            "tickets and related incidents. Two documents with one number make every\n"
            "one of those links ambiguous.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "<!-- tasks/post-mortem-2026-03-14-checkout-latency.md -->\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "<!-- tasks/post-mortem-2026-03-14-search-outage.md -->\n"
            "**Incident Number:** INC-2026-03-14-001\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "<!-- tasks/post-mortem-2026-03-14-search-outage.md -->\n"
            "**Incident Number:** INC-2026-03-14-002\n"
            "```"
        ),
    ),
    "PM702": RuleInfo(
        code="PM702",
        name="related-incident-unknown",
        severity="warning",
        fix="",
        scope="repo",
        module="pm7xx_repo",
        doc=(
            "## What it does\n"
            "Checks that every `INC-…` number referenced under Related Incidents is the\n"
            "incident number of a post-mortem in the repository (or at `--against REF`).\n"
            "A reference without the sequence number (`INC-2026-03-14`) matches any\n"
            "incident of that day.\n"
            "\n"
            "## Why is this bad?\n"
            "A related incident is cited so that readers can follow the pattern. A\n"
            "number that matches no post-mortem is a typo, or points at a write-up that\n"
            "was never filed, and the trail ends there.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "### Related Incidents\n"
            "- INC-2025-13-40-001: similar pool exhaustion\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "### Related Incidents\n"
            "- INC-2026-01-09-002: search index outage, also a rollout whose health checks missed the failure\n"
            "```"
        ),
    ),
    "PM703": RuleInfo(
        code="PM703",
        name="tracker-out-of-sync",
        severity="error",
        fix="safe",
        scope="repo",
        module="pm703_tracker",
        doc=(
            "## What it does\n"
            "Checks that the tracker's managed table (between `<!-- pmlint:tracker:start -->`\n"
            "and `<!-- pmlint:tracker:end -->`) has a row for the post-mortem, that the row\n"
            "says what the post-mortem says (incident, severity, date, status, open/total\n"
            "action items) and that it sits where `pmlint track` would put it (newest date\n"
            "first, then incident number). A project with no tracker file is not checked.\n"
            "Rows for post-mortems that no longer exist are reported by `pmlint track --check`.\n"
            "\n"
            "## Why is this bad?\n"
            "The tracker is what the weekly reliability review reads; a row that still says\n"
            "`Draft` or `0/5` open for a post-mortem that moved on hides work, or invents it.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "**Status:** Final\n"
            "<!-- while the tracker row still reads: | … | SEV-2 | 2026-03-14 | Draft | 4/6 | -->\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "<!-- run `pmlint track` (or `pmlint check --fix`): the row now reads | … | Final | 4/6 | -->\n"
            "```"
        ),
    ),
    "PM801": RuleInfo(
        code="PM801",
        name="sign-off-incomplete",
        severity="error",
        fix="",
        scope="document",
        module="pm801_sign_off",
        doc=(
            "## What it does\n"
            "On a `Final` or `Closed` post-mortem, checks that every Quality Checklist and\n"
            "Success Criteria box is ticked and every Sign-off row has a name, a date and\n"
            "`[x]`.\n"
            "\n"
            "## Why is this bad?\n"
            '"Final" is a claim that the review happened. An unticked box or an unsigned\n'
            "role says it did not, and the document should stay Under Review. A box that\n"
            'claims finished work ("Prevention measures are implemented") should not be\n'
            "ticked while action items are still open: the message names them, and the\n"
            "honest status until they are done is `Under Review`.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "## Post-Mortem Quality Checklist\n"
            "\n"
            "- [x] Timeline is complete and accurate\n"
            "- [ ] Root cause is clearly identified\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "## Post-Mortem Quality Checklist\n"
            "\n"
            "- [x] Timeline is complete and accurate\n"
            "- [x] Root cause is clearly identified\n"
            "```"
        ),
    ),
    "PM802": RuleInfo(
        code="PM802",
        name="status-contradicts-document",
        severity="error",
        fix="",
        scope="document",
        module="pm802_status_contradicts",
        doc=(
            "## What it does\n"
            "On a post-mortem whose status is final (`Final`, `Closed` in the seed; the\n"
            "pack's `vocabularies.status.final`), reads the ticked boxes of its\n"
            'checklists (sections the pack marks `checklist`, and any "… Checklist" or\n'
            '"Success Criteria" section) and checks the claims the action items can\n'
            "disprove:\n"
            "\n"
            '- "All action items have owners" ticked while an action item has no owner\n'
            "  (empty, `TBD`, `???`, a placeholder) that PM502 does not already report\n"
            "  (PM502 reports an empty, `TBD` or placeholder owner where the template\n"
            "  requires owners; this rule adds `???`, and every missing owner where\n"
            "  owners are optional);\n"
            '- "All action items are done" ticked while one is still open (by the pack\'s\n'
            "  `action-status` vocabulary; an unticked task item is open);\n"
            '- "Prevention measures are implemented" ticked while every action item and\n'
            "  every task box of the prevention section is still open.\n"
            "\n"
            "Both lines are named: the ticked box and the action item. Each kind of\n"
            "claim is reported once, at its first ticked box.\n"
            "\n"
            "## Why is this bad?\n"
            "A final status tells readers the work is done; a ticked box that the\n"
            "document itself contradicts makes the checklist, and the status, worthless.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "### Success Criteria\n"
            "Post-mortem is complete when:\n"
            "- [x] All action items have owners\n"
            "- [x] All action items are done\n"
            "```\n"
            "(on a Final post-mortem whose action items AI-002 to AI-005 are still open)\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "### Success Criteria\n"
            "Post-mortem is complete when:\n"
            "- [x] All action items have owners\n"
            "- [x] Action items are tracked in the team's board\n"
            "```"
        ),
    ),
    "PM901": RuleInfo(
        code="PM901",
        name="unused-suppression",
        severity="warning",
        fix="safe",
        scope="engine",
        module="pm901_unused_suppression",
        doc=(
            "## What it does\n"
            "Reports a `<!-- pmlint-disable … -->` comment (any of its forms) that\n"
            "suppressed no finding. The engine computes this after every other rule ran,\n"
            "so it sees findings of repository rules too.\n"
            "\n"
            "## Why is this bad?\n"
            "A stale suppression silently swallows the next real finding on that line.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "<!-- pmlint-disable-next-line PM601 -->\n"
            "The deploy pipeline skipped the canary stage.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "The deploy pipeline skipped the canary stage.\n"
            "```"
        ),
    ),
    "PM902": RuleInfo(
        code="PM902",
        name="unknown-suppression-code",
        severity="warning",
        fix="",
        scope="document",
        module="pm902_unknown_suppression_code",
        doc=(
            "## What it does\n"
            "Reports a code in a `<!-- pmlint-disable … -->` comment (any of its forms,\n"
            "and `pmlint-enable`) that is neither a rule code, nor the prefix of one,\n"
            "nor `ALL`, and names the closest code that exists.\n"
            "\n"
            "## Why is this bad?\n"
            "A mistyped code suppresses nothing: the finding it was meant to silence is\n"
            "still reported, or, worse, the comment looks as if it were reviewed and kept.\n"
            "\n"
            "## Example\n"
            "```markdown\n"
            "<!-- pmlint-disable-next-line PM60l -->\n"
            "The deploy pipeline skipped the canary stage.\n"
            "```\n"
            "\n"
            "## Use instead\n"
            "```markdown\n"
            "<!-- pmlint-disable-next-line PM601 -->\n"
            "The deploy pipeline skipped the canary stage.\n"
            "```"
        ),
    ),
}
