"""CLI commands (users)."""
COMMANDS: list = []
