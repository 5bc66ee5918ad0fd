"""The data folder and the secret key: settings only read them; the `nghiquyet`
command makes them on its first run (``prepare``). No Django import here.

    NGHIQUYET_DATA_DIR   the folder (default ./data next to the source tree)
    SECRET_KEY           when set, no key file is read or written
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
KEY_FILE = "secret_key"


class DataDirError(Exception):
    """A data folder that cannot be used, said in Vietnamese."""


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the data lives; a path that exists but is not a folder is refused."""
    raw = environ.get("NGHIQUYET_DATA_DIR", "").strip()
    path = Path(raw).expanduser() if raw else BASE_DIR / "data"
    path = path.resolve()
    if path.exists() and not path.is_dir():
        raise DataDirError(f"NGHIQUYET_DATA_DIR={raw!r}: {path} đã có nhưng không phải thư mục.")
    return path


def read_secret_key(folder: Path, environ: Mapping[str, str] = os.environ) -> str | None:
    """SECRET_KEY from the environment, else the key file's content, else None (not made yet)."""
    if environ.get("SECRET_KEY", "").strip():
        return environ["SECRET_KEY"]
    try:
        key = (folder / KEY_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not key:
        raise DataDirError(
            f"Tệp khóa bí mật {folder / KEY_FILE} rỗng: xóa tệp để tạo lại, hoặc đặt SECRET_KEY."
        )
    return key


def prepare(environ: Mapping[str, str] = os.environ) -> Path:
    """Make the data folder, its static folder and the secret key when missing (idempotent).

    The key is written once, owner-only: a new key would log everyone out."""
    folder = data_dir(environ)
    try:
        (folder / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
        key = folder / KEY_FILE
        if not environ.get("SECRET_KEY", "").strip() and not key.exists():
            # Written whole under another name, then linked in: a process starting
            # at the same moment never reads a half-written key, and the first one wins.
            tmp = folder / f".{KEY_FILE}.{os.getpid()}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_urlsafe(50))
            try:
                os.link(tmp, key)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
    except OSError as err:
        raise DataDirError(f"Không tạo được thư mục dữ liệu {folder}: {err.strerror or err}.") from err
    return folder
