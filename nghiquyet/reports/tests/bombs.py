"""Hostile office files, written by hand: the tests and bench/uploads.py use them.

Every generator streams: a bomb of a gigabyte is compressed a megabyte at a
time, so making it never holds more than that.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MiB = 1024 * 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def sheet_xml(cells: str, dimension: str = "A1") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    )


def minimal_xlsx(sheet: str) -> bytes:
    """A valid one-sheet workbook (calamine and openpyxl open it) with ``sheet`` as its XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def far_cell_xlsx() -> bytes:
    """The testers' file: one cell at XFD1048576, a few hundred bytes."""
    return minimal_xlsx(
        sheet_xml('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:XFD1048576")
    )


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def replace(data: bytes, name: str, content: bytes | str) -> bytes:
    """The same archive with one entry's content replaced."""
    parts = entries(data)
    parts[name] = content.encode() if isinstance(content, str) else content
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, c in parts.items():
            z.writestr(n, c)
    return buf.getvalue()


def sheet_part(data: bytes, sheet: str) -> str:
    """The archive path of the sheet named ``sheet``."""
    import re

    parts = entries(data)
    wb = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    t = target.group(1)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


class RawZip:
    """A zip written by hand, so that an entry can declare any size and CRC."""

    def __init__(self):
        self.buf = io.BytesIO()
        self.central: list[bytes] = []

    def add(self, name: str, chunks, *, declare: int | None = None, stored: bool = False) -> None:
        """``chunks``: the entry's bytes, streamed; ``declare``: the size (and
        the CRC of nothing in particular) the headers state instead of the truth."""
        offset = self.buf.tell()
        raw = name.encode()
        self.buf.write(b"\0" * (30 + len(raw)))
        crc, size, comp = 0, 0, 0
        c = None if stored else zlib.compressobj(9, zlib.DEFLATED, -15)
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            out = chunk if c is None else c.compress(chunk)
            comp += len(out)
            self.buf.write(out)
        if c is not None:
            out = c.flush()
            comp += len(out)
            self.buf.write(out)
        end = self.buf.tell()
        if declare is not None:
            size = declare
        method = 0 if stored else 8
        head = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc, comp, size, len(raw), 0)
        self.buf.seek(offset)
        self.buf.write(head + raw)
        self.buf.seek(end)
        self.central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, comp, size, len(raw), 0, 0, 0, 0, 0, offset,
            )
            + raw
        )  # fmt: skip

    def bytes(self) -> bytes:
        start = self.buf.tell()
        for entry in self.central:
            self.buf.write(entry)
        size = self.buf.tell() - start
        n = len(self.central)
        self.buf.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, n, n, size, start, 0))
        return self.buf.getvalue()


def repeat(block: bytes, total: int):
    """``block`` repeated up to ``total`` bytes (whole blocks), a megabyte at a time."""
    chunk = block * max(1, MiB // len(block))
    total -= total % len(block)
    sent = 0
    while sent < total:
        part = chunk[: total - sent]
        sent += len(part)
        yield part


def bomb_xlsx(part_chunks, *, declare: int | None = None, base: bytes | None = None, part: str = "") -> bytes:
    """A workbook whose sheet (or ``part`` of ``base``) is ``part_chunks``, streamed."""
    z = RawZip()
    if base is None:
        parts = {
            "[Content_Types].xml": CONTENT_TYPES.encode(),
            "_rels/.rels": ROOT_RELS.encode(),
            "xl/workbook.xml": WORKBOOK.encode(),
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        }
        part = part or "xl/worksheets/sheet1.xml"
    else:
        parts = {n: c for n, c in entries(base).items() if n != part}
    for n, c in parts.items():
        z.add(n, [c])
    z.add(part, part_chunks, declare=declare)
    return z.bytes()


def row_bomb_chunks(total: int, head: str = "", tail: str = "</sheetData></worksheet>"):
    """A sheet XML of ``total`` bytes of rows of one cell each (no references:
    each row is the next), compressing about a thousand to one."""
    yield (head or sheet_xml("").replace("</sheetData></worksheet>", "")).encode()
    yield from repeat(b"<row><c><v>1</v></c></row>", total)
    yield tail.encode()


def whitespace_chunks(total: int):
    """A sheet XML padded with ``total`` bytes of spaces between its tags."""
    yield sheet_xml("").replace("</sheetData></worksheet>", "").encode()
    yield from repeat(b" " * 4096, total)
    yield b"</sheetData></worksheet>"


def docx_bomb(total: int) -> bytes:
    """A Word file whose document.xml is ``total`` bytes of spaces."""
    import docx

    d = docx.Document()
    d.add_paragraph("Tin bài.")
    buf = io.BytesIO()
    d.save(buf)
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>'.encode()
        yield from repeat(b" " * 4096, total)
        yield b"</w:body></w:document>"

    return bomb_xlsx(chunks(), base=buf.getvalue(), part="word/document.xml")
