"""The rules: registry, generated catalog, one module per rule or family; no file access."""
