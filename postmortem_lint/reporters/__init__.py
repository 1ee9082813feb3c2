"""Output: one module per format and subject (check, actions, report), one registry (`registry`) and protocol."""
