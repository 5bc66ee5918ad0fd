"""Text → facts: the ingestion pipeline, as plain functions.

No Django import anywhere in this package: it runs from the command line,
the web and a worker alike, and is tested without a database.

    >>> from nghiquyet.ingestion.pipeline import extract, read_file
    >>> facts = extract(read_file("bai-viet.txt").text, "bai-viet.txt")
"""

from __future__ import annotations

from pathlib import Path

from nghiquyet.ingestion.pipeline.decode import Decoded, DecodeError, decode_bytes
from nghiquyet.ingestion.pipeline.extract import extract


def read_file(path: str | Path) -> Decoded:
    """Read and decode a file (any supported encoding, or an HTML page)."""
    p = Path(path)
    return decode_bytes(p.read_bytes(), name=p.name)


def extract_bytes(data: bytes, source: str | None = None) -> dict:
    """Decode ``data`` and extract its facts; spans refer to the decoded text."""
    decoded = decode_bytes(data, name=source or "")
    return extract(decoded.text, source, hints=decoded.hints)


__all__ = ["Decoded", "DecodeError", "decode_bytes", "extract", "extract_bytes", "read_file"]
