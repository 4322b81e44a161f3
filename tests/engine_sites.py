"""The shipped playbook built once per engine with ``playbook build --engine NAME`` (shared by
tests/test_engines.py; one build per engine per test run, the PDFs from one shared cache)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import in_ci, sample_repo

ENGINE_NAMES = ("mkdocs", "properdocs", "zensical")
_BUILT: dict[str, Path] = {}
_OUT: list[Path] = []


def need_engine(name: str) -> None:
    from generator.engines import ENGINES

    engine = ENGINES[name]
    if not engine.installed():
        if in_ci():
            pytest.fail(f"{name} is not installed; make test installs the extras ({engine.install})")
        pytest.skip(f"{name} not installed ({engine.install})")


def engine_site(name: str) -> Path:
    """``site/`` of the sample project built by ``name`` (moved out, so the next engine's
    build starts clean)."""
    need_engine(name)
    if name not in _BUILT:
        from generator.build import build_site
        from generator.project import Project

        if not _OUT:
            _OUT.append(Path(tempfile.mkdtemp(prefix="playbook-engines-")))
            atexit.register(shutil.rmtree, _OUT[0], True)
        root = sample_repo()
        build_site(Project.at(root), engine=name)
        dest = _OUT[0] / name
        shutil.move(root / "site", dest)
        _BUILT[name] = dest
    return _BUILT[name]
