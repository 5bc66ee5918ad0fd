"""Backup and restore benchmark: `nghiquyet backup` and `nghiquyet restore` on
the full unit tree and the demo data, as a user runs them (subprocesses).

    .venv/bin/python bench/backup.py [--media-mb 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/backup.py

Builds a throwaway installation (SQLite in a temporary data dir, or, when
DATABASE_URL points to PostgreSQL, two new databases on that server, dropped
at the end): migrate, load-units (14 thousand units), demo, plus
``--media-mb`` of incompressible uploads. Set-up is not timed; each command is
timed whole (Python start-up included, about a second). Prints the database
and archive sizes and the seconds for backup and for restore.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def run(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "nghiquyet", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"nghiquyet {' '.join(args)} failed:\n{proc.stderr}")
    return elapsed, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--media-mb", type=int, default=20)
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    databases: list[str] = []

    def installation(data_dir: Path, n: int) -> dict[str, str]:
        env = dict(os.environ, NGHIQUYET_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings")
        if postgres:
            name = f"nq_bench_backup_{os.getpid()}_{n}"
            admin(f'CREATE DATABASE "{name}"')
            databases.append(name)
            env["DATABASE_URL"] = urlsplit(url)._replace(path=f"/{name}").geturl()
        else:
            env.pop("DATABASE_URL", None)
        return env

    def admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True) as con:
            con.execute(sql)

    try:
        with tempfile.TemporaryDirectory(prefix="nq-bench-backup-") as tmp:
            source = installation(Path(tmp) / "nguon", 1)
            print("set-up: migrate, load-units, demo …", flush=True)
            for command in (["migrate", "--noinput", "-v0"], ["load-units"], ["demo"]):
                run(source, *command)
            media = Path(tmp) / "nguon" / "media" / "tai-len"
            media.mkdir(parents=True)
            for i in range(args.media_mb):
                (media / f"tep-{i:03}.bin").write_bytes(os.urandom(1 << 20))
            archive = Path(tmp) / "sao-luu.tar.gz"
            backup_s, out = run(source, "backup", str(archive))
            print(out.strip())
            target = installation(Path(tmp) / "dich", 2)
            restore_s, out = run(target, "restore", str(archive))
            print(out.strip())
            engine = "PostgreSQL" if postgres else "SQLite"
            size_mb = archive.stat().st_size / 1e6
            print(
                f"{engine}: archive {size_mb:.1f} MB, backup {backup_s:.1f} s, restore {restore_s:.1f} s "
                f"(media {args.media_mb} MB)"
            )
    finally:
        for name in databases:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
