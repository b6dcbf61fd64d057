"""Bring a town's own data into the store: read, validate, preview, commit as a batch, undo.

Modules: ``reading`` (files and text encodings), ``precheck`` (a file's shape checked
against ``layers.limits`` before it is parsed), ``uploads`` (an upload imported from a private
folder removed afterwards), ``crs`` (which coordinate system a file is
really in), ``geometry`` and ``checks`` (per-feature validation), ``report`` (the shared
validation report), one connector module per source (``localities``, ``services``,
``police``, ``offences``, ``exclusion``) and ``batches`` (preview, atomic commit, undo).
"""
