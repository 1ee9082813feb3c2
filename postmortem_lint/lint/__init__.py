"""Running the rules: targets, files, policy (selection, severity, suppression), engine, linter, cache, pool, archive."""
