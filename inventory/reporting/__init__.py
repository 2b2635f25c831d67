"""The reports page and the ``report`` command; the builders live in the top-level ``reports`` package."""
