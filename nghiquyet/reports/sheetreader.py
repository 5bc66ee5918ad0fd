"""One sheet's cells read by calamine in a child process under a memory cap.

The guard (``xlsxguard``) already bounds what a sheet may lay out; this is
the second wall: should a reader still ask for more memory than a sheet
can need, the allocation fails in a child limited by RLIMIT_AS and the
child dies (Rust aborts on a failed allocation), not the server. Where the
platform has no ``resource`` module (Windows), the child runs unlimited.

The child is this file run by path with ``-I`` (isolated: no environment,
no current directory on the path); it imports only python-calamine, reads
the file from stdin and writes the rows as a pickle of plain values (and
dates) to stdout, which the parent unpickles with only those classes
allowed.
"""

from __future__ import annotations

import datetime as dt
import io
import pickle
import subprocess
import sys

READER_MEMORY = 1024 * 1024 * 1024  # address space of the child: calamine on a bounded sheet needs far less
READER_TIMEOUT = 120  # seconds

EXIT_UNREADABLE = 3  # calamine cannot read the file: the caller tries openpyxl
EXIT_MEMORY = 4


class ReaderFailed(Exception):
    """The child ran out of memory or time, or died: the file is refused."""


class ReaderUnreadable(Exception):
    """Calamine could not read the file (the caller may try another reader)."""


class _Unpickler(pickle.Unpickler):
    _ALLOWED = {("datetime", n) for n in ("datetime", "date", "time", "timedelta", "timezone")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def read_sheet(
    data: bytes, sheet: str, *, memory: int = READER_MEMORY, timeout: float = READER_TIMEOUT
) -> list[tuple]:
    """Every row of ``sheet`` from A1 (None for an empty cell, whole numbers
    as int), as openpyxl's ``values_only`` gives them."""
    try:
        proc = subprocess.run(
            [sys.executable, "-I", __file__, str(memory), sheet],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReaderFailed("timeout") from None
    except OSError:
        # No interpreter to start (an embedded or frozen Python): read here;
        # the guard has bounded the sheet, this wall is the second one.
        return _read(data, sheet)
    if proc.returncode == EXIT_UNREADABLE:
        raise ReaderUnreadable(proc.stderr.decode("utf-8", "replace")[-500:])
    if proc.returncode != 0:
        raise ReaderFailed(f"exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
    return _Unpickler(io.BytesIO(proc.stdout)).load()


def rows_of(raw: list[list]) -> list[tuple]:
    """calamine's values as openpyxl's: "" is None, a whole float an int."""
    return [
        tuple(
            None if v == "" else int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else v
            for v in row
        )
        for row in raw
    ]


def _read(data: bytes, sheet: str) -> list[tuple]:
    from python_calamine import CalamineWorkbook

    try:
        raw = (
            CalamineWorkbook.from_filelike(io.BytesIO(data))
            .get_sheet_by_name(sheet)
            .to_python(skip_empty_area=False)
        )
    except Exception as exc:
        raise ReaderUnreadable(str(exc)) from None
    except BaseException as exc:  # pyo3's PanicException (a Rust panic) is not an Exception
        if type(exc).__name__ == "PanicException":
            raise ReaderUnreadable(str(exc)) from None
        raise
    return rows_of(raw)


def _child() -> None:
    memory, sheet = int(sys.argv[1]), sys.argv[2]
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass  # no limit on this platform: the guard alone bounds the sheet
    data = sys.stdin.buffer.read()
    try:
        out = pickle.dumps(_read(data, sheet), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        sys.exit(EXIT_MEMORY)
    except BaseException as exc:  # any reader error, a Rust panic too: the parent's slower reader decides
        sys.stderr.write(f"{type(exc).__name__}: {exc}")
        sys.exit(EXIT_UNREADABLE)
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    _child()
