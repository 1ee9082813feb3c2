"""Formats of `pmlint actions`."""
