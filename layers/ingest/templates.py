"""Import templates: for each kind of ``mapa import`` a table with Czech column headers and
one example row, as CSV or XLSX, that the importer reads back unchanged.

A town fills the template in a spreadsheet, replacing the example row, and uploads it on the
Data page (or imports it with ``mapa import``); the headers are names the connectors accept
(``layers/ingest/*.FIELDS``), and the example row shows values as people write them: a
service type "NZDM", a date "4. 12. 2026", decimal commas. The example row is marked
"Příklad" (it is not data); its position lies in Kraslice, one of the shipped towns.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

import pandas as pd

from layers.errors import InvalidInput

#: File formats of a template.
FORMATS: Final = ("csv", "xlsx")
#: Field separator of a CSV template: a Czech spreadsheet opens ";" into columns, since its
#: decimal separator is the comma.
CSV_SEPARATOR: Final = ";"
#: The example position (Kraslice, náměstí 28. října) as a Czech spreadsheet writes it.
EXAMPLE_LAT: Final = "50,3236"
EXAMPLE_LON: Final = "12,5176"


@dataclass(frozen=True)
class Template:
    """A kind's template: (Czech header, example value) per column, in order."""

    columns: tuple[tuple[str, str], ...]

    @property
    def headers(self) -> list[str]:
        """The column headers."""
        return [header for header, _ in self.columns]

    def frame(self) -> pd.DataFrame:
        """The template as a table: the headers and the example row (all text)."""
        return pd.DataFrame([[value for _, value in self.columns]], columns=self.headers)


#: Import kinds read in the format their publisher writes, never filled in by hand: the
#: police's open-data export, RÚIAN address CSVs, GTFS stops and OpenStreetMap street extracts.
PUBLISHED_KINDS: Final = frozenset({"police-open-data", "addresses", "stops", "streets"})
#: Templates by import kind (``layers.ingest.batches.KINDS``; every kind but
#: :data:`PUBLISHED_KINDS`).
TEMPLATES: Final[dict[str, Template]] = {
    "localities": Template((
        ("název", "Příklad: lokalita u nádraží"),
        ("odhad obyvatel", "120"),
        ("index", "12"),
        ("zdroj", "terénní šetření obce"),
        ("datum", "4. 12. 2026"),
        ("popis", "příklad – nahraďte vlastními daty"),
        ("geometrie WKT", "POLYGON ((12.5150 50.3220, 12.5190 50.3220, 12.5190 50.3250, "
                          "12.5150 50.3250, 12.5150 50.3220))"),
    )),
    "services": Template((
        ("název", "Příklad: klub pro děti a mládež"),
        ("typ", "NZDM"),
        ("provozovatel", "příklad, z. s."),
        ("cílová skupina", "děti a mládež 6–26 let"),
        ("otevírací doba", "Po–Čt 13:00–18:00"),
        ("adresa", "náměstí 28. října 1"),
        ("zeměpisná šířka", EXAMPLE_LAT),
        ("zeměpisná délka", EXAMPLE_LON),
    )),
    "offences": Template((
        ("datum", "4. 12. 2026"),
        ("druh", "krádež (příklad)"),
        ("id", "příklad-1"),
        ("zeměpisná šířka", EXAMPLE_LAT),
        ("zeměpisná délka", EXAMPLE_LON),
    )),
    "police-stats": Template((
        ("kód OOP", "030421"),
        ("rok", "2025"),
        ("druh", "total"),
        ("zjištěno", "0"),
        ("objasněno", "0"),
        ("poznámka", "příklad – nahraďte vlastními daty"),
    )),
    "exclusion-index": Template((
        ("kód obce", "560472"),
        ("název obce", "Kraslice (příklad)"),
        ("ISV 2023 body 0-30", "0"),
        ("kategorie", "0 až 1"),
    )),
}


def template_bytes(kind: str, fmt: str) -> bytes:
    """The template of import ``kind`` as the bytes of a ``fmt`` file: "csv" (UTF-8 with a
    byte-order mark, so that a spreadsheet reads the accents; ``;``-separated) or "xlsx"
    (one sheet, every cell text). Raises ``InvalidInput`` for an unknown kind or format."""
    if kind not in TEMPLATES:
        raise InvalidInput("template.unknown_kind", kind=kind, known=", ".join(TEMPLATES))
    if fmt not in FORMATS:
        raise InvalidInput("template.unknown_format", format=fmt, known=", ".join(FORMATS))
    frame = TEMPLATES[kind].frame()
    if fmt == "csv":
        return frame.to_csv(index=False, sep=CSV_SEPARATOR).encode("utf-8-sig")
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="data")
        sheet = writer.sheets["data"]
        for column, header in zip(sheet.columns, frame.columns, strict=True):
            width = max(len(header), *(len(str(v)) for v in frame[header])) + 2
            sheet.column_dimensions[column[0].column_letter].width = min(width, 60)
    return out.getvalue()


def template_name(kind: str, fmt: str) -> str:
    """The file name a template is saved under ("sablona-services.xlsx")."""
    return f"sablona-{kind}.{fmt}"
