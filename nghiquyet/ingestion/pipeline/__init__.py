"""Text → facts: the ingestion pipeline, as plain functions.

No Django import anywhere in this package: it runs from the command line,
the web and a worker alike, and is tested without a database.

    >>> from nghiquyet.ingestion.pipeline import extract, read_file
    >>> facts = extract(read_file("bai-viet.txt").text, "bai-viet.txt")

For many texts, ``extract_many`` gives the same facts faster: it runs
each stage over a batch of texts before the next stage. A process that
reads many texts calls ``warm_up`` first (as ``nghiquyet extract`` does).

The stage modules may also run compiled with mypyc (``scripts/compile_pipeline.py``,
run by ``make setup``). The build lives outside the source tree, in
``<sys.prefix>/nghiquyet-compiled/`` or ``$NGHIQUYET_COMPILED_DIR``, with a
manifest of the SHA-256 of every source it was built from. It is used only when
that manifest matches the sources here exactly and this interpreter's ABI;
otherwise (or with ``NGHIQUYET_PURE=1``) the pure-Python modules run, with the
same output. ``COMPILED`` says which ran and ``COMPILED_REASON`` why.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES

# Modules that always stay pure Python (the rest of the *.py here are compiled).
PURE_ONLY = frozenset({"__init__.py", "cli.py", "evaluate.py"})
# Name of the mypyc shared library (group) inside this package.
COMPILED_GROUP = "nghiquyet.ingestion.pipeline._compiled"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1

_SRC_DIR = os.path.dirname(os.path.abspath(__file__))
# The directory holding the top-level ``nghiquyet`` package.
_ROOT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(_SRC_DIR)))


def compiled_dir() -> str:
    """Where the compiled build lives (``$NGHIQUYET_COMPILED_DIR`` or ``<sys.prefix>/nghiquyet-compiled``)."""
    return os.environ.get("NGHIQUYET_COMPILED_DIR") or os.path.join(sys.prefix, "nghiquyet-compiled")


def abi_tag() -> str:
    """What a compiled build must have been built for to be loaded by this interpreter."""
    return f"{sys.implementation.cache_tag} {EXTENSION_SUFFIXES[0]}"


def compiled_sources(src_dir: str = _SRC_DIR) -> list[str]:
    """File names of the modules mypyc compiles (every module here but ``PURE_ONLY``)."""
    names = os.listdir(src_dir)
    return sorted(n for n in names if n.endswith(".py") and n[:-3].isidentifier() and n not in PURE_ONLY)


def check_build(build_dir: str, src_dir: str = _SRC_DIR, root_dir: str = _ROOT_DIR) -> tuple[str | None, str]:
    """(package directory of the compiled modules, "") if the build in ``build_dir`` matches
    the sources exactly, else (None, why not)."""
    import json

    try:  # the built-in SHA-256 (3.11), cheaper to import than hashlib's OpenSSL
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256

    try:
        with open(os.path.join(build_dir, MANIFEST_NAME), "rb") as fh:
            manifest = json.loads(fh.read())
    except FileNotFoundError:
        return None, f"no compiled build in {build_dir}"
    except (OSError, ValueError) as err:
        return None, f"unreadable manifest in {build_dir}: {err}"
    try:
        if manifest.get("format") != MANIFEST_FORMAT:
            return None, "manifest format differs"
        if manifest["abi"] != abi_tag():
            return None, f"built for {manifest['abi']}, this Python is {abi_tag()}"
        modules: dict[str, str] = manifest["modules"]
        if sorted(modules) != compiled_sources(src_dir):
            return None, "the set of pipeline modules changed since the build"
        files = [(os.path.join(src_dir, n), h) for n, h in modules.items()]
        files += [(os.path.join(root_dir, p), h) for p, h in manifest["depends"].items()]
        for path, digest in files:
            try:
                with open(path, "rb") as fh:
                    if sha256(fh.read()).hexdigest() != digest:
                        return None, f"{os.path.basename(path)} changed since the build"
            except OSError:
                return None, f"{path} is missing"
        pkg_dir = os.path.join(build_dir, manifest["tree"], *__name__.split("."))
        built = set(os.listdir(pkg_dir))
    except (KeyError, TypeError, AttributeError, OSError) as err:
        return None, f"incomplete compiled build in {build_dir}: {err!r}"
    suffix = EXTENSION_SUFFIXES[0]
    wanted = [n[:-3] + suffix for n in modules] + [COMPILED_GROUP.rsplit(".", 1)[1] + "__mypyc" + suffix]
    missing = [n for n in wanted if n not in built]
    if missing:
        return None, f"incomplete compiled build in {build_dir}: {missing[0]} missing"
    return pkg_dir, ""


def _select() -> tuple[bool, str]:
    if os.environ.get("NGHIQUYET_PURE", "") not in ("", "0"):
        return False, "NGHIQUYET_PURE is set"
    pkg_dir, reason = check_build(compiled_dir())
    if pkg_dir is None:
        return False, reason
    # Submodules are looked up along __path__: the compiled ones come first.
    __path__.insert(0, pkg_dir)
    return True, ""


# Before any submodule is imported.
COMPILED, COMPILED_REASON = _select()

from pathlib import Path  # noqa: E402

from nghiquyet.ingestion.pipeline.decode import Decoded, DecodeError, decode_bytes  # noqa: E402
from nghiquyet.ingestion.pipeline.extract import extract, extract_many, warm_up  # noqa: E402


def read_file(path: str | Path) -> Decoded:
    """Read and decode a file (any supported encoding, or an HTML page)."""
    p = Path(path)
    return decode_bytes(p.read_bytes(), name=p.name)


def extract_bytes(data: bytes, source: str | None = None) -> dict:
    """Decode ``data`` and extract its facts; spans refer to the decoded text."""
    decoded = decode_bytes(data, name=source or "")
    return extract(decoded.text, source, hints=decoded.hints)


__all__ = [
    "COMPILED",
    "COMPILED_REASON",
    "Decoded",
    "DecodeError",
    "decode_bytes",
    "extract",
    "extract_bytes",
    "extract_many",
    "read_file",
    "warm_up",
]
