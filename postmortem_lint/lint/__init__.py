"""Running the rules: targets, policy (selection, severity, suppression), engine, cache, pool, archive index."""
