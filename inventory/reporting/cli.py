"""CLI: flask report."""
COMMANDS: list = []
