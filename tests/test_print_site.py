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
    written = sorted(p.relative_to(site / "downloads").as_posix() for p in (site / "downloads").rglob("*.pdf"))
    trainer = {"guide", "slides", "observer", "brief", "pretest", "posttest", "evaluation", "certificate", "signin"}
    trainer |= {"answers"}
    assert written == sorted(
        f"trainers/{doc_id}.pdf" if doc_id.split("-", 1)[0] in trainer else f"{doc_id}.pdf" for doc_id in ALL_IDS
    )
    assert "pdf" in result.timings

    downloads = (site / "downloads" / "index.html").read_text("utf-8")
    assert "打印资料" in downloads
    # Trainees' page: their material only, and no developer text.
    assert not [h for h in re.findall(r'href="([^"]+\.pdf)"', downloads) if "trainers/" in h or "answers-" in h]
    assert "playbook print" not in downloads and "site_config" not in downloads
    trainers = (site / "downloads" / "trainers" / "index.html").read_text("utf-8")
    for text in ["讲师手册", "幻灯片", "观察评分表", "客户角色说明", "课程评估表", "结业证书", "签到表", "参考答案"]:
        assert f">{text}</a>" in trainers, text
    assert "site_config" not in trainers
    module_page = (site / "know-both-sides" / "index.html").read_text("utf-8")
    assert "下载 PDF" in module_page
    for page, html in [
        ("downloads/index.html", downloads),
        ("downloads/trainers/index.html", trainers),
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
