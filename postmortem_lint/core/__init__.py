"""Standard-library-only building blocks: diagnostics, vocabularies, text and value parsing, deferred imports."""
