"""Command-line tools: thin wrappers over ``layers/``."""

#: The package's version, the one place it is written (``pyproject.toml`` reads it from here):
#: ``mapa --version`` prints it without scanning the installed distributions.
__version__ = "0.1.0"
