"""One post-mortem as data: source text, parse (the only mistune importer), model, build, tables, measures, summary."""
