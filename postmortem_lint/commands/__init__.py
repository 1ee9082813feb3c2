"""One module per subcommand; each defines ``<name>_command`` (a click command)."""
