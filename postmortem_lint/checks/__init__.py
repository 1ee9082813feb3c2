"""The rules: registry, context, one module per rule or family, the blame engine; no file access (metadata: core.catalog)."""
