"""The one error type of the project and its families.

Every refusal or failure the domain, the store or the ``mapa`` commands report is a
:class:`MapaError`: a stable ``code`` (a key of :data:`layers.messages.MESSAGES`) and the
``params`` its text needs. The text is not written at the raise site; it is rendered at the
edge from the catalogue, in Czech or English (:meth:`MapaError.message`). ``str(error)`` is the
English text, for logs and tracebacks.

The families say what kind of problem it is; each also derives from the builtin exception
callers caught before (``ValueError``, ``PermissionError``, ``LookupError``,
``RuntimeError``), so existing ``except`` clauses keep working.
"""

from __future__ import annotations

from typing import Any

from layers.messages import DEFAULT_LANGUAGE, render


class MapaError(Exception):
    """A refusal or failure with a stable ``code`` and its ``params``.

    Raises ``KeyError`` at construction when ``code`` is not in the message catalogue, so a
    missing text fails the tests that raise it, not a user.
    """

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(render(code, params, "en"))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The catalogue text of this error in ``lang`` (``cs`` or ``en``), params filled in."""
        return render(self.code, self.params, lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.code, self.params), self.__dict__


def _rebuild(cls: type[MapaError], code: str, params: dict[str, Any]) -> MapaError:
    """Unpickle an error: the default protocol would call ``cls(*args)`` with the English
    text, and a subclass's own ``__init__`` may take other arguments, so neither is used."""
    error = cls.__new__(cls)
    MapaError.__init__(error, code, **params)
    return error


class InvalidInput(MapaError, ValueError):
    """What was given cannot be used: a bad value, an unreadable file, too little data."""


class NotAllowed(MapaError, PermissionError):
    """The account (or the public) lacks the right or the scope for what it asked."""


class Conflict(MapaError, ValueError):
    """What was asked clashes with what is already there (imported before, already used)."""


class NotFound(MapaError, LookupError, ValueError):
    """A named thing (town, account, session, strategy) does not exist. Also a ``ValueError``:
    callers caught a missing name as a bad value before this family existed."""


class StoreFailure(MapaError, RuntimeError):
    """The store, or the database server behind it, cannot do what was asked."""
