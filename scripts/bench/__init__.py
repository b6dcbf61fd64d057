"""The benchmarks of ``mapa bench …``: one module per benchmark, each with
``register(subparsers)`` adding its subcommand, and :mod:`scripts.bench.harness` with what
they share. ``scripts/commands/bench.py`` lists them; tests run them through the command line.
"""
