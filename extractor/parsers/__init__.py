"""Deterministic layout parsers (backend `rules`), one module per family of tables."""
