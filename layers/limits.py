"""The limits on what an import or a form accepts, in one place, checked before the work.

The Data page runs imports inside the server process, so a hostile or broken file must not be
able to make it allocate gigabytes or compute for minutes. Every limit is checked on what a
file declares or on a cheap pass over its bytes *before* the expensive step it guards (unpacking,
parsing into frames, validating, writing): a ZIP's declared sizes before unpacking, an XLSX
sheet's cell references before openpyxl lays out its grid, a CSV's line count, header and
longest line before pandas parses it, a vector file's declared feature count before GDAL
streams it. A file over a limit is refused as a whole with :class:`LimitExceeded`, whose
message names the limit and the value found (codes ``limit.*`` in ``layers.messages``).

:data:`LIMITS` holds the defaults (also in the README); callers take a ``limits`` argument so a
test or a benchmark can lower them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from layers.errors import InvalidInput

MIB: Final = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one import (or form) may hold. Counts are whole numbers; text lengths in characters.

    - ``archive_bytes``: decompressed size of all members of a ZIP (a zipped Shapefile, and an
      XLSX workbook, which is a ZIP too), by the sizes it declares and again while unpacking.
    - ``archive_members``: members of such a ZIP.
    - ``rows``: rows (CSV lines, features, sheet rows) of one file.
    - ``columns``: columns (fields) of one file.
    - ``cell_chars``: characters of one cell (a CSV field, an attribute value).
    - ``sheet_cells``: rows × columns of an XLSX sheet's extent (declared, or reached by its
      farthest cell), the grid openpyxl and pandas would allocate.
    - ``vertices``: vertices of one geometry.
    - ``comment_chars``: characters of a pin's comment (kiosk form, transcription, imports);
      comment screening never looks at more.
    - ``transcription_chars``: characters of the transcription box of the Sessions page.
    - ``link_device_pins`` / ``link_client_pins``: pins one device (browser) / one address
      may send through one public session link, against flooding.
    - ``question_chars``: characters of a session question or one of its options.
    """

    archive_bytes: int = 500 * MIB
    archive_members: int = 1_000
    rows: int = 2_000_000
    columns: int = 500
    cell_chars: int = 10_000
    sheet_cells: int = 5_000_000
    vertices: int = 250_000
    comment_chars: int = 280
    transcription_chars: int = 20_000
    link_device_pins: int = 30
    link_client_pins: int = 300
    question_chars: int = 200


#: The limits in force (see :class:`Limits` for each; the README lists them).
LIMITS: Final = Limits()


class LimitExceeded(InvalidInput):
    """Input over one of the :class:`Limits`; code ``limit.<name>``, params ``what`` (the file
    or field), ``value`` (found) and ``limit``."""


def check(name: str, value: int, limit: int, what: str) -> None:
    """Raise :class:`LimitExceeded` (code ``limit.<name>``) when ``value`` exceeds ``limit``.

    ``what`` names the file or field the value belongs to, for the message.
    """
    if value > limit:
        raise LimitExceeded(f"limit.{name}", what=what, value=value, limit=limit)
