"""The Data page: sources, file import with preview and commit, batches and undo."""
