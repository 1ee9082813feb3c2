"""Settings: the one copy of the defaults, the configuration file's schema, loading and the memo."""
