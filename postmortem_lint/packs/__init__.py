"""Data packs (rules/*.yaml and a team's own): one loader, one schema, one PackError."""
