"""One logging configuration for the app and the ``mapa`` command line.

Log lines go to standard error; the level is ``MAPA_LOG_LEVEL`` (a name such as ``DEBUG`` or
``WARNING``; default ``WARNING``, an unknown name also means ``WARNING``). Every line passes
through :class:`PersonalDataFilter`, so a phone number, an e-mail address or a person's name
that reaches a message (a pin's note in an exception, say) is redacted before it is written.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Final

LEVEL_VARIABLE: Final = "MAPA_LOG_LEVEL"
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: The logger every module of the project logs under (``logging.getLogger("mapa.…")``).
ROOT: Final = "mapa"


class PersonalDataFilter(logging.Filter):
    """Redacts personal data (``layers.screening.redact``) from the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        # imported on the first log line, not at start: ``mapa --help`` stays fast
        from layers.screening import redact

        record.msg = redact(record.getMessage())
        record.args = None
        return True


def configure_logging() -> logging.Logger:
    """Configure the ``mapa`` logger once (idempotent: a Streamlit rerun calls it again) and
    return it: one stderr handler, the level of ``MAPA_LOG_LEVEL``, personal data redacted."""
    logger = logging.getLogger(ROOT)
    name = os.environ.get(LEVEL_VARIABLE, "WARNING").strip().upper()
    level = logging.getLevelNamesMapping().get(name, logging.WARNING)
    logger.setLevel(level)
    if not any(getattr(h, "mapa", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.mapa = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(PersonalDataFilter())
        logger.addHandler(handler)
        logger.propagate = False
    return logger
