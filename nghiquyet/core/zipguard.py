"""Office files (.xlsx, .docx) checked as zip archives before any reader opens them.

A 7 KB .xlsx can declare a cell at XFD1048576 and a 1 MB entry can inflate to
a gigabyte; the readers (calamine, openpyxl, python-docx) trust both and
allocate accordingly. Here every entry is inflated by our own loop over its
compressed bytes, counting what comes out and stopping at a cap: the sizes a
zip header declares are compared with what the data really gives, never
believed. The XML parts are then streamed through a parser that refuses a
DTD (the "billion laughs" entity expansion) and builds no tree: callers see
each start tag and its attributes, and memory stays flat whatever the size.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError

CHUNK = 64 * 1024
MiB = 1024 * 1024


class ZipRefused(ValidationError):
    """The archive is unsafe or broken; the message is for the user
    (Vietnamese). ``broken``: not a readable archive at all (callers may
    say it in their own words)."""

    def __init__(self, message: str, *, broken: bool = False):
        super().__init__(message)
        self.broken = broken


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on an archive. Office files compress XML about 5–20 times; a
    ratio of a hundred or more on a large entry is a bomb, not a document."""

    max_entries: int = 500
    max_entry_bytes: int = 64 * MiB  # inflated size of any one entry
    max_total_bytes: int = 160 * MiB  # inflated size of all entries together
    max_ratio: int = 100  # inflated / compressed, for entries above ratio_floor
    ratio_floor: int = 1 * MiB  # small parts (a sheet of few cells) compress far better


@dataclass(frozen=True)
class Entry:
    name: str
    compressed: int
    size: int  # checked: the bytes the entry really inflates to


class GuardedZip:
    """A zip archive whose entries have all been inflated once and measured.

    ``chunks(name)`` gives an entry's bytes again, inflated by the same
    capped loop (nothing is kept in memory between the passes)."""

    def __init__(self, data: bytes, limits: ZipLimits, what: str):
        self.data = data
        self.limits = limits
        self.what = what  # "tệp Excel", "tệp Word": for messages
        self.What = what[:1].upper() + what[1:]
        # zipfile makes an object of every central directory entry: bound the
        # directory first (20 MB of it would be 400,000 entries).
        if _directory_size(data) > limits.max_entries * MAX_DIRECTORY_ENTRY:
            raise self.too_many()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise self.broken() from None
        if len(infos) > limits.max_entries:
            raise self.too_many()
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise self.broken()  # two entries of one name: readers would disagree on which is read
        self.infos = {i.filename: i for i in infos}
        declared = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ZipRefused(f"{self.What} có phần được đặt mật khẩu; vui lòng bỏ mật khẩu rồi tải lên.")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self.broken()
            declared += info.file_size
            if info.file_size > limits.max_entry_bytes or declared > limits.max_total_bytes:
                raise self.too_big()
        self.entries: dict[str, Entry] = {}
        total = 0
        for info in infos:
            size = sum(len(chunk) for chunk in self._inflate(info))
            total += size
            if total > limits.max_total_bytes:
                raise self.too_big()
            self.entries[info.filename] = Entry(info.filename, info.compress_size, size)

    def too_many(self) -> ZipRefused:
        return ZipRefused(
            f"{self.What} có quá nhiều thành phần nén (tối đa {self.limits.max_entries}); "
            "đây không phải tệp văn phòng bình thường."
        )

    def broken(self) -> ZipRefused:
        return ZipRefused(f"Không mở được {self.what}: tệp hỏng hoặc không đúng định dạng.", broken=True)

    def too_big(self) -> ZipRefused:
        return ZipRefused(
            f"{self.What} khi giải nén quá lớn (tối đa {self.limits.max_total_bytes // MiB} MB, "
            f"mỗi phần {self.limits.max_entry_bytes // MiB} MB) hoặc nén bất thường; "
            "vui lòng kiểm tra lại tệp."
        )

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def names(self) -> list[str]:
        return list(self.entries)

    def chunks(self, name: str) -> Iterator[bytes]:
        """The entry's bytes, inflated again by the same capped loop."""
        return self._inflate(self.infos[name])

    def read(self, name: str, cap: int) -> bytes:
        """A small part (workbook.xml, relationships) read whole, up to ``cap``."""
        if self.entries[name].size > cap:
            raise self.too_big()
        return b"".join(self._inflate(self.infos[name]))

    def _raw(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """Where the entry's compressed bytes start, read from its local header
        (whose name and extra lengths may differ from the central directory's)."""
        start = info.header_offset
        head = self.data[start : start + 30]
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise self.broken()
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        begin = start + 30 + name_len + extra_len
        end = begin + info.compress_size
        if end > len(self.data):
            raise self.broken()
        return begin, end

    def _inflate(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The entry's bytes in chunks; refuses as soon as it gives more than
        it declared, more than the cap, or more than the ratio allows."""
        limits = self.limits
        begin, end = self._raw(info)
        cap = min(info.file_size, limits.max_entry_bytes)
        if info.file_size > limits.ratio_floor:
            cap = min(cap, max(limits.ratio_floor, info.compress_size * limits.max_ratio))
        if info.file_size > cap:
            raise self.too_big()
        out = 0
        crc = 0
        if info.compress_type == zipfile.ZIP_STORED:
            if info.compress_size != info.file_size:
                raise self.broken()
            for pos in range(begin, end, CHUNK):
                chunk = self.data[pos : min(pos + CHUNK, end)]
                crc = zlib.crc32(chunk, crc)
                yield chunk
            out = info.file_size
        else:
            d = zlib.decompressobj(-15)
            pos = begin
            while not d.eof:
                if d.unconsumed_tail:
                    feed = d.unconsumed_tail
                elif pos < end:
                    feed = self.data[pos : min(pos + CHUNK, end)]
                    pos += len(feed)
                else:
                    raise self.broken()  # the compressed data stops before its stream ends
                chunk = d.decompress(feed, CHUNK)
                out += len(chunk)
                if out > cap:
                    # More than the header said (a liar), or than the caps allow.
                    raise self.too_big() if out > limits.ratio_floor else self.broken()
                if chunk:
                    crc = zlib.crc32(chunk, crc)
                    yield chunk
        if out != info.file_size or crc != info.CRC:
            raise self.broken()


MAX_DIRECTORY_ENTRY = 512  # bytes of central directory per entry: a header, a name, an extra field


def _directory_size(data: bytes) -> int:
    """The central directory's size as the end record states it (zip64 too);
    0 when there is no end record (zipfile then refuses the file)."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if eocd < 0 or len(data) < eocd + 22:
        return 0
    size = struct.unpack("<I", data[eocd + 12 : eocd + 16])[0]
    if size == 0xFFFFFFFF and eocd >= 20 and data[eocd - 20 : eocd - 16] == b"PK\x06\x07":
        offset = struct.unpack("<Q", data[eocd - 12 : eocd - 4])[0]
        record = data[offset : offset + 56]
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            size = struct.unpack("<Q", record[40:48])[0]
    return size


class _Forbidden(Exception):
    pass


def _forbid(*args) -> int:
    raise _Forbidden


def scan_xml(chunks: Iterable[bytes], on_start: Callable[[str, dict], None], broken: Callable[[], Exception]):
    """Stream an XML part through ``on_start(tag, attributes)``, tags as
    ``namespace}local``. A DTD (so any entity but the five predefined) is
    refused as defusedxml's ``forbid_dtd`` does, and so is malformed XML:
    both raise ``broken()``. ``on_start`` may raise its own refusal to stop
    early. Expat directly: ElementTree's Python layer over it costs four
    times as much on a province's sheet."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.StartElementHandler = on_start
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, _Forbidden):
        raise broken() from None


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


# A Word file: python-docx parses every XML part whole into a tree of some
# hundred bytes an element, so the elements are counted before it does. An
# article of a few pages is a few thousand; a long report, a hundred thousand.
DOCX_LIMITS = ZipLimits(max_entries=1000, max_entry_bytes=64 * MiB, max_total_bytes=160 * MiB)
DOCX_MAX_XML_BYTES = 32 * MiB
DOCX_MAX_ELEMENTS = 500_000


def check_docx(data: bytes) -> None:
    """Refuse a .docx that python-docx should not open: an unsafe archive,
    too much XML, too many elements, or a DTD (entity expansion)."""
    z = GuardedZip(data, DOCX_LIMITS, "tệp Word")
    xml_parts = [n for n in z.names() if n.endswith((".xml", ".rels"))]
    if sum(z.entries[n].size for n in xml_parts) > DOCX_MAX_XML_BYTES:
        raise ZipRefused(
            f"Tệp Word có nội dung văn bản quá lớn (tối đa {DOCX_MAX_XML_BYTES // MiB} MB khi giải nén)."
        )
    count = 0

    def on_start(tag: str, attrib: dict) -> None:
        nonlocal count
        count += 1
        if count > DOCX_MAX_ELEMENTS:
            raise ZipRefused("Tệp Word quá dài hoặc có cấu trúc bất thường; vui lòng chia nhỏ tệp.")

    for name in xml_parts:
        scan_xml(z.chunks(name), on_start, z.broken)
