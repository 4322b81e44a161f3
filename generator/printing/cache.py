"""Content-hash cache of rendered PDFs in ``.build/cache/pdf/`` (git-ignored).

The key covers everything that decides a PDF's bytes: the HTML (which holds the
text, the CSS and the font URLs), the font files and the engine (WeasyPrint,
pydyf, the fixed PDF date). A PDF whose key is in the cache is not rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import cache
from pathlib import Path

from generator.pdf import engine_version, font_files
from generator.project import Project
from generator.writer import write_if_changed


@cache
def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for path in font_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(html: str, base_url: str | None = None) -> str:
    digest = hashlib.sha256()
    for part in (engine_version(html, base_url), _fonts_digest(), html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class PdfCache:
    """``get``/``put`` PDFs by key; ``prune`` drops entries not used by a full run."""

    def __init__(self, project: Project, *, enabled: bool = True):
        self.folder = project.cache_dir / "pdf"
        self.enabled = enabled

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        if not self.enabled:
            return None
        path = self.path(key)
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Store a PDF; the cache is best effort, so a failure here never fails a run."""
        if not self.enabled:
            return
        with contextlib.suppress(OSError):
            write_if_changed(self.path(key), data)

    def prune(self, keep: set[str]) -> None:
        if not self.enabled or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.pdf"):
            if path.stem not in keep:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
