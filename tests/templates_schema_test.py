"""The template pack format: validation errors as ``file:line: key: problem`` in plain words, and the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postmortem_lint.io.yamlio import parse_yaml
from postmortem_lint.packs.templates import runtime, schema
from postmortem_lint.packs.templates.runtime import TemplateError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "template-pack.schema.json"


def compile_text(text: str) -> runtime.TemplatePack:
    raw = parse_yaml(text, "team.yaml", round_trip=True)
    return runtime.from_data(schema.compile_data(raw, "team.yaml", raw))


def test_a_small_pack_compiles_with_defaults_filled() -> None:
    pack = compile_text(
        "name: lean\n"
        "sections:\n"
        "  - Summary\n"
        "  - name: Timeline\n"
        "    subsections: [Details]\n"
        "  - {name: Stats, level: any, required: false}\n"
        "fields:\n"
        "  - {name: Owner, type: people}\n"
    )
    summary, timeline, stats = pack.sections
    assert (summary.id, summary.levels, summary.required, summary.content) == ("summary", (2,), True, "any")
    assert timeline.subsections[0].levels == (3,)
    assert stats.levels == () and not stats.required
    assert pack.fields[0].key == "owner" and pack.fields[0].where == ("bold-line",)


def test_incident_numbers_get_the_default_pattern() -> None:
    pack = compile_text("name: t\nfields:\n  - {name: Incident Number, type: incident-number}\n")
    assert pack.fields[0].pattern == schema.DEFAULT_INCIDENT_PATTERN


BAD = [
    ("name: t\nfieldz: []\n", "team.yaml:2: fieldz: unknown key; did you mean `fields`?"),
    ("fields: []\n", "team.yaml:1: name: is required but missing"),
    (
        "name: t\nsections:\n  - name: A\n    colour: red\n",
        "team.yaml:4: sections.0.colour: unknown key; the keys here are `name`, `aliases`",
    ),
    ("name: t\nsections:\n  - name: A\n    level: 9\n", "team.yaml:4: sections.0.level: a heading level is 1 to 6, or `any`"),
    ("name: t\nsections:\n  - name: A\n    required: maybe\n", "team.yaml:4: sections.0.required: must be true or false, not `maybe`"),
    ("name: t\nsections:\n  - {name: A, content: lots}\n", "team.yaml:3: sections.0.content: `lots` is not one of `any`, `text`"),
    ("name: t\nsections:\n  - 3\n", "team.yaml:3: sections.0: must be a mapping of keys"),
    ("name: t\nsections:\n  - name: A\n    pattern: '('\n", "team.yaml:4: sections.0.pattern: `(` is not a valid regular expression"),
    ("name: t\nsections: [A, a]\n", "sections.1.name: `a` already names sections.0"),
    (
        "name: t\nsections:\n  - {name: A, role: timeline}\n  - {name: B, role: timeline}\n",
        "team.yaml:4: sections.1.role: role `timeline` is given to two sections",
    ),
    (
        "name: t\nfields:\n  - name: S\n    type: vocabulary\n",
        "team.yaml:3: fields.0.vocabulary: a field of type `vocabulary` names its vocabulary",
    ),
    (
        "name: t\nfields:\n  - {name: S, type: vocabulary, vocabulary: sev}\n",
        "fields.0.vocabulary: no vocabulary `sev` under `vocabularies`",
    ),
    (
        "name: t\nfields:\n  - {name: Author}\n  - {name: Writer, aliases: [author]}\n",
        "fields.1.aliases: label `author` already names fields.0",
    ),
    ("name: t\nfields:\n  - {name: A, where: [margin]}\n", "team.yaml:3: fields.0.where.0: `margin` is not one of `bold-line`"),
    (
        "name: t\nvocabularies:\n  status:\n    values: [A]\n    drafts: [B]\n",
        "team.yaml:5: vocabularies.status.drafts.0: `B` is not one of the values (A)",
    ),
    ("name: t\nvocabularies:\n  status:\n    values: []\n", "team.yaml:4: vocabularies.status.values: must have at least 1 item(s)"),
    (
        "name: t\nsections: [Timeline]\ntables:\n  timeline:\n    section: Timeline\n    columns: [{role: x, name: X}]\n",
        "team.yaml:6: tables.timeline.columns.0.role: `x` is not a column role of the timeline table (time, event, actor)",
    ),
    (
        "name: t\ntables:\n  timeline:\n    section: Chronology\n    columns: [{role: time, name: Time}]\n",
        "team.yaml:4: tables.timeline.section: no section `Chronology`",
    ),
    (
        "name: t\ntables:\n  ledger: {section: A, columns: [{role: a, name: A}]}\n",
        "team.yaml:3: tables.ledger: `ledger` is not one of `timeline`",
    ),
    (
        "name: t\nsections: [Actions]\nactions: {section: Actions, owner: sometimes}\n",
        "team.yaml:3: actions.owner: `sometimes` is not one of `required`",
    ),
    (
        "name: t\nsections: [Actions]\nactions: {section: Actions, done-status: Finito}\n"
        "vocabularies:\n  action-status: {values: [Open, Done]}\n",
        "team.yaml:3: actions.done-status: `Finito` is not a value of the `action-status` vocabulary",
    ),
    (
        "name: t\nincident-date:\n  - {field: date, file-name: x}\n",
        "team.yaml:3: incident-date.0: give exactly one of `field`, `front-matter`",
    ),
    ("name: t\nincident-date:\n  - {field: date}\n", "team.yaml:3: incident-date.0.field: no field with key `date` in `fields`"),
    ("name: t\nplaceholders:\n  patterns: ['[']\n", "team.yaml:3: placeholders.patterns.0: `[` is not a valid regular expression"),
    ("name: t\nsections:\n  - {name: A, whys: -1}\n", "team.yaml:3: sections.0.whys: must be at least 0"),
    (
        "name: t\nsections:\n  - {name: A, sentences: [3, 2]}\n",
        "team.yaml:3: sections.0.sentences: must be `[min, max]` with 1 ≤ min ≤ max",
    ),
    ("- just\n- a list\n", "team.yaml:1: the template pack must be a mapping of keys"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_pack_is_named_by_file_line_and_key(text: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        compile_text(text)
    assert message in str(caught.value)
    assert "pydantic" not in str(caught.value) and "Input should" not in str(caught.value)


def test_the_json_schema_in_docs_is_current() -> None:
    assert json.loads(DOCS.read_text(encoding="utf-8")) == schema.json_schema(), "regenerate: python -m postmortem_lint.generate"


def _properties(node: Any) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.append((key, value))
        for value in node.values():
            found.extend(_properties(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_properties(value))
    return found


def test_every_key_of_the_schema_is_described() -> None:
    properties = _properties(schema.json_schema())
    assert len(properties) > 60
    undescribed = [key for key, value in properties if not value.get("description")]
    assert undescribed == []


def test_the_schema_uses_the_yaml_spelling_of_keys() -> None:
    text = json.dumps(schema.json_schema())
    for key in ("header-area", "incident-date", "as-field", "date-formats", "owner-forms", "min-rows", "front-matter"):
        assert f'"{key}"' in text


def test_the_example_pack_in_the_design_note_is_valid() -> None:
    text = (DOCS.parent / "templates.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("\n```", 1)[0]
    pack = compile_text(example)
    assert pack.name == "our-template"
    assert {t.role for t in pack.tables} == {"timeline", "actions"}
    assert [d.kind for d in pack.dates] == ["field", "front-matter", "file-name", "timeline"]
