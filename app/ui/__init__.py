"""What every feature's page shares: the UI strings and their language (``i18n``, ``strings.toml``),
the session's state (``state``), the login gate (``access``), the cached reads of the store
(``cache``), one town's frames (``town``) and the map toolkit (``maps``).

Nothing here imports ``app.features``; the string catalogue reads each feature's
``strings.toml``.
"""
