"""Template packs: a team's document template as data (fields, sections, tables, vocabularies).

`runtime` holds the frozen pack every reader uses (no pydantic); `schema` validates a YAML
pack (pydantic, imported only then); `presets` serves the shipped packs from their compiled
JSON; `derive` builds a pack from a Markdown template; `reader` reads a built document
through a pack; `fit` scores presets against an archive; `loader` resolves the `template:`
configuration value. See docs/templates.md.
"""
