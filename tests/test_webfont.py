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
