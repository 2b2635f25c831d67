"""Route tables of the role matrix, one module per area (see tests/role_table.py)."""
