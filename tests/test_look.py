"""What people see, in a real Chromium on a machine without Chinese fonts: every page of the
built site (with its sample letters), an HTML letter opened from disk and the ladder report
show every Chinese character in a font that has it (no empty boxes); printing the ladder page
at A4 keeps every table inside the printable area.

"No Chinese fonts" is a fontconfig whose only fonts are the machine's Latin-only ones (each
file checked to lack 中). A fontconfig with no fonts at all is not used: Chromium then also
fails web fonts at random (observed with Chromium 131–142), which no user's machine does.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, FLAGS
from tests.conftest import REPO, in_ci, sample_repo

pytestmark = pytest.mark.browser

SHIPPED = "Playbook Sans SC"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN_FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]


def latin_only_fontconfig(folder: Path) -> Path:
    """A fontconfig listing only system fonts without Chinese glyphs (linked into ``folder``)."""
    from fontTools.ttLib import TTCollection, TTFont

    fonts = folder / "fonts"
    fonts.mkdir(parents=True)
    for base in LATIN_FONT_DIRS:
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            if path.suffix.lower() not in (".ttf", ".otf", ".ttc"):
                continue
            try:
                faces = TTCollection(str(path)).fonts if path.suffix.lower() == ".ttc" else [TTFont(str(path))]
                has_cjk = any(ord("中") in (face.getBestCmap() or {}) for face in faces)
            except Exception:  # noqa: BLE001  (an unreadable font is simply not offered)
                continue
            if not has_cjk:
                (fonts / f"{len(list(fonts.iterdir()))}-{path.name}").symlink_to(path)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        # The system's rules (aliases such as Arial → Liberation Sans) as on a real machine.
        '<fontconfig><include ignore_missing="yes">/etc/fonts/conf.d</include>'
        f"<dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def bare_browser(tmp_path_factory, playwright):
    """Chromium that sees no Chinese system font."""
    conf = latin_only_fontconfig(tmp_path_factory.mktemp("fontconfig"))
    check = subprocess.run(
        ["fc-list", ":lang=zh"],
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.stdout.strip() == "", f"the test fontconfig offers Chinese fonts: {check.stdout}"
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=FLAGS, env={**os.environ, "FONTCONFIG_FILE": str(conf)}
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def standalone(tmp_path_factory) -> dict[str, Path]:
    """An HTML letter and the ladder report as the CLI writes them (opened from disk)."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("standalone")
    csv = REPO / "examples" / "invoices.csv"
    assert (
        main(
            [
                "--project",
                str(sample_repo()),
                "letters",
                str(csv),
                "-t",
                "final-demand",
                "-f",
                "html",
                "-o",
                str(out / "letters"),
                "--date",
                "2027-03-30",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--project",
                str(sample_repo()),
                "ladder",
                str(csv),
                "--as-of",
                "2027-03-30",
                "--out",
                str(out / "plan.csv"),
                "--html",
                str(out / "plan.html"),
            ]
        )
        == 0
    )
    letter = sorted((out / "letters").glob("*.html"))[0]
    return {"letter": letter, "report": out / "plan.html"}


def _walk(node: dict, skip: bool, out: dict[int, tuple[str, int]]) -> str:
    """Text under ``node`` (frames are their own documents); elements with Chinese text of
    their own go into ``out`` with the text of their subtree and their number of child elements."""
    name = node.get("nodeName", "").lower()
    skip = skip or name in ("script", "style", "head", "title", "noscript", "template")
    if node.get("nodeType") == 3:
        return "" if skip else node.get("nodeValue", "")
    text = ""
    own = False
    children = 0
    for child in node.get("children", []):
        part = _walk(child, skip, out)
        text += part
        own = own or (child.get("nodeType") == 3 and bool(CJK.search(part)))
        children += child.get("nodeType") == 1
    if "contentDocument" in node:
        _walk(node["contentDocument"], False, out)
    if own and node.get("nodeType") == 1:
        marker = 4 if name in ("li", "summary") else 0  # «1. », «• » or «▸» drawn by the element's own font
        out[node["nodeId"]] = (text, 2 * children + marker)
    return text


def tofu(page) -> list[str]:
    """Chinese text (main document and same-origin frames) drawn by a font without it.

    Chromium reports, per element, which fonts drew how many glyphs of its rendered text.
    With no Chinese system font, a system font can only have drawn the element's
    non-Chinese characters (plus the spaces between its inline children and a list item's
    marker); if it drew more glyphs than that, it drew Chinese characters as empty boxes.
    """
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    by_element: dict[int, tuple[str, int]] = {}
    _walk(root, False, by_element)
    bad = []
    for element, (text, slack) in by_element.items():
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": element})["fonts"]
        if not fonts:  # not rendered (display: none, collapsed details …)
            continue
        system = sum(f["glyphCount"] for f in fonts if f["familyName"] != SHIPPED)
        plain = len(CJK.sub("", " ".join(text.split())))
        if system > plain + slack:
            bad.append(f"{text.strip()[:30]!r}: {fonts}")
    session.detach()
    return bad


def site_pages(site: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site)).removesuffix("index.html") for p in site.rglob("*.html") if "assets" not in p.parts
    )


def test_every_page_shows_chinese_without_chinese_fonts(bare_browser, server, built_site):
    pages = site_pages(built_site)
    assert len(pages) > 30 and "letters/final-demand/" in pages and "404.html" in pages
    context = bare_browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:")) else None)
    problems = {}
    for path in pages:
        page.goto(f"{server}/{path}")
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(150)  # the page re-shapes its text once the shipped font is in
        if path.startswith("letters/") and path != "letters/":
            frame = page.frame_locator("iframe.pb-letter-sample")
            frame.locator("article").first.wait_for()
            page.wait_for_timeout(50)
        found = tofu(page)
        if found:
            problems[path] = found[:3]
    context.close()
    assert not problems, problems
    assert not outside, outside


def test_the_check_sees_empty_boxes(bare_browser, server):
    """Without the shipped font in the stack the same page is reported (the check can fail)."""
    page = bare_browser.new_page()
    page.goto(f"{server}/penalty-ladder/")
    page.add_style_tag(content="* { font-family: sans-serif !important; }")
    page.wait_for_timeout(100)
    assert len(tofu(page)) > 10
    page.close()


@pytest.mark.parametrize("which", ["letter", "report"])
def test_files_opened_alone_show_chinese(bare_browser, standalone, which):
    page = bare_browser.new_page()
    page.goto(standalone[which].as_uri())
    page.evaluate("document.fonts.ready")
    status = page.evaluate("Array.from(document.fonts).map(f => f.family + ': ' + f.status)")
    # Faces load when a character needs them (one may only serve the <title>); none may fail.
    assert f"{SHIPPED}: loaded" in status and not any(s.endswith("error") for s in status), status
    assert tofu(page) == []
    page.close()


def test_sample_letter_fits_the_column_on_a_phone(bare_browser, server):
    context = bare_browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server}/letters/stop-supply/")
    page.frame_locator("iframe.pb-letter-sample").locator("article").first.wait_for()
    page.wait_for_timeout(300)
    box = page.locator(".pb-letter-box").bounding_box()
    frame = page.locator("iframe.pb-letter-sample").bounding_box()
    assert box and frame
    assert frame["width"] <= box["width"] + 1, (frame, box)  # the whole A4 width is visible
    assert frame["height"] > frame["width"]  # a page, not a slit
    hrefs = page.locator("a", has_text="打开 PDF 样张").get_attribute("href")
    assert hrefs and hrefs.endswith("sample-stop-supply.pdf")
    context.close()


def _words_outside(pdf: Path, right_margin_pt: float) -> list[str]:
    """Words whose box ends right of the printable area (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    limit = width - right_margin_pt + 1
    return [
        m.group(2)
        for m in re.finditer(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', html)
        if float(m.group(1)) > limit
    ]


@pytest.mark.parametrize("path", ["penalty-ladder/", "", "letters/", "downloads/"])
def test_printing_keeps_tables_on_the_a4_page(bare_browser, server, tmp_path, path):
    if not subprocess.run(["which", "pdftotext"], capture_output=True, check=False).stdout:
        if in_ci():
            pytest.fail("pdftotext is missing; .ci/run installs poppler-utils")
        pytest.skip("pdftotext not installed")
    page = bare_browser.new_page()
    page.goto(f"{server}/{path}")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(150)
    page.emulate_media(media="print")
    # Layout at the printable width of A4 (210 mm − 2 × 14 mm at 96 px/in) as the print does.
    page.set_viewport_size({"width": 688, "height": 1000})
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('.md-content table')).filter(t =>
        t.getBoundingClientRect().width > 0 && t.getBoundingClientRect().right >
        document.querySelector('.md-content').getBoundingClientRect().right + 1).map(t => t.innerText.slice(0, 40))""")
    assert wide == [], f"tables wider than the page: {wide}"
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    page.close()
    assert _words_outside(pdf, right_margin_pt=14 / 25.4 * 72) == []
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    if path == "penalty-ladder/":
        assert "前置条件" in text and "审批人" in text and "已发出最后催告" in text  # the last column


def test_staircase_shows_the_company_policy(bare_browser, server):
    page = bare_browser.new_page()
    page.goto(f"{server}/penalty-ladder/")
    svg = page.locator("svg.pb-staircase").evaluate("e => e.textContent")
    for expected in ("停止供货", "逾期 ≥ 30 天", "≥ ¥10,000.00", "审批：销售总监", "法律途径", "≥ ¥50,000.00"):
        assert expected in svg, (expected, svg)
    assert page.locator(".pb-figure svg.pb-flow").count() == 0
    page.goto(f"{server}/")
    flow = page.locator("svg.pb-flow").evaluate("e => e.textContent")
    assert flow.index("知己知彼") < flow.index("五项准备") < flow.index("法律途径")
    page.close()


def test_pictures_are_deterministic():
    """The same policy gives the same bytes (no dates, no random ids)."""
    from generator.pictures.charts import staircase
    from generator.pictures.site import ladder_steps
    from generator.pictures.svg import SITE
    from generator.project import Project
    from generator.session import open_session

    project = Project.at(sample_repo())
    playbook = open_session(project).playbook
    first = staircase(ladder_steps(playbook), SITE)
    assert first == staircase(ladder_steps(playbook), SITE)
    assert str(date.today().year) not in first


ENGLISH_ALLOWED = {
    # file formats, products and standards people know by these names
    "PDF",
    "Word",
    "Excel",
    "WPS",
    "ERP",
    "CRM",
    "SAP",
    "YAML",
    "CSV",
    "XLSX",
    "DOCX",
    "UTF",
    "BOM",
    "GBK",
    "SHA",
    "EMS",
    "PNG",
    "SVG",
    "JPG",
    "Markdown",
    "MkDocs",
    "Material",
    "Chromium",
    "Git",
    "GitLab",
    "GitHub",
    "nginx",
    "CI",
    "Jinja",
    "JPEG",
    "ProperDocs",
    "Zensical",  # branch engines: the other site engines (forking guide)
    # 贷款市场报价利率, named so in the statutes and by every bank
    "LPR",
    # terms the source articles teach in English (PMP, LSCPA, the 5C of credit)
    "PMP",
    "LSCP",
    "LSCPA",
    "Listen",
    "Share",
    "Clarify",
    "Present",
    "Ask",
    "Professional",
    "Meaningful",
    "Personal",
    "Character",
    "Capacity",
    "Capital",
    "Collateral",
    "Conditions",
    # git words in the forking guide, and the CLI's own (English) message it quotes
    "fork",
    "main",
    "upstream",
    "did",
    "you",
    "mean",
}
"""English words a page may show outside code. Add a word only if users know it in English."""


class _Visible(__import__("html.parser").parser.HTMLParser):
    SKIP = {"code", "pre", "script", "style", "kbd", "samp", "svg", "title", "head", "template"}
    VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.SKIP.intersection(self.stack):
            self.text.append(data)


def english_words(html: str) -> set[str]:
    """English words in the visible text outside code (file paths and ids don't count)."""
    parser = _Visible()
    parser.feed(html)
    words = set()
    separators = r"[\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef（）「」：；，。、]+"
    for token in re.split(separators, " ".join(parser.text)):
        if re.search(r"[/._<>{}@]|\d", token):  # paths, file names, ids, e-mail, versions
            continue
        words.update(w for w in re.findall(r"[A-Za-z]{3,}", token))
    return words


def test_pages_speak_chinese_outside_code(built_site):
    found: dict[str, set[str]] = {}
    for page in sorted(built_site.rglob("*.html")):
        extra = english_words(page.read_text("utf-8")) - ENGLISH_ALLOWED
        if extra:
            found[str(page.relative_to(built_site))] = extra
    assert found == {}, f"English shown to users (translate it, or allow it in ENGLISH_ALLOWED): {found}"


def test_the_english_check_sees_english():
    assert english_words("<p>页面 Not found <code>playbook print</code> site_config/policy.yaml</p>") == {
        "Not",
        "found",
    }
