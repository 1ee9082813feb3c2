"""Names vulture (`vulture postmortem_lint vulture_whitelist.py`, run by .ci/run) cannot see used: framework hooks and record fields.

Rule functions are registered by their decorators and click commands by theirs
(pyproject's `[tool.vulture]` ignores those decorators); what is left here is used
by mistune, ruamel.yaml, pydantic or functools by name, or is a field of a record
that is written out (the result cache, JSON) rather than read in the package.
"""

from postmortem_lint.config import schema
from postmortem_lint.document import parse, summary
from postmortem_lint.features import insights

parse._Parser.state_cls  # mistune instantiates it
parse._Parser.parse_atx_heading  # mistune's block rule, overridden
summary.ActionSummary.owner_column  # cached and kept in the summary's shape
summary.Summary.duration_minutes  # cached and kept in the summary's shape
insights.Reference.source_path  # `pmlint report --format json`
insights.Reference.target_path  # `pmlint report --format json`
schema.ConfigFile.model_config  # pydantic
allow_duplicate_keys  # ruamel.yaml's YAML attribute, set in io.yamlio
mtime_ns  # part of the lru_cache key of packs.roster._load
theme_stopwords  # the root-cause pack's field (packs.schema)
param  # click's callback signature
sha  # prepare-commit-msg's third argument
stdio  # `pmlint server --stdio`: accepted, as editors pass it, and stdio is the only transport
pytest_terminal_summary  # pytest's hook (tests/conftest.py prints the blame tables)
exitstatus  # an argument of pytest's terminal-summary hook

# The template-pack format's vocabularies and record fields: documented in docs/templates.md, read
# by the rules once they switch to packs (issue 14), not dead.
from postmortem_lint.packs.templates import loader as template_loader
from postmortem_lint.packs.templates import runtime

template_loader.MARKDOWN_SUFFIXES
runtime.FIELD_FORMS
runtime.FIELD_TYPES
runtime.COLUMN_TYPES
runtime.CONTENT_KINDS
runtime.SECTION_ROLES
runtime.ACTION_FORMS
runtime.OWNER_FORMS
runtime.DUE_FORMS
runtime.NEED
runtime.MEASURES
runtime.HEADER_AREAS
filled  # ColumnSpec.filled, a template-pack field
single  # TitleSpec.single, a template-pack field
