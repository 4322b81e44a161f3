"""The shipped font inside a standalone HTML file (an HTML letter, the ladder report).

A page opened from disk cannot load a font file next to it (browsers treat ``file://``
font loads as cross-origin), so the font travels inside the page: ``@font-face`` rules
with ``data:`` URLs holding only the glyphs the page uses (WOFF2, a few dozen KB).
The rules are faces of the same family: glyphs of a *base* text (the template's own
wording, cached per base) and, for the characters left over (names, addresses), fixed
blocks of 32 code points, each subset once and cached. Different ``unicode-range`` values
let the browser combine them per character, so bulk letters reuse cached blocks instead
of subsetting the font for every customer.

Every stack names the shipped font **last** (``STACK``): a reader's own Chinese fonts
win, a machine without any still shows Chinese. Output is deterministic: the same
text gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
from functools import lru_cache
from pathlib import Path

from generator.pdf import FONT_DIR, FONT_FAMILY, FONT_FILES

STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    f'"Source Han Sans SC", "WenQuanYi Micro Hei", "{FONT_FAMILY}"'
)
"""CSS font stack of standalone pages: system Chinese fonts first, the shipped font last.
No generic family before it: Chromium would shape Chinese text with the generic family's
font (empty boxes) while the embedded font is still decoding, and keep those boxes."""

ALWAYS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "，。、；：？！「」『』（）《》〔〕【】—…·￥¥年月日第号元角分整零壹贰叁肆伍陆柒捌玖拾佰仟万亿"
)
"""Characters every embedded face carries (digits, Latin, common punctuation, amounts in words)."""


def _drawable(text: str) -> str:
    return "".join(sorted({c for c in text if ord(c) >= 0x20}))


SHARED_CACHE = "PLAYBOOK_FONT_CACHE"
"""Environment variable naming one folder of subsets shared by every project on the machine
(a CI runner, the test suite's many small projects): a subset's name is the digest of the font
and of its glyph set, so projects never mix up subsets. Unset, each project keeps its own."""


@lru_cache(maxsize=64)
def _subset_woff2(chars: str, cache_dir: Path | None) -> bytes:
    """The subset, from ``cache_dir`` when it was made before (subsetting takes ~0.3 s)."""
    shared = os.environ.get(SHARED_CACHE)
    if shared:
        cache_dir = Path(shared)
    key = hashlib.sha256(f"{_font_digest()}\n{chars}".encode()).hexdigest()
    cached = cache_dir / f"{key}.woff2" if cache_dir is not None else None
    if cached is not None and cached.exists():
        return cached.read_bytes()
    data = _make_subset(chars)
    if cached is not None:
        from generator.writer import write_if_changed

        write_if_changed(cached, data)
    return data


@lru_cache(maxsize=1)
def _font_digest() -> str:
    return hashlib.sha256((FONT_DIR / FONT_FILES[400]).read_bytes()).hexdigest()


def _make_subset(chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keep the OFL licence and font names inside the subset
    options.notdef_outline = True
    font = TTFont(str(FONT_DIR / FONT_FILES[400]), lazy=False)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        font.flavor = "woff2"
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()
    finally:
        font.close()


def _ranges(chars: str) -> str:
    """``unicode-range`` covering exactly ``chars`` (runs merged)."""
    codes = sorted({ord(c) for c in chars})
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def _face(chars: str, cache_dir: Path | None) -> str:
    data = base64.b64encode(_subset_woff2(chars, cache_dir)).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 400 700; '
        f'src: url("data:font/woff2;base64,{data}") format("woff2"); unicode-range: {_ranges(chars)}; }}'
    )


RESHAPE_SCRIPT = """<script>
/* Chromium keeps empty boxes for text shaped before the embedded font was ready; once it
   is, an invisible 0.01px letter spacing makes it shape the text again. */
if (document.fonts && document.fonts.ready) {
  document.fonts.ready.then(function () { document.documentElement.style.letterSpacing = "0.01px"; });
}
</script>
"""
"""For standalone HTML pages that embed the font (letters, the ladder report)."""


def embedded_font_css(text: str, base: str = "", *, cache_dir: Path | None = None) -> str:
    """``@font-face`` rules carrying the shipped font's glyphs for ``text``.

    ``base`` is text shared by many pages (e.g. a letter template filled with the sample
    case); its glyphs are subset once and cached, the rest of ``text`` gets a second face.
    ``cache_dir`` keeps subsets between runs (e.g. ``.build/cache/webfont``).
    """
    shared = _drawable(ALWAYS + base)
    rest = [c for c in _drawable(text) if c not in shared]
    rules = [_face(shared, cache_dir)]
    # The page's own characters (names, addresses) come in fixed blocks of BLOCK code points,
    # each subset once and cached: bulk letters then reuse blocks instead of subsetting the
    # whole font again for every customer's name.
    blocks = sorted({ord(c) // BLOCK for c in rest})
    if len(blocks) > MAX_BLOCKS:
        # A page full of names (the ladder report lists every customer) would need a hundred
        # blocks at ~0.15 s each; one face for exactly its characters is one subset.
        rules.append(_face("".join(rest), cache_dir))
    else:
        for block in blocks:
            rules.append(_face(_block_chars(block, shared), cache_dir))
    return "\n".join(rules) + "\n"


MAX_BLOCKS = 8
"""More blocks than this and the page's own characters get one face of their own."""


BLOCK = 32
"""Code points per cached block of the page's own characters."""


def _block_chars(block: int, shared: str) -> str:
    """The characters of one block that the font has and the shared face does not."""
    cmap = _font_codes()
    return "".join(
        chr(code) for code in range(block * BLOCK, (block + 1) * BLOCK) if code in cmap and chr(code) not in shared
    )


@lru_cache(maxsize=1)
def _font_codes() -> frozenset[int]:
    from generator.pdf import _cmap

    return _cmap()


__all__ = ["ALWAYS", "RESHAPE_SCRIPT", "STACK", "embedded_font_css"]
