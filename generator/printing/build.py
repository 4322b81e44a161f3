"""The files step of ``printing.feature.Printouts``: every PDF into ``downloads/``."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from generator.dates import build_date
from generator.printing.catalog import catalog
from generator.printing.render import print_all, write_pdfs
from generator.printing.site import FOLDER, published
from generator.session import Session

log = logging.getLogger("mkdocs.plugins.playbook.print")


def post_build(session: Session, site_dir: Path, timings: dict[str, float]) -> None:
    """Render (or take from the cache) all PDFs and write them into the staged site.

    Missing-glyph warnings go through MkDocs' logger, so ``--strict`` fails on them;
    problems in the playbook raise PlaybookError and leave ``site/`` untouched.
    """
    start = time.perf_counter()
    project, playbook = session.project, session.playbook
    result = print_all(project, playbook, build_date=build_date(project))
    for warning in result.font_warnings:
        log.warning(str(warning))
    # Answer keys stay out of the site when the company says so (site_config/company.yaml).
    found = {p.id: p for p in catalog(project, playbook).printables}
    result.pdfs = {
        doc_id: data
        for doc_id, data in result.pdfs.items()
        if doc_id not in found or published(playbook, found[doc_id])
    }
    write_pdfs(result, site_dir / FOLDER)
    timings["pdf"] = time.perf_counter() - start
