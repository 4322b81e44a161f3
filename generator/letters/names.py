"""Safe output file names: no path separators, no control characters, never outside ``--out``."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 180
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_SPACES = re.compile(r"[\s_]+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def safe_part(text: str, fallback: str = "客户") -> str:
    """One file-name component from any text (a customer's name)."""
    cleaned = (
        text  # the usual name: isprintable() is False for every Cc, Cf, Zl and Zp character
        if text.isprintable()
        else "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    )
    cleaned = _UNSAFE.sub("_", cleaned)
    cleaned = _SPACES.sub("_", cleaned).strip("._ ")
    while len(cleaned.encode("utf-8")) > MAX_NAME_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned.rstrip("._ ")
    if not cleaned or cleaned.lower().split(".")[0] in _RESERVED:
        cleaned = f"{fallback}_{cleaned}" if cleaned else fallback
    return cleaned


def letter_filename(seq: int, customer: str, template: str, fmt: str) -> str:
    """``0001-某某贸易有限公司-reminder-1.pdf`` (the number keeps names unique and sorted)."""
    return f"{seq:04d}-{safe_part(customer)}-{template}.{fmt}"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would leave ``folder``."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve() or name in ("", ".", ".."):
        raise ValueError(f"unsafe file name {name!r}")
    return target
