"""CLI commands (ledger)."""
COMMANDS: list = []
