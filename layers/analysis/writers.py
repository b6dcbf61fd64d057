"""The analysis document as DOCX (python-docx: real headings, tables and pictures, editable in
Word and LibreOffice) and as PDF made by WeasyPrint from the same content's HTML.

and as ODT (odfpy: the same headings, tables and pictures). :data:`FORMATS` lists the
formats; :func:`write` refuses any other suffix with that list.
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path
from typing import Final

from docx import Document as DocxDocument
from docx.shared import Cm, Pt
from PIL import Image as PilImage

from layers.analysis.content import check_format
from layers.analysis.document import Document, Heading, Paragraph, Picture, Table
from layers.files import atomic_output

FORMATS: Final = (".docx", ".pdf", ".odt")
CSS: Final = """
@page { size: A4; margin: 2cm 1.8cm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.2em; } h3 { font-size: 11pt; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 8pt; width: 100%; }
th, td { border: 1px solid #888; padding: 2px 4px; text-align: left; vertical-align: top; }
th { background: #eee; } caption { text-align: left; font-weight: bold; padding: 2px 0; }
figure { margin: 0.5em 0 1em; } img { max-width: 100%; }
figcaption { font-size: 8pt; color: #444; } .note { color: #555; font-style: italic; }
"""


def to_docx(doc: Document) -> bytes:
    """The document as DOCX bytes: the title and subtitle, headings (Heading 1/2), paragraphs
    (notes in italics), tables (style "Table Grid", header row bold, caption above) and
    pictures (caption below)."""
    out = DocxDocument()
    out.styles["Normal"].font.name = "DejaVu Sans"
    out.styles["Normal"].font.size = Pt(10)
    out.add_heading(doc.title, level=0)
    out.add_paragraph(doc.subtitle)
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            out.add_paragraph().add_run(block.text).italic = block.note
        elif isinstance(block, Table):
            out.add_paragraph().add_run(block.caption).bold = True
            table = out.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        elif isinstance(block, Picture):
            out.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            out.add_paragraph().add_run(block.caption).italic = True
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def to_html(doc: Document) -> str:
    """The document as one self-contained HTML page (pictures inline), Czech."""
    parts = [f"<!doctype html><html lang='cs'><head><meta charset='utf-8'>"
             f"<title>{escape(doc.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{escape(doc.title)}</h1><p>{escape(doc.subtitle)}</p>"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level + 1}>{escape(block.text)}</h{block.level + 1}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p class='{'note' if block.note else ''}'>{escape(block.text)}</p>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{escape(c)}</th>" for c in block.header)
            body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                           for row in block.rows)
            parts.append(f"<table><caption>{escape(block.caption)}</caption>"
                         f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(block, Picture):
            data = base64.b64encode(block.png).decode("ascii")
            parts.append(f"<figure><img src='data:image/png;base64,{data}' "
                         f"alt='{escape(block.caption)}'><figcaption>{escape(block.caption)}"
                         "</figcaption></figure>")
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(doc: Document) -> bytes:
    """The document as PDF bytes (WeasyPrint from :func:`to_html`; text stays text)."""
    from weasyprint import HTML  # slow to import: only when a PDF is made

    return bytes(HTML(string=to_html(doc)).write_pdf())


def to_odt(doc: Document) -> bytes:
    """The document as ODT bytes (odfpy): title, headings (outline levels 1–2), paragraphs,
    tables (caption above) and pictures (caption below)."""
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.table import Table as OdtTable
    from odf.table import TableCell, TableColumn, TableRow
    from odf.text import H, P

    out = OpenDocumentText()
    out.text.addElement(H(outlinelevel=1, text=doc.title))
    out.text.addElement(P(text=doc.subtitle))
    for number, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            out.text.addElement(H(outlinelevel=block.level + 1, text=block.text))
        elif isinstance(block, Paragraph):
            out.text.addElement(P(text=block.text))
        elif isinstance(block, Table):
            out.text.addElement(P(text=block.caption))
            table = OdtTable(name=f"tabulka{number}")
            table.addElement(TableColumn(numbercolumnsrepeated=len(block.header)))
            for cells in (block.header, *block.rows):
                row = TableRow()
                for text in cells:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=text))
                    row.addElement(cell)
                table.addElement(row)
            out.text.addElement(table)
        elif isinstance(block, Picture):
            href = out.addPicture(f"Pictures/obrazek{number}.png", "image/png", block.png)
            with PilImage.open(io.BytesIO(block.png)) as image:
                width, height = image.size
            frame = Frame(width=f"{block.width_cm}cm",
                          height=f"{block.width_cm * height / width:.2f}cm",
                          anchortype="as-char", name=f"obrazek{number}")
            frame.addElement(Image(href=href))
            holder = P()
            holder.addElement(frame)
            out.text.addElement(holder)
            out.text.addElement(P(text=block.caption))
    buffer = io.BytesIO()
    out.write(buffer)
    return buffer.getvalue()


def render(doc: Document, suffix: str) -> bytes:
    """The document in the format of ``suffix`` (:data:`FORMATS`); ``InvalidInput``
    ("analysis.format", listing the formats) for any other."""
    check_format(suffix, FORMATS)
    writers = {".docx": to_docx, ".pdf": to_pdf, ".odt": to_odt}
    return writers[suffix.lower()](doc)


def write(doc: Document, path: Path) -> None:
    """Write the document to ``path`` in the format its suffix names, atomically."""
    data = render(doc, path.suffix)
    with atomic_output(path, suffix=path.suffix) as tmp:
        tmp.write_bytes(data)
