"""The site build puts every PDF under site/downloads/ and links it from the pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.build import build_site
from generator.project import Project
from tests.print_fixture import ALL_IDS, REPO, make_print_project


@pytest.mark.site
def test_build_writes_pdfs_and_links_resolve(tmp_path: Path) -> None:
    root = make_print_project(tmp_path / "project")
    shutil.copytree(REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    result = build_site(Project.at(root), strict=False)
    site = root / "site"
    assert sorted(p.stem for p in (site / "downloads").glob("*.pdf")) == sorted(ALL_IDS)
    assert "pdf" in result.timings

    downloads = (site / "downloads" / "index.html").read_text("utf-8")
    assert "打印资料" in downloads
    module_page = (site / "know-both-sides" / "index.html").read_text("utf-8")
    assert "下载 PDF" in module_page
    for page, html in [
        ("downloads/index.html", downloads),
        ("know-both-sides/index.html", module_page),
    ]:
        hrefs = re.findall(r'href="([^"]+\.pdf)"', html)
        assert hrefs, page
        for href in hrefs:
            target = urljoin(f"http://x/{page}", href).removeprefix("http://x/")
            assert (site / target).is_file(), f"{page}: {href} does not resolve"
    assert {
        "checklist-know-self.pdf",
        "checklist-know-customer.pdf",
        "handout-know-both-sides.pdf",
    } <= {h.rsplit("/", 1)[-1] for h in re.findall(r'href="([^"]+\.pdf)"', module_page)}
