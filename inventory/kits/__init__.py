"""Kits: admin-defined presets of items and quantities that the handout screen adds in one tap."""
