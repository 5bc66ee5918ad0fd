"""`nghiquyet backup` and `nghiquyet restore`, run as a user runs them: in a
subprocess, against throwaway installations of the engine the suite runs on
(a new SQLite data dir; under DATABASE_URL=postgres://… a new database on
that server, dropped afterwards). CI runs the suite on both engines, so both
round trips are exercised; nothing here is skipped."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from nghiquyet.core.backup import BackupError, _check_manifest, _unpack, parse_pg_version

ENGINE = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
DB_MEMBER = "database.sqlite3" if ENGINE == "sqlite" else "database.pgdump"
PASSWORD = "mat-khau-thu-nghiem"
MEDIA = {
    "ingestion/bao-cao-quy-1.docx": bytes(range(256)) * 40,
    "tệp tải lên/Báo cáo sơ kết.txt": "Báo cáo sơ kết 6 tháng đầu năm 2026\n".encode(),
}

SEED = f"""
import datetime as dt
from decimal import Decimal
from pathlib import Path

import django

django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model

from nghiquyet.accounts.models import Membership, Role
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.models import (
    Assignment, EntryException, Target, TargetGroup, TimeAggregation, UnitAggregation, ValueType,
)

root = OrgUnit.objects.create(name="Ban Chấp hành Trung ương Đảng", kind=UnitKind.CENTRAL)
province = OrgUnit.objects.create(name="Tỉnh ủy Hà Tĩnh", kind=UnitKind.PROVINCE, parent=root, code="42")
commune = OrgUnit.objects.create(
    name="Đảng ủy xã Đức Thọ", kind=UnitKind.COMMUNE, parent=province, valid_from=dt.date(2025, 7, 1)
)
user = get_user_model().objects.create_user(username="bc_ductho", password={PASSWORD!r})
Membership.objects.create(user=user, unit=commune, role=Role.REPORTER)
doc = Document.objects.create(
    kind="nghi_quyet", number="01", sign="01-NQ/ĐH",
    title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025–2030",
    issuing_unit=province, issued=dt.date(2025, 10, 15), term_start=2025, term_end=2030,
)
target = Target.objects.create(
    document=doc, code="1", name="Kết nạp đảng viên mới", group=TargetGroup.PARTY, measure="đảng viên",
    value_type=ValueType.INTEGER, target_value=Decimal(1000), time_aggregation=TimeAggregation.SUM,
    unit_aggregation=UnitAggregation.SUM, order=1,
)
Assignment.objects.create(target=target, unit=commune)
# Q1's reporting window has closed (issue 13): entry reopened from above.
EntryException.objects.create(unit=commune, period_key="2026-Q1", until=dt.date(2099, 12, 31))
do_save_result(target, commune, "Quý I/2026", 37, acting_user=user, submit=True)
for name, data in {MEDIA!r}.items():
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
"""

# Every table's row count and a few values that must come back exactly.
SNAPSHOT = f"""
import json

import django

django.setup()
from django.contrib.auth import get_user_model
from django.db import connection

counts = {{}}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT COUNT(*) FROM {{connection.ops.quote_name(table)}}")
        counts[table] = cursor.fetchone()[0]
values = {{}}
if counts.get("targets_result"):
    from nghiquyet.documents.models import Document
    from nghiquyet.orgs.models import OrgUnit
    from nghiquyet.targets.models import Result

    user = get_user_model().objects.get(username="bc_ductho")
    result = Result.objects.get()
    values = {{
        "units": [[u.name, u.code, u.parent.name if u.parent else None] for u in OrgUnit.objects.order_by("pk")],
        "password_ok": user.check_password({PASSWORD!r}),
        "roles": [[m.unit.name, m.role] for m in user.memberships.all()],
        "document": [Document.objects.get().sign, Document.objects.get().title],
        "result": [str(result.value), result.status, result.period_key, result.reported_by.username],
    }}
print(json.dumps({{"counts": counts, "values": values}}, ensure_ascii=False))
"""

# A write after the restore: PostgreSQL's sequences must have come back too.
WRITE_AFTER = """
import django

django.setup()
from nghiquyet.orgs.models import OrgUnit, UnitKind

top = OrgUnit.objects.order_by("pk").last()
new = OrgUnit.objects.create(name="Đảng ủy xã Tùng Ảnh", kind=UnitKind.COMMUNE, parent=top.parent)
assert new.pk > top.pk, (new.pk, top.pk)
print(new.pk)
"""


@dataclass
class Installation:
    data_dir: Path
    database_url: str | None

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = "config.settings"  # the production settings, as a user runs it
        env["NGHIQUYET_DATA_DIR"] = str(self.data_dir)
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [sys.executable, "-m", "nghiquyet", *args],
            cwd=settings.BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc

    def python(self, code: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def snapshot(self) -> dict:
        return json.loads(self.python(SNAPSHOT))


class Installations:
    """Throwaway installations; on PostgreSQL each gets a new database on the
    server of DATABASE_URL, dropped at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.numbers = itertools.count(1)
        self.databases: list[str] = []

    def _admin(self):
        import psycopg

        url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
        return psycopg.connect(url, autocommit=True)

    def new(self) -> Installation:
        n = next(self.numbers)
        data_dir = self.root / f"inst{n}"
        if ENGINE == "sqlite":
            return Installation(data_dir, None)
        name = f"nq_backup_test_{os.getpid()}_{n}"
        with self._admin() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return Installation(data_dir, urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl())

    def drop_all(self) -> None:
        if not self.databases:
            return
        with self._admin() as con:
            for name in self.databases:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def installations(tmp_path_factory):
    made = Installations(tmp_path_factory.mktemp("backup"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def source(installations):
    """A migrated installation with units, a user, a document, a result and uploads."""
    inst = installations.new()
    inst.run("migrate", "--noinput", "-v0")
    inst.python(SEED)
    return inst


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("archives") / "sao-luu.tar.gz"
    proc = source.run("backup", str(path))
    return path, proc.stdout


def _tar_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def _write_tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _tables(inst: Installation) -> list[str]:
    """The target's tables, read in this process (a subprocess costs seconds)."""
    if ENGINE == "sqlite":
        path = inst.data_dir / "nghiquyet.sqlite3"
        if not path.exists():
            return []
        with sqlite3.connect(path) as con:
            return [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    import psycopg

    with psycopg.connect(inst.database_url) as con:
        rows = con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return [row[0] for row in rows]


def _assert_untouched(inst: Installation) -> None:
    """The target got no table and no upload."""
    assert _tables(inst) == []
    assert not inst.media.exists() or not any(p.is_file() for p in inst.media.rglob("*"))
    assert not list(inst.data_dir.glob(".nghiquyet-*"))  # the staging area is gone


def test_backup_writes_one_archive_with_manifest(archive, source):
    path, stdout = archive
    assert f"Đã sao lưu vào {path}" in stdout
    assert "Tệp tải lên: 2 tệp" in stdout
    members = _tar_members(path)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "nghiquyet-backup"
    assert manifest["format_version"] == 1
    assert manifest["database"]["engine"] == ENGINE
    assert set(manifest["migrations"]) >= {"orgs", "accounts", "documents", "targets", "auth"}
    assert all(re.fullmatch(r"\d{4}_\w+", name) for name in manifest["migrations"].values())
    assert set(manifest["files"]) == {DB_MEMBER} | {f"media/{name}" for name in MEDIA}
    for name, data in MEDIA.items():
        assert members[f"media/{name}"] == data
    if ENGINE == "postgresql":
        server = parse_pg_version(f"(PostgreSQL) {manifest['database']['server_version']}")[0]
        assert parse_pg_version(f"(PostgreSQL) {manifest['database']['pg_dump_version']}")[0] >= server
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # it holds password hashes


def test_round_trip_into_a_fresh_installation(archive, source, installations):
    path, _ = archive
    target = installations.new()
    proc = target.run("restore", str(path))
    assert "Đã khôi phục" in proc.stdout
    before, after = source.snapshot(), target.snapshot()
    assert after["counts"] == before["counts"]
    assert after["counts"]["orgs_orgunit"] == 3
    assert after["counts"]["targets_result"] == 1
    assert after["values"] == before["values"]
    # Result.value keeps ten decimal places (#11: every digit of a converted figure).
    assert after["values"]["result"][:2] == ["37.0000000000", "submitted"]
    assert after["values"]["password_ok"] is True
    for name, data in MEDIA.items():
        assert (target.media / name).read_bytes() == data
    target.python(WRITE_AFTER)


def test_round_trip_into_a_migrated_empty_installation(archive, source, installations):
    """`migrate` already ran on the target (its tables exist, empty): the
    restore replaces them."""
    path, _ = archive
    target = installations.new()
    target.run("migrate", "--noinput", "-v0")
    target.run("restore", str(path))
    assert target.snapshot() == source.snapshot()
    target.python(WRITE_AFTER)


def test_an_older_backup_restores_and_asks_for_migrate(installations, tmp_path):
    """A backup taken before the latest migrations (an earlier version) comes
    back into this version; the command says to run `migrate`, which works."""
    older = installations.new()
    older.run("migrate", "targets", "0002", "--noinput", "-v0")
    path = tmp_path / "cu.tar.gz"
    older.run("backup", str(path))
    manifest = json.loads(_tar_members(path)["manifest.json"])
    assert manifest["migrations"]["targets"] == "0002_result_rollup_cover"
    target = installations.new()
    proc = target.run("restore", str(path))
    assert "chạy `nghiquyet migrate`" in proc.stdout
    target.run("migrate", "--noinput", "-v0")
    assert "targets_result" in _tables(target)


def test_restore_refuses_an_installation_with_data(archive, source):
    path, _ = archive
    before = source.snapshot()
    proc = source.run("restore", str(path), check=False)
    assert proc.returncode == 1
    assert "đã có dữ liệu" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert source.snapshot() == before


def test_restore_refuses_when_uploads_are_present(archive, installations):
    path, _ = archive
    target = installations.new()
    (target.media / "cu").mkdir(parents=True)
    (target.media / "cu" / "tep.txt").write_text("đã có")
    proc = target.run("restore", str(path), check=False)
    assert proc.returncode == 1
    assert "đã có 1 tệp" in proc.stderr
    assert _tables(target) == []
    assert sorted(p.name for p in target.media.rglob("*")) == ["cu", "tep.txt"]


def _corrupt(kind: str, archive: Path, out: Path) -> Path:
    data = archive.read_bytes()
    if kind == "truncated":
        out.write_bytes(data[: len(data) // 2])
        return out
    if kind == "not_an_archive":
        out.write_bytes(b"PK\x03\x04 day khong phai ban sao luu")
        return out
    members = _tar_members(archive)
    manifest = json.loads(members["manifest.json"])
    db_member = manifest["database"]["file"]
    if kind == "tampered_database":
        blob = bytearray(members[db_member])
        blob[len(blob) // 2] ^= 0xFF
        members[db_member] = bytes(blob)
    elif kind == "tampered_media":
        members["media/ingestion/bao-cao-quy-1.docx"] = b"khac"
    elif kind == "no_manifest":
        del members["manifest.json"]
    elif kind == "bad_manifest":
        members["manifest.json"] = b"{khong phai json"
    elif kind == "path_escape":
        members["media/../../thoat.txt"] = b"x"
    elif kind == "other_engine":
        manifest["database"]["engine"] = "postgresql" if ENGINE == "sqlite" else "sqlite"
        members["manifest.json"] = json.dumps(manifest).encode()
    elif kind == "newer_migrations":
        manifest["migrations"]["targets"] = "9999_tu_phien_ban_sau"
        members["manifest.json"] = json.dumps(manifest).encode()
    elif kind == "newer_format":
        manifest["format_version"] = 99
        members["manifest.json"] = json.dumps(manifest).encode()
    return _write_tar(out, members)


BAD_ARCHIVES = [
    ("truncated", "không phải bản sao lưu nghiquyet hợp lệ hoặc đã hỏng"),
    ("not_an_archive", "không phải bản sao lưu nghiquyet hợp lệ hoặc đã hỏng"),
    ("tampered_database", "sai mã kiểm tra"),
    ("tampered_media", "sai mã kiểm tra"),
    ("no_manifest", "thiếu manifest.json"),
    ("bad_manifest", "manifest.json không đúng định dạng"),
    ("path_escape", "có mục lạ"),
    ("other_engine", "chưa hỗ trợ khôi phục sang loại CSDL khác"),
    ("newer_migrations", "phiên bản mới hơn"),
    ("newer_format", "hãy cập nhật nghiquyet"),
]


@pytest.mark.parametrize(("kind", "message"), BAD_ARCHIVES, ids=[kind for kind, _ in BAD_ARCHIVES])
def test_restore_refuses_a_bad_archive_and_changes_nothing(kind, message, archive, installations, tmp_path):
    path, _ = archive
    bad = _corrupt(kind, path, tmp_path / f"{kind}.tar.gz")
    target = installations.new()
    proc = target.run("restore", str(bad), check=False)
    assert proc.returncode == 1, proc.stdout
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    _assert_untouched(target)


def test_backup_default_name_and_keep(source):
    folder = source.data_dir / "backups"
    folder.mkdir(exist_ok=True)
    old = [folder / "nghiquyet-20250101-020000.tar.gz", folder / "nghiquyet-20250102-020000.tar.gz"]
    other = folder / "ghi-chu.txt"
    for p in [*old, other]:
        p.write_bytes(b"")
    proc = source.run("backup", "--keep", "2")
    written = Path(re.search(r"Đã sao lưu vào (\S+)", proc.stdout).group(1))
    assert written.parent == folder
    assert re.fullmatch(r"nghiquyet-\d{8}-\d{6}\.tar\.gz", written.name)
    assert "Đã xóa 1 bản sao lưu cũ" in proc.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted([old[1].name, written.name, other.name])


def test_backup_refuses_to_overwrite_and_an_uninitialised_database(archive, source, installations):
    path, _ = archive
    proc = source.run("backup", str(path), check=False)
    assert proc.returncode == 1
    assert "đã có" in proc.stderr
    empty = installations.new()
    proc = empty.run("backup", str(empty.data_dir / "x.tar.gz"), check=False)
    assert proc.returncode == 1
    assert "chưa chạy `nghiquyet migrate`" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_backup_while_a_writer_holds_a_transaction(source, tmp_path):
    """The server may be writing: the backup neither waits for nor includes
    what is not committed."""
    out = tmp_path / "dang-ghi.tar.gz"
    if ENGINE == "sqlite":
        con = sqlite3.connect(source.data_dir / "nghiquyet.sqlite3", isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE orgs_orgunit SET name = 'chưa ghi' WHERE code = '42'")
    else:
        import psycopg

        con = psycopg.connect(source.database_url)
        con.execute("UPDATE orgs_orgunit SET name = 'chưa ghi' WHERE code = '42'")
    try:
        source.run("backup", str(out))
    finally:
        con.rollback() if ENGINE == "postgresql" else con.execute("ROLLBACK")
        con.close()
    members = _tar_members(out)
    db = tmp_path / "db"
    db.write_bytes(members["database.sqlite3" if ENGINE == "sqlite" else "database.pgdump"])
    if ENGINE == "sqlite":
        with sqlite3.connect(db) as copy:
            names = [row[0] for row in copy.execute("SELECT name FROM orgs_orgunit")]
    else:
        names = subprocess.run(
            ["pg_restore", "--data-only", "-t", "orgs_orgunit", "-f", "-", str(db)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    assert "Tỉnh ủy Hà Tĩnh" in names
    assert "chưa ghi" not in names


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
MANIFEST_PATHS = [
    ("format",),
    ("format_version",),
    ("created",),
    ("app_version",),
    ("database",),
    ("database", "engine"),
    ("database", "file"),
    ("migrations",),
    ("migrations", "targets"),
    ("files",),
    ("files", DB_MEMBER),
    ("files", DB_MEMBER, "size"),
]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(MANIFEST_PATHS), value=JSON, drop=st.booleans())
def test_a_mangled_manifest_is_refused_or_read_never_crashes(archive_members, path, value, drop):
    """Whatever the manifest holds, checking it gives a refusal (BackupError,
    a Vietnamese message) or passes; never another exception (a traceback)."""
    import tempfile

    members = dict(archive_members)
    manifest = json.loads(members["manifest.json"])
    *parents, key = path
    node = manifest
    for name in parents:
        node = node[name]
    if drop:
        del node[key]
    else:
        node[key] = value
    members["manifest.json"] = json.dumps(manifest).encode()
    with tempfile.TemporaryDirectory() as tmp:
        bad = _write_tar(Path(tmp) / "x.tar.gz", members)
        staging = Path(tmp) / "staging"
        staging.mkdir()
        try:
            _check_manifest(_unpack(bad, staging), ENGINE)
        except BackupError as exc:
            assert str(exc)


@pytest.fixture(scope="module")
def archive_members(archive) -> dict[str, bytes]:
    return _tar_members(archive[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", (15, "15.20")),
        ("pg_restore (PostgreSQL) 17devel", (17, "17devel")),
        ("psql (PostgreSQL) 9.6.24", (9, "9.6.24")),
    ],
)
def test_parse_pg_version(text, expected):
    assert parse_pg_version(text) == expected
