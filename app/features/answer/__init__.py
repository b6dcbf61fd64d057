"""The public form a session link opens: residents answer from their own phones."""
