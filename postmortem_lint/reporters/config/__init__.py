"""Formats of `pmlint config`."""
