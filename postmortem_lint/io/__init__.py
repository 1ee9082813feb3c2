"""Every touch of the disk and of git: atomic writes, YAML, git, discovery, shipped data, the cache folder."""
