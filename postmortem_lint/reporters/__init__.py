"""Output: one module per format and subject (check, actions, report, config), one registry (`registry`) and protocol."""
