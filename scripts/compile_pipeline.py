"""Compile the extraction pipeline's stage modules with mypyc (an optional accelerator).

    .venv/bin/python scripts/compile_pipeline.py [--strict] [--force] [--stamp FILE]

Builds every module of ``nghiquyet/ingestion/pipeline`` except ``PURE_ONLY``
(``__init__``, ``cli``, ``evaluate``) into ``<sys.prefix>/nghiquyet-compiled/``
(or ``$NGHIQUYET_COMPILED_DIR``), never next to the sources. The sources are
copied first and the copy is what is hashed and compiled, so an edit made
during the build cannot be recorded as built. The new build goes into a fresh
``tree-*`` directory; ``manifest.json`` (SHA-256 of each source, ABI) is
written last, atomically, and is what makes the package load it (see
``nghiquyet/ingestion/pipeline/__init__.py``); older trees are then removed.

Without a C compiler, Python headers or mypy, or when the build fails, it
prints a warning and exits 0 (the pipeline runs as pure Python, same output);
``--strict`` makes those exit 1. ``--stamp FILE`` touches FILE, dated when the
sources were read, once there is nothing left to build (for make).
"""

from __future__ import annotations

import argparse
import ast
import fcntl
import hashlib
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

os.environ["NGHIQUYET_PURE"] = "1"  # this process never loads a build it may be replacing
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import nghiquyet.ingestion.pipeline as pipeline  # noqa: E402

PACKAGE = pipeline.__name__
SRC_DIR = Path(pipeline.__file__).resolve().parent
ROOT_DIR = SRC_DIR.parents[2]  # holds the top-level ``nghiquyet`` package
LOG_NAME = "build.log"


def say(msg: str) -> None:
    print(msg, flush=True)


def warn(msg: str) -> None:
    print(f"Cảnh báo: {msg}", file=sys.stderr, flush=True)


def missing_toolchain() -> str | None:
    """Why a build cannot even start here (in Vietnamese), or None."""
    if importlib.util.find_spec("mypyc") is None:
        return "chưa cài mypy (cài bằng: .venv/bin/pip install -e '.[compile]')"
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "gcc")
    if not cc or shutil.which(cc[0]) is None:
        return f"không tìm thấy trình biên dịch C ({cc[0] if cc else 'gcc'})"
    include = sysconfig.get_paths()["include"]
    if not Path(include, "Python.h").is_file():
        return f"thiếu tệp tiêu đề Python (Python.h trong {include}; gói python3-dev)"
    return None


def first_party_depends(sources: dict[str, bytes]) -> list[str]:
    """Paths (relative to ROOT_DIR) of the ``nghiquyet`` modules outside the pipeline that
    the compiled modules import: mypyc compiles against their types, so they are hashed too."""
    found: set[str] = set()
    for data in sources.values():
        for node in ast.walk(ast.parse(data)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] != "nghiquyet" or name.startswith(PACKAGE):
                    continue
                base = ROOT_DIR.joinpath(*name.split("."))
                for cand in (base.with_suffix(".py"), base / "__init__.py"):
                    if cand.is_file():
                        found.add(cand.relative_to(ROOT_DIR).as_posix())
    return sorted(found)


def snapshot(dest: Path) -> tuple[dict[str, str], dict[str, str], list[Path]]:
    """Copy what the build reads into ``dest``; (module hashes, dependency hashes, module copies)."""
    names = pipeline.compiled_sources(str(SRC_DIR))
    sources = {n: (SRC_DIR / n).read_bytes() for n in names}
    depends = {p: (ROOT_DIR / p).read_bytes() for p in first_party_depends(sources)}
    files = dict(depends)
    rel_pkg = SRC_DIR.relative_to(ROOT_DIR)
    for n, data in sources.items():
        files[(rel_pkg / n).as_posix()] = data
    files[(rel_pkg / "__init__.py").as_posix()] = (SRC_DIR / "__init__.py").read_bytes()
    for rel, data in files.items():  # with every package __init__ on the way (for mypy)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        for parent in Path(rel).parents:
            init = ROOT_DIR / parent / "__init__.py"
            if parent != Path(".") and init.is_file() and not (dest / parent / "__init__.py").exists():
                (dest / parent / "__init__.py").write_bytes(init.read_bytes())

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    modules = {n: sha(d) for n, d in sources.items()}
    return modules, {p: sha(d) for p, d in depends.items()}, [dest / rel_pkg / n for n in names]


def build(paths: list[str], out: str) -> None:
    """Compile ``paths`` into ``out`` (runs in a child process, in a scratch directory)."""
    from mypyc.build import mypycify
    from setuptools import setup

    ext_modules = mypycify(
        ["--config-file", str(ROOT / "pyproject.toml"), *paths],
        group_name=pipeline.COMPILED_GROUP,
        opt_level="3",
    )
    setup(
        name="nghiquyet-compiled",
        ext_modules=ext_modules,
        script_args=["build_ext", "--build-lib", out, "--build-temp", "build-temp"],
    )


def smoke_test(build_dir: Path) -> str | None:
    """Load the new build in a child process and compare it with pure Python on one text."""
    code = (
        "import json, sys\n"
        "import nghiquyet.ingestion.pipeline as p\n"
        "from nghiquyet.ingestion.pipeline import extract, people\n"
        "assert p.COMPILED, p.COMPILED_REASON\n"
        "assert not people.__file__.endswith('.py'), people.__file__\n"
        "text = sys.stdin.read()\n"
        "print(json.dumps(extract(text, 'x'), ensure_ascii=False))\n"
    )
    corpus = SRC_DIR / "tests" / "corpus"
    files = sorted(p for p in corpus.iterdir() if p.is_file()) if corpus.is_dir() else []
    text = "Ngày 5/3/2025, đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy chủ trì hội nghị."
    if files:
        text = pipeline.decode_bytes(files[0].read_bytes(), name=files[0].name).text
    env = dict(os.environ, NGHIQUYET_COMPILED_DIR=str(build_dir), PYTHONPATH=str(ROOT_DIR))
    env.pop("NGHIQUYET_PURE", None)
    proc = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, env=env, cwd=ROOT_DIR
    )
    if proc.returncode != 0:
        return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
    want = json.dumps(pipeline.extract(text, "x"), ensure_ascii=False)
    if proc.stdout.rstrip("\n") != want:
        return "kết quả của bản biên dịch khác bản Python thuần"
    return None


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def touch_stamp(stamp: str | None, when: float) -> None:
    if stamp:
        Path(stamp).parent.mkdir(parents=True, exist_ok=True)
        Path(stamp).touch()
        os.utime(stamp, (when, when))


def run(args: argparse.Namespace) -> int:
    """The build; returns 0 when built (or nothing to do), else 1 (already warned)."""
    out_dir = Path(pipeline.compiled_dir())
    started = time.time()
    if not args.force:
        pkg_dir, _ = pipeline.check_build(str(out_dir), str(SRC_DIR), str(ROOT_DIR))
        if pkg_dir is not None:
            say(f"Bộ trích xuất đã được biên dịch từ trước, mã nguồn không đổi ({out_dir}).")
            touch_stamp(args.stamp, started)
            return 0
    why = missing_toolchain()
    if why:
        warn(f"{why}; bộ trích xuất vẫn chạy bằng Python thuần (chậm hơn, kết quả như nhau).")
        touch_stamp(args.stamp, started)  # nothing to retry until the sources change
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = open(out_dir / ".lock", "w")  # one build at a time in this directory
    fcntl.flock(lock, fcntl.LOCK_EX)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    log = out_dir / LOG_NAME
    try:
        modules, depends, copies = snapshot(staging / "src")
        t0 = time.monotonic()
        with open(log, "w", encoding="utf-8") as fh:
            proc = subprocess.run(
                [sys.executable, __file__, "--_build", str(staging / "tree"), *map(str, copies)],
                cwd=staging,
                stdout=fh,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, PYTHONPATH=str(staging / "src")),
            )
        if proc.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
            print("\n".join(tail), file=sys.stderr)
            warn(
                f"biên dịch bộ trích xuất thất bại (xem {log}); "
                "bộ trích xuất vẫn chạy bằng Python thuần (chậm hơn, kết quả như nhau)."
            )
            touch_stamp(args.stamp, started)  # retried when a source changes, or by `make compile`
            return 1
        manifest = {
            "format": pipeline.MANIFEST_FORMAT,
            "abi": pipeline.abi_tag(),
            "python": sys.version,
            "mypy": _mypy_version(),
            "group": pipeline.COMPILED_GROUP,
            "modules": modules,
            "depends": depends,
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        write_json_atomic(staging / pipeline.MANIFEST_NAME, {**manifest, "tree": "tree"})
        pkg_dir, reason = pipeline.check_build(str(staging), str(SRC_DIR), str(ROOT_DIR))
        if pkg_dir is None:
            warn(f"mã nguồn đã thay đổi trong lúc biên dịch ({reason}); hãy chạy lại lệnh này.")
            return 1
        failure = smoke_test(staging)
        if failure:
            warn(
                f"bản biên dịch không dùng được ({failure}); "
                "bộ trích xuất vẫn chạy bằng Python thuần (chậm hơn, kết quả như nhau)."
            )
            touch_stamp(args.stamp, started)
            return 1
        tree = f"tree-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}"
        os.rename(staging / "tree", out_dir / tree)
        write_json_atomic(out_dir / pipeline.MANIFEST_NAME, {**manifest, "tree": tree})
        for old in out_dir.glob("tree-*"):  # processes still running keep their loaded modules
            if old.name != tree:
                shutil.rmtree(old, ignore_errors=True)
        secs = time.monotonic() - t0
        say(f"Đã biên dịch bộ trích xuất (mypyc): {len(modules)} mô-đun, {secs:.0f} giây, tại {out_dir}")
        touch_stamp(args.stamp, started)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        lock.close()


def _mypy_version() -> str:
    from mypy.version import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--strict", action="store_true", help="exit 1 when the build cannot be made")
    ap.add_argument("--force", action="store_true", help="rebuild even when the build matches the sources")
    ap.add_argument("--stamp", help="file to touch (dated when the sources were read) once up to date")
    ap.add_argument("--_build", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._build:
        build(args._build[1:], args._build[0])
        return 0
    try:
        status = run(args)
    except Exception as err:  # a failed accelerator must not stop the set-up
        warn(f"biên dịch bộ trích xuất thất bại ({type(err).__name__}: {err}); vẫn chạy bằng Python thuần.")
        status = 1
    return status if args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
