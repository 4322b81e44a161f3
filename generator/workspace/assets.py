"""The «催收准备» page's script and style sheet, copied into ``assets/`` (the files step of
``workspace.feature.Workspace``: the engines copy it like the PDFs). Plain files shipped with
the site: no framework, no CDN, no request outside the site."""

from __future__ import annotations

import time
from pathlib import Path

from generator.session import Session
from generator.workspace.site import ASSETS
from generator.writer import write_if_changed


def post_build(session: Session, site_dir: Path, timings: dict[str, float]) -> None:
    start = time.perf_counter()
    folder = session.project.templates_dir / "site" / "workspace"
    for name in ASSETS:
        target = site_dir / "assets" / name
        write_if_changed(target, (folder / name).read_bytes())
        target.chmod(0o644)
    timings["workspace assets"] = time.perf_counter() - start
