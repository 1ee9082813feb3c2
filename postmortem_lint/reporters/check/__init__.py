"""Formats of `pmlint check` diagnostics."""
