"""The mypyc-compiled pipeline (``scripts/compile_pipeline.py``): same output, used only when current.

Subprocesses run the pipeline compiled and with ``NGHIQUYET_PURE=1``: the package
chooses once, at import.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import nghiquyet.ingestion.pipeline as pipeline
from nghiquyet.ingestion.pipeline.tests.conftest import CORPUS

ROOT = Path(pipeline.__file__).resolve().parents[3]

_EXACTNESS_CODE = """
import json
import nghiquyet.ingestion.pipeline as p
from nghiquyet.ingestion.pipeline import people
from nghiquyet.ingestion.pipeline.tests.exactness import CORPUS, differences, load_snapshots, run
print(json.dumps({"compiled": p.COMPILED, "reason": p.COMPILED_REASON, "file": people.__file__,
                  "differences": differences(run([CORPUS]), load_snapshots())}))
"""

_MODE_CODE = """
import json
import nghiquyet.ingestion.pipeline as p
from nghiquyet.ingestion.pipeline import people
print(json.dumps({"compiled": p.COMPILED, "reason": p.COMPILED_REASON, "file": people.__file__}))
"""


def _env(pure: bool, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NGHIQUYET_PURE"}
    if pure:
        env["NGHIQUYET_PURE"] = "1"
    return {**env, **extra}


def _python(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def _toolchain_missing() -> str | None:
    """Why no build can be made here (no mypyc, C compiler or Python headers), or None."""
    import importlib.util

    if importlib.util.find_spec("mypyc") is None:
        return "mypy (mypyc) is not installed"
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "gcc").split()
    if not cc or shutil.which(cc[0]) is None:
        return "no C compiler"
    if not Path(sysconfig.get_paths()["include"], "Python.h").is_file():
        return "no Python headers (Python.h)"
    return None


@pytest.mark.parametrize("pure", [True, False], ids=["pure", "default"])
def test_exactness_snapshots_pure_and_compiled(pure):
    """The pinned outputs, with whichever build the package picks and with pure Python."""
    got = _python(_EXACTNESS_CODE, _env(pure))
    if pure:
        assert not got["compiled"] and got["reason"] == "NGHIQUYET_PURE is set"
        assert got["file"].endswith(".py")
    else:
        # The child runs without NGHIQUYET_PURE: it loads the build whenever
        # the build matches the sources, whatever this process was told.
        current = pipeline.check_build(pipeline.compiled_dir())[0] is not None
        assert got["compiled"] == current, got["reason"]
        assert got["file"].endswith(".py") != got["compiled"]
    assert got["differences"] == []


def test_extract_command_output_is_byte_identical_compiled_and_pure():
    files = [str(p) for p in sorted(CORPUS.iterdir()) if p.is_file()]
    runs = [
        subprocess.run(
            [sys.executable, "-m", "nghiquyet", "extract", *files],
            env=_env(pure),
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        for pure in (True, False)
    ]
    assert runs[0] and runs[0] == runs[1]


def test_compiled_build_is_active():
    """After ``make setup`` (``make test`` runs it) the compiled pipeline is the one imported.

    Strict when ``make test`` says so (``NGHIQUYET_EXPECT_COMPILED=1``) or under CI
    (``CI`` set, as CI services do): then it fails unless the compiled build is active,
    except, outside CI, on a machine without a C compiler or Python headers (skipped,
    saying so). Otherwise (pytest run by hand after an edit, before ``make setup``)
    a missing or stale build is a skip that says why.
    """
    if pipeline.COMPILED:
        assert pipeline.__path__[0].startswith(pipeline.compiled_dir())
        from nghiquyet.ingestion.pipeline import people

        assert people.__file__ is not None and people.__file__.endswith(EXTENSION_SUFFIXES[0])
        return
    if os.environ.get("NGHIQUYET_PURE", "") not in ("", "0"):
        pytest.skip("NGHIQUYET_PURE is set: the pure-Python pipeline was asked for")
    ci = _truthy("CI")
    missing = _toolchain_missing()
    if missing and not ci:
        pytest.skip(f"pipeline not compiled: {missing} ({pipeline.COMPILED_REASON})")
    if ci or _truthy("NGHIQUYET_EXPECT_COMPILED"):
        pytest.fail(f"the compiled pipeline is not in use: {pipeline.COMPILED_REASON}")
    pytest.skip(
        f"pipeline not compiled ({pipeline.COMPILED_REASON}): `make setup` or "
        "`.venv/bin/python scripts/compile_pipeline.py` builds it"
    )


def _fake_build(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A source tree of two modules and a matching (fake) build of them."""
    import hashlib

    root = tmp_path / "root"
    src = root / "pkg"
    src.mkdir(parents=True)
    (root / "dep.py").write_text("X = 1\n")
    for name in ("__init__.py", "cli.py", "a.py", "b.py"):
        (src / name).write_text(f"# {name}\n")
    build = tmp_path / "build"
    pkg = build / "tree-1" / Path(*pipeline.__name__.split("."))
    pkg.mkdir(parents=True)
    suffix = EXTENSION_SUFFIXES[0]
    for name in ("a", "b", "_compiled__mypyc"):
        (pkg / (name + suffix)).write_bytes(b"")

    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    manifest = {
        "format": pipeline.MANIFEST_FORMAT,
        "abi": pipeline.abi_tag(),
        "tree": "tree-1",
        "modules": {n: sha(src / n) for n in ("a.py", "b.py")},
        "depends": {"dep.py": sha(root / "dep.py")},
    }
    (build / pipeline.MANIFEST_NAME).write_text(json.dumps(manifest))
    return build, src, root


def _check(build: Path, src: Path, root: Path) -> tuple[str | None, str]:
    return pipeline.check_build(str(build), str(src), str(root))


def test_a_matching_manifest_selects_the_build(tmp_path):
    build, src, root = _fake_build(tmp_path)
    pkg_dir, reason = _check(build, src, root)
    assert reason == "" and pkg_dir == str(build / "tree-1" / Path(*pipeline.__name__.split(".")))


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda b, s, r: (s / "a.py").write_text("# edited\n"), "a.py changed"),
        (lambda b, s, r: (r / "dep.py").write_text("X = 2\n"), "dep.py changed"),
        (lambda b, s, r: (s / "c.py").write_text(""), "set of pipeline modules changed"),
        (lambda b, s, r: (s / "b.py").unlink(), "set of pipeline modules changed"),
        (lambda b, s, r: next(b.rglob("b.cpython*")).unlink(), "missing"),
        (lambda b, s, r: (b / "manifest.json").unlink(), "no compiled build"),
        (lambda b, s, r: (b / "manifest.json").write_text("{"), "unreadable manifest"),
        (
            lambda b, s, r: (b / "manifest.json").write_text(
                (b / "manifest.json").read_text().replace(pipeline.abi_tag(), "cpython-399 .so")
            ),
            "built for cpython-399",
        ),
    ],
    ids=["source", "dependency", "module added", "module removed", "so missing", "none", "bad json", "abi"],
)
def test_a_manifest_mismatch_falls_back(tmp_path, change, why):
    build, src, root = _fake_build(tmp_path)
    change(build, src, root)
    pkg_dir, reason = _check(build, src, root)
    assert pkg_dir is None and why in reason


def test_a_stale_real_build_loads_pure_python(tmp_path):
    """The real build, its manifest altered by one hash: the package imports the .py files."""
    real = Path(pipeline.compiled_dir())
    if pipeline.check_build(str(real))[0] is None:
        pytest.skip(f"no current compiled build ({pipeline.COMPILED_REASON})")
    manifest = json.loads((real / pipeline.MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["tree"] = str(real / manifest["tree"])  # an absolute path: the same modules
    (tmp_path / pipeline.MANIFEST_NAME).write_text(json.dumps(manifest))
    env = _env(False, NGHIQUYET_COMPILED_DIR=str(tmp_path))
    assert _python(_MODE_CODE, env)["compiled"]
    manifest["modules"]["people.py"] = "0" * 64
    (tmp_path / pipeline.MANIFEST_NAME).write_text(json.dumps(manifest))
    got = _python(_MODE_CODE, env)
    assert not got["compiled"] and got["reason"] == "people.py changed since the build"
    assert got["file"].endswith("people.py")
