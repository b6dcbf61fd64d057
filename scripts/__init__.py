"""Command-line tools: thin wrappers over ``layers/``."""
