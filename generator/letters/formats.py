"""The formats a letter is written in (``--format``); its own module so that the command line
can name them without importing the renderer."""

from __future__ import annotations

FORMATS = ("pdf", "html", "docx")
