"""Bring a town's own data into the store: read, validate, preview, commit as a batch, undo.

Modules: ``reading`` (files and text encodings), ``crs`` (which coordinate system a file is
really in), ``geometry`` and ``checks`` (per-feature validation), ``report`` (the shared
validation report), one connector module per source (``localities``, ``services``,
``police``, ``offences``, ``exclusion``) and ``batches`` (preview, atomic commit, undo).
"""
