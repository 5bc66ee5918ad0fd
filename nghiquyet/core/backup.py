"""Backup and restore of a whole installation: the database and the uploaded files.

One .tar.gz holds ``manifest.json``, the database (``database.sqlite3``, a copy
taken with SQLite's online backup API, or ``database.pgdump``, ``pg_dump -Fc``)
and ``media/…``. The manifest names the engine, the latest applied migration of
each app, the app version and a SHA-256 of every other member, so a restore can
refuse a damaged or foreign file before it changes anything.

A restore goes only into an empty installation (no row in any table but those
``migrate`` fills by itself): it never merges and never overwrites data. The
secret key is not in the archive (the data dir keeps its own); users log in again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from nghiquyet.core.numbers import format_number

FORMAT = "nghiquyet-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DEFAULT_NAME = re.compile(r"^nghiquyet-\d{8}-\d{6}\.tar\.gz$")
# Tables `migrate` fills on an empty database (and sessions, which hold nothing
# without users): rows there do not make an installation "in use".
SELF_FILLED_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal or failure to show the user as is (Vietnamese); exit status 1."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    database_bytes: int
    media_files: int
    media_bytes: int
    archive_bytes: int
    removed: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Đã sao lưu vào {self.path} ({human_size(self.archive_bytes)}):",
            f"  CSDL {ENGINE_LABEL[self.engine]}: {human_size(self.database_bytes)}",
            f"  Tệp tải lên: {format_number(self.media_files)} tệp, {human_size(self.media_bytes)}",
        ]
        if self.removed:
            out.append(f"Đã xóa {format_number(len(self.removed))} bản sao lưu cũ.")
        return out


@dataclass
class RestoreSummary:
    path: Path
    manifest: dict
    media_files: int
    pending_migrations: int

    def lines(self) -> list[str]:
        created = dt.datetime.fromisoformat(self.manifest["created"])
        when = timezone.localtime(created).strftime("%d/%m/%Y %H:%M")
        engine = ENGINE_LABEL[self.manifest["database"]["engine"]]
        out = [
            f"Đã khôi phục từ {self.path} (sao lưu lúc {when}, phiên bản {self.manifest.get('app_version')}):",
            f"  CSDL {engine}, {format_number(self.media_files)} tệp tải lên.",
        ]
        if self.pending_migrations:
            out.append(
                f"Bản sao lưu cũ hơn phần mềm ({format_number(self.pending_migrations)} migration chưa áp dụng): "
                "chạy `nghiquyet migrate` trước khi chạy máy chủ."
            )
        return out


def human_size(n: int) -> str:
    if n < 1000:
        return f"{format_number(n)} byte"
    if n < 1_000_000:
        return f"{format_number(n / 1000, 1)} kB"
    return f"{format_number(n / 1_000_000, 1)} MB"


# ---------------------------------------------------------------- helpers


def _engine(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"Chưa hỗ trợ sao lưu CSDL loại “{vendor}” (chỉ SQLite và PostgreSQL).")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hashes what tarfile reads, so the checksum is of the bytes archived
    even if a file changes while the backup runs."""

    def __init__(self, fh):
        self.fh = fh
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    with path.open("rb") as fh:
        st = os.fstat(fh.fileno())
        info = tarfile.TarInfo(arcname)
        info.size = st.st_size
        info.mtime = int(st.st_mtime)
        info.mode = 0o644
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _migration_state(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app (names are numbered)."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connections[alias]).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nghiquyet")
    except PackageNotFoundError:
        return "không rõ"


# ------------------------------------------------------------- PostgreSQL


def _pg_env(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """libpq's variables from DATABASE_URL: the password stays out of `ps`."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy chương trình {name} của PostgreSQL: cài gói postgresql-client "
            "(cùng phiên bản với máy chủ PostgreSQL)."
        )
    return path


def _tool_major(tool: str) -> tuple[int, str]:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    return parse_pg_version(out)


def parse_pg_version(text: str) -> tuple[int, str]:
    """``pg_dump (PostgreSQL) 15.20 (Debian …)`` → (15, "15.20"); "17devel" → (17, "17devel")."""
    match = re.search(r"\(PostgreSQL\)\s+((\d+)\S*)", text) or re.search(r"((\d+)[\w.]*)", text)
    if match is None:
        raise BackupError(f"Không đọc được phiên bản của công cụ PostgreSQL: “{text.strip()}”.")
    return int(match.group(2)), match.group(1)


def _server_version(alias: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    num = connections[alias].pg_version  # e.g. 150020
    return num // 10000, f"{num // 10000}.{num % 10000}"


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()
        raise BackupError(f"{what} không thành công:\n{detail}")


# ------------------------------------------------------------------ backup


def default_backup_dir() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def create_backup(dest: Path | None = None, *, keep: int | None = None) -> BackupSummary:
    """Write one archive of the database and the uploaded files to ``dest``
    (a file, or a folder for a dated name; default the data dir's backups/).
    Safe while the server runs. ``keep`` prunes dated archives in that folder
    to the newest ``keep``."""
    engine = _engine()
    if dest is None or dest.is_dir():
        folder = dest if dest is not None else default_backup_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        dest = folder / f"nghiquyet-{stamp}.tar.gz"
    dest = dest.absolute()
    if dest.exists():
        raise BackupError(f"Tệp {dest} đã có; chọn tên khác (không ghi đè bản sao lưu).")
    if not dest.parent.is_dir():
        raise BackupError(f"Không có thư mục {dest.parent}.")
    connection = connections[DEFAULT_DB_ALIAS]
    if "django_migrations" not in connection.introspection.table_names():
        raise BackupError(
            f"CSDL {connection.settings_dict['NAME']} chưa được khởi tạo (chưa chạy `nghiquyet migrate`; "
            "kiểm tra NGHIQUYET_DATA_DIR, DATABASE_URL): không có gì để sao lưu."
        )

    manifest: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "app_version": _app_version(),
        "database": {"engine": engine, "file": DB_MEMBER[engine]},
        "migrations": _migration_state(),
        "files": {},
    }
    media_root = Path(settings.MEDIA_ROOT)
    # The staging area sits beside the archive: the same disk, and the database
    # copy is removed with it whatever happens.
    with tempfile.TemporaryDirectory(prefix=".nghiquyet-backup-", dir=dest.parent) as tmp:
        staged_db = Path(tmp) / DB_MEMBER[engine]
        if engine == "sqlite":
            _sqlite_copy(Path(connection.settings_dict["NAME"]), staged_db)
        else:
            manifest["database"].update(_pg_dump(staged_db))
        part = Path(tmp) / "archive.part"
        media_count = media_bytes = 0
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds password hashes
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            manifest["files"][DB_MEMBER[engine]] = _add_file(tar, staged_db, DB_MEMBER[engine])
            for path in _media_files(media_root):
                arcname = "media/" + path.relative_to(media_root).as_posix()
                try:
                    entry = _add_file(tar, path, arcname)
                except FileNotFoundError:
                    continue  # deleted since the listing
                manifest["files"][arcname] = entry
                media_count += 1
                media_bytes += entry["size"]
            manifest["media_files"] = media_count
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        database_bytes = staged_db.stat().st_size
        os.replace(part, dest)
    summary = BackupSummary(
        path=dest,
        engine=engine,
        database_bytes=database_bytes,
        media_files=media_count,
        media_bytes=media_bytes,
        archive_bytes=dest.stat().st_size,
    )
    if keep is not None:
        summary.removed = prune_backups(dest.parent, keep)
    return summary


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` dated archives (nghiquyet-YYYYMMDD-HHMMSS.tar.gz)
    in ``folder``; other files are never touched."""
    dated = sorted(p for p in folder.iterdir() if DEFAULT_NAME.match(p.name) and p.is_file())
    old = dated[: max(len(dated) - keep, 0)]
    for path in old:
        path.unlink()
    return old


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup API (readers and
    writers of the live database go on), as one self-contained file."""
    if not source.is_file():
        raise BackupError(f"Không tìm thấy CSDL SQLite {source}.")
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"Sao chép CSDL SQLite không thành công: {exc}") from None
    finally:
        dst.close()
        src.close()


def _pg_dump(target: Path) -> dict:
    """``pg_dump -Fc`` of the database; refuses a pg_dump older than the server
    (it would abort, or miss what the newer server has)."""
    tool = _pg_tool("pg_dump")
    tool_major, tool_version = _tool_major(tool)
    server_major, server_version = _server_version()
    if tool_major < server_major:
        raise BackupError(
            f"pg_dump {tool_version} cũ hơn máy chủ PostgreSQL {server_version}: "
            f"cài postgresql-client-{server_major} rồi chạy lại."
        )
    # -Z0: the archive is gzipped as a whole; -w: never wait for a password (cron).
    _run([tool, "-Fc", "-Z0", "-w", "-f", str(target)], _pg_env(), "pg_dump")
    return {
        "name": connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
        "server_version": server_version,
        "pg_dump_version": tool_version,
    }


# ----------------------------------------------------------------- restore


def restore_backup(archive: Path) -> RestoreSummary:
    """Bring an archive back into this (empty) installation. Checks come
    first — the archive and its checksums, the manifest, the engine, the
    migrations this code knows, and that the target holds no data — and
    any refusal leaves everything as it was."""
    archive = archive.absolute()
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp {archive}.")
    engine = _engine()
    data_dir = Path(settings.DATA_DIR)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".nghiquyet-restore-", dir=data_dir) as tmp:
        staging = Path(tmp)
        manifest = _unpack(archive, staging)
        _check_manifest(manifest, engine)
        staged_db = staging / DB_MEMBER[engine]
        if engine == "sqlite":
            _check_sqlite_file(staged_db)
        else:
            _check_pg_archive(staged_db, manifest)
        _check_empty(media_root)

        connections.close_all()
        if engine == "sqlite":
            _sqlite_restore(staged_db, Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]))
        else:
            _pg_restore(staged_db, staging)
        media_count = _move_media(staging / "media", media_root)
    connections.close_all()
    return RestoreSummary(
        path=archive, manifest=manifest, media_files=media_count, pending_migrations=_pending_migrations()
    )


def _unpack(archive: Path, staging: Path) -> dict:
    """Extract into ``staging`` (only regular files under known names) and
    check every member against the manifest's sizes and checksums."""
    broken = f"Tệp {archive.name} không phải bản sao lưu nghiquyet hợp lệ hoặc đã hỏng"
    extracted: set[str] = set()
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = member.name
                parts = PurePosixPath(name).parts
                if member.isdir():
                    continue
                if (
                    not member.isfile()
                    or name.startswith("/")
                    or ".." in parts
                    or not (name == MANIFEST or name in DB_MEMBER.values() or parts[0] == "media")
                ):
                    raise BackupError(f"{broken}: có mục lạ “{name}”.")
                if name in extracted:
                    raise BackupError(f"{broken}: mục “{name}” lặp lại.")
                tar.extract(member, staging, filter="data")
                extracted.add(name)
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{broken} ({exc}). Không có gì bị thay đổi.") from None
    if MANIFEST not in extracted:
        raise BackupError(f"{broken}: thiếu {MANIFEST}.")
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if not (
            manifest.get("format") == FORMAT
            and isinstance(files, dict)
            and all(isinstance(entry, dict) for entry in files.values())
            and isinstance(manifest.get("database"), dict)
            and isinstance(manifest.get("migrations"), dict)
            and all(isinstance(name, str) for name in manifest["migrations"].values())
            and dt.datetime.fromisoformat(manifest["created"]).tzinfo is not None
        ):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(f"{broken}: {MANIFEST} không đúng định dạng.") from None
    if set(files) != extracted - {MANIFEST}:
        missing = sorted(set(files) - extracted)
        extra = sorted(extracted - {MANIFEST} - set(files))
        raise BackupError(f"{broken}: thiếu {missing or 'không'}, thừa {extra or 'không'} so với {MANIFEST}.")
    for name, entry in files.items():
        path = staging / name
        if path.stat().st_size != entry.get("size") or _sha256(path) != entry.get("sha256"):
            raise BackupError(f"{broken}: “{name}” sai mã kiểm tra (SHA-256). Không có gì bị thay đổi.")
    return manifest


def _check_manifest(manifest: dict, engine: str) -> None:
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError(f"Bản sao lưu ghi phiên bản định dạng không hợp lệ: “{version}”.")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu có định dạng {version}, phiên bản phần mềm này chỉ đọc được tới "
            f"{FORMAT_VERSION}: hãy cập nhật nghiquyet."
        )
    source = manifest["database"].get("engine")
    if not isinstance(source, str) or source not in DB_MEMBER:
        raise BackupError(f"Bản sao lưu ghi loại CSDL không rõ: “{source}”.")
    if source != engine:
        raise BackupError(
            f"Bản sao lưu là của CSDL {ENGINE_LABEL[source]}, còn cài đặt này dùng {ENGINE_LABEL[engine]}: "
            "chưa hỗ trợ khôi phục sang loại CSDL khác. Khôi phục vào một cài đặt dùng "
            f"{ENGINE_LABEL[source]}{' (bỏ biến DATABASE_URL)' if source == 'sqlite' else ' (đặt DATABASE_URL)'}."
        )
    if DB_MEMBER[engine] not in manifest["files"]:
        raise BackupError(f"Bản sao lưu không chứa CSDL ({DB_MEMBER[engine]}).")
    known = MigrationLoader(None, ignore_no_migrations=True)
    replaced = {key for migration in known.disk_migrations.values() for key in migration.replaces}
    unknown = [
        f"{app}.{name}"
        for app, name in (manifest.get("migrations") or {}).items()
        if (app, name) not in known.disk_migrations and (app, name) not in replaced
    ]
    if unknown:
        raise BackupError(
            f"Bản sao lưu được tạo bởi phiên bản mới hơn (phiên bản {manifest.get('app_version')}, "
            f"có migration {', '.join(unknown)} mà phiên bản này không có): hãy cập nhật nghiquyet rồi khôi phục."
        )


def _check_sqlite_file(path: Path) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()[0]
            has_migrations = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(f"CSDL trong bản sao lưu không đọc được: {exc}.") from None
    if ok != "ok" or not has_migrations:
        raise BackupError("CSDL trong bản sao lưu bị hỏng hoặc không phải của nghiquyet.")


def _check_pg_archive(path: Path, manifest: dict) -> None:
    tool = _pg_tool("pg_restore")
    _pg_tool("psql")
    tool_major, tool_version = _tool_major(tool)
    info = manifest["database"]
    dumped_major = parse_pg_version(f"(PostgreSQL) {info.get('pg_dump_version', '0')}")[0]
    if tool_major < dumped_major:
        raise BackupError(
            f"Bản sao lưu được tạo bằng pg_dump {info.get('pg_dump_version')}, pg_restore ở đây là "
            f"{tool_version}: cài postgresql-client-{dumped_major} rồi chạy lại."
        )
    server_major, server_version = _server_version()
    source_major = parse_pg_version(f"(PostgreSQL) {info.get('server_version', '0')}")[0]
    if server_major < source_major:
        raise BackupError(
            f"Bản sao lưu lấy từ PostgreSQL {info.get('server_version')}, không khôi phục được vào "
            f"máy chủ cũ hơn ({server_version})."
        )
    _run([tool, "--list", str(path)], _pg_env(), "Đọc bản sao lưu PostgreSQL (pg_restore --list)")


def _check_empty(media_root: Path) -> None:
    """Refuse a target that holds data, or tables that are not ours (a
    DATABASE_URL pointing at the wrong database)."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = connection.introspection.table_names()
    ours = set(connection.introspection.django_table_names()) | {"django_migrations"}
    foreign = [t for t in tables if t not in ours]
    if foreign:
        raise BackupError(
            f"CSDL đích có bảng không thuộc nghiquyet ({', '.join(foreign[:5])}): có thể DATABASE_URL "
            "trỏ nhầm CSDL. Không khôi phục."
        )
    labels = {
        m._meta.db_table: str(m._meta.verbose_name_plural) for m in apps.get_models(include_auto_created=True)
    }
    filled = []
    with connection.cursor() as cursor:
        for table in tables:
            if table in SELF_FILLED_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                filled.append(labels.get(table, table))
    if filled:
        shown = ", ".join(filled[:5]) + ("…" if len(filled) > 5 else "")
        raise BackupError(
            f"CSDL đích đã có dữ liệu ({shown}). Chỉ khôi phục vào một cài đặt trống "
            "(CSDL mới, chưa có người dùng hay đơn vị nào); không có gì bị thay đổi."
        )
    present = _media_files(media_root)
    if present:
        raise BackupError(
            f"Thư mục tệp tải lên {media_root} đã có {format_number(len(present))} tệp. Chỉ khôi phục "
            "vào một cài đặt trống; không có gì bị thay đổi."
        )


def _sqlite_restore(staged: Path, target: Path) -> None:
    """Copy with the backup API into the target file: one write transaction
    that replaces every page, WAL files included, and takes SQLite's locks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=20)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"Ghi CSDL SQLite {target} không thành công: {exc}") from None
    finally:
        dst.close()
        src.close()


def _pg_restore(dump: Path, staging: Path) -> None:
    """Drop the empty tables `migrate` may have made, then load the dump, in
    one psql transaction: a failure leaves the database as it was."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = connection.introspection.table_names()
    connections.close_all()
    prelude = staging / "prelude.sql"
    drops = "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in tables)
    prelude.write_text(drops or "SELECT 1;\n", encoding="utf-8")
    script = staging / "database.sql"
    env = _pg_env()
    _run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", str(script), str(dump)],
        env,
        "pg_restore",
    )
    _run(
        [_pg_tool("psql"), "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
        + ["-f", str(prelude), "-f", str(script)],
        env,
        "Nạp CSDL PostgreSQL (psql)",
    )


def _move_media(staged: Path, media_root: Path) -> int:
    if not staged.is_dir():
        return 0
    count = len(_media_files(staged))
    if media_root.exists():
        shutil.rmtree(media_root)  # holds no file (checked): at most empty folders
    media_root.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged, media_root)
    return count


def _pending_migrations() -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
