"""CLI subcommands, one module each; `extractor.cli` registers them."""
