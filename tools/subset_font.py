"""Regenerate the CJK font shipped in ``generator/pdf/fonts/``.

The printouts must render Chinese on a machine with no CJK font installed, so we
ship Noto Sans CJK SC (SIL Open Font License 1.1), subset to a common-character
set: every GB2312 character (all 6,763 hanzi plus its symbols), ASCII, Latin-1,
general and CJK punctuation, fullwidth forms, and every character used in
``playbook/``, ``templates/`` and ``site_config/``.

Get the source font from the Debian package (no system install needed)::

    cd /tmp && apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb /tmp/noto
    .venv/bin/python tools/subset_font.py /tmp/noto/usr/share/fonts/opentype/noto

The subset is renamed («Playbook Sans SC», as the OFL asks of modified versions
using the original name) and written as ``PlaybookSansSC-Regular.otf`` and
``PlaybookSansSC-Bold.otf``; the licence text goes next to them as ``OFL.txt``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "generator" / "pdf" / "fonts"
FAMILY = "Playbook Sans SC"
SC_FACE = "Noto Sans CJK SC"
WEIGHTS = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation (— … ‘’ “”)
    (0x2100, 0x214F),  # letterlike symbols (№ ℃)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ②)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ○ ●)
    (0x2600, 0x26FF),  # misc symbols (☆ ★)
    (0x2713, 0x2714),  # check marks
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK (㈠)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # fullwidth forms
]
SCAN = ["playbook", "templates", "site_config"]


def gb2312() -> set[str]:
    """Every character of GB2312 (symbols rows 1–9, hanzi rows 16–87)."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def project_chars(root: Path) -> set[str]:
    chars: set[str] = set()
    for folder in SCAN:
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.suffix in {".yaml", ".yml", ".j2", ".css", ".md", ".html"}:
                chars.update(path.read_text("utf-8", errors="ignore"))
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def wanted(root: Path) -> set[int]:
    chars = gb2312() | project_chars(root)
    codes = {ord(c) for c in chars}
    for lo, hi in RANGES:
        codes.update(range(lo, hi + 1))
    return codes


def sc_face(ttc: Path) -> TTFont:
    for font in TTCollection(str(ttc)).fonts:
        if font["name"].getDebugName(1) == SC_FACE:
            return font
    raise SystemExit(f"{ttc}: expected a face named «{SC_FACE}», found none")


def rename(font: TTFont, weight: str) -> None:
    names = font["name"]
    postscript = f"{FAMILY.replace(' ', '')}-{weight}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (2, 17):
            record.string = weight
        elif record.nameID == 3:
            record.string = f"{postscript};subset of {SC_FACE}"
        elif record.nameID == 4:
            record.string = f"{FAMILY} {weight}"
        elif record.nameID == 6:
            record.string = postscript
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = f"{FAMILY} {weight}"
        top.FamilyName = FAMILY


def make(source: Path, weight: str, codes: Iterable[int]) -> Path:
    font = sc_face(source)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    rename(font, weight)
    out = OUT / f"{FAMILY.replace(' ', '')}-{weight}.otf"
    font.recalcTimestamp = False  # same source, same bytes
    font.save(str(out))
    return out


HEADER = """\
Playbook Sans SC is a subset of Noto Sans CJK SC, made with tools/subset_font.py.

Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.
Noto is a trademark of Google Inc.

This Font Software is licensed under the SIL Open Font License, Version 1.1.
This license is copied below, and is also available with a FAQ at:
https://openfontlicense.org

"""


def licence(copyright_file: Path) -> str:
    """The OFL text from a Debian copyright file (``License: SIL-1.1`` paragraph)."""
    text = copyright_file.read_text("utf-8")
    block = text.split("\n\nLicense: SIL-1.1\n", 1)[1].split("\n\nLicense:", 1)[0]
    lines = ["" if line == " ." else line[1:] for line in block.splitlines()]
    return HEADER + "\n".join(lines).strip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "source", type=Path, help="folder holding NotoSansCJK-Regular.ttc and -Bold.ttc"
    )
    parser.add_argument(
        "--copyright",
        type=Path,
        help="Debian copyright file holding the OFL text "
        "(default: usr/share/doc/fonts-noto-cjk/copyright next to SOURCE)",
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    codes = wanted(ROOT)
    for weight, name in WEIGHTS.items():
        out = make(args.source / name, weight, codes)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    copyright_file = (
        args.copyright or args.source.parents[2] / "doc" / "fonts-noto-cjk" / "copyright"
    )
    (OUT / "OFL.txt").write_text(licence(copyright_file), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
