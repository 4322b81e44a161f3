"""The shipped font embedded in standalone HTML (letters, the ladder report)."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from generator.pdf import webfont


def _faces(css: str) -> list[tuple[bytes, str]]:
    found = re.findall(r'base64,([A-Za-z0-9+/=]+)"\) format\("woff2"\); unicode-range: ([^;]+);', css)
    return [(base64.b64decode(data), ranges) for data, ranges in found]


def _codes(woff2: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(woff2)).getBestCmap())


def test_a_page_full_of_names_gets_one_face_for_its_own_characters() -> None:
    # The ladder report lists hundreds of customers: their characters fall into ~100 blocks;
    # subsetting each block took 45 s for 400 names. One face must carry them all.
    names = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 32 * 20, 7))
    css = webfont.embedded_font_css(names)
    faces = _faces(css)
    assert len(faces) == 2
    carried = set().union(*(_codes(data) for data, _ in faces))
    assert {ord(c) for c in names} & webfont._font_codes() <= carried


def test_a_letter_with_a_few_names_reuses_fixed_blocks() -> None:
    # Bulk letters: a customer's name is a few blocks, each the same bytes for every letter.
    one = _faces(webfont.embedded_font_css("华鑫贸易有限公司", base="催款函"))
    two = _faces(webfont.embedded_font_css("华鑫建材有限公司", base="催款函"))
    assert 2 <= len(one) <= 1 + webfont.MAX_BLOCKS
    assert one[0] == two[0]  # the shared face (template wording) is identical
    assert set(one[1:]) & set(two[1:])  # blocks holding 华/鑫/有限公司 are reused


def test_projects_share_subsets_through_the_shared_cache(tmp_path, monkeypatch) -> None:
    # Two projects (each with its own .build/cache/webfont) and one PLAYBOOK_FONT_CACHE: the
    # font is subset once, under a name made of the font's digest and the glyph set.
    made: list[str] = []
    real = webfont._make_subset
    monkeypatch.setattr(webfont, "_make_subset", lambda chars: made.append(chars) or real(chars))
    monkeypatch.setenv(webfont.SHARED_CACHE, str(tmp_path / "shared"))
    webfont._subset_woff2.cache_clear()
    one = webfont.embedded_font_css("华鑫贸易", base="催款函", cache_dir=tmp_path / "a" / "webfont")
    count = len(made)
    webfont._subset_woff2.cache_clear()  # a new process
    two = webfont.embedded_font_css("华鑫贸易", base="催款函", cache_dir=tmp_path / "b" / "webfont")
    assert one == two and count >= 2 and len(made) == count
    assert len(list((tmp_path / "shared").glob("*.woff2"))) == count
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    monkeypatch.delenv(webfont.SHARED_CACHE)
    webfont._subset_woff2.cache_clear()
    webfont.embedded_font_css("华鑫贸易", base="催款函", cache_dir=tmp_path / "c" / "webfont")
    assert len(list((tmp_path / "c" / "webfont").glob("*.woff2"))) == count  # unset: the project's own
    webfont._subset_woff2.cache_clear()
