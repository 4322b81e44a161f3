"""Same input, same bytes; and an interrupted build leaves the previous site intact."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_fork import snapshot_repo


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repro")
    snapshot_repo(root)
    return root


@pytest.mark.site
def test_two_clean_builds_are_byte_identical(project: Path, tmp_path: Path):
    digests = []
    for _ in range(2):
        shutil.rmtree(project / ".build" / "cache", ignore_errors=True)  # render every PDF again
        result = build(project)
        assert result.returncode == 0, result.stderr
        digests.append(tree_digest(project / "site"))
    first, second = digests
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    names = set(first)
    assert "sitemap.xml" in names and "sitemap.xml.gz" in names and "search/search_index.json" in names
    assert sum(name.endswith(".pdf") for name in names) >= 20


@pytest.mark.site
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_build_leaves_previous_site(project: Path, signum: int):
    assert build(project).returncode == 0
    before = tree_digest(project / "site")
    shutil.rmtree(project / ".build" / "cache", ignore_errors=True)  # make the next build slow
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(project.glob("site.tmp-*/index.html")):
        time.sleep(0.05)
    assert list(project.glob("site.tmp-*")), "the build never started writing"
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith("site.")] == []
