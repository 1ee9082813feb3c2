"""Formats of `pmlint report`."""
