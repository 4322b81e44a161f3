"""Printable PDFs: content, A4, embedded Chinese font, reproducibility, CLI.

PDFs are rendered once per module (one worker, so the shared machine stays usable).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main
from generator.errors import PlaybookError
from generator.loader import load
from generator.pdf import FONT_DIR, FONT_FAMILY, font_face_css, html_to_pdf, missing_glyphs
from generator.printing.render import print_all
from generator.project import Project
from tests.conftest import in_ci
from tests.print_fixture import ALL_IDS, make_print_project

A4 = (595.28, 841.89)
DAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project.at(make_print_project(tmp_path_factory.mktemp("print") / "project"))


@pytest.fixture(scope="module")
def pdfs(project: Project) -> dict[str, bytes]:
    playbook = load(project)
    return print_all(project, playbook, build_date=DAY, workers=1, use_cache=False).pdfs


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    return "".join(text.split())


def embedded_fonts(data: bytes) -> list[str]:
    """Base names of the fonts whose program is embedded in the PDF."""
    names = []
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                descriptor = desc.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.append(str(font["/BaseFont"]))
    return names


def test_every_printout_is_rendered(pdfs: dict[str, bytes]) -> None:
    assert sorted(pdfs) == sorted(ALL_IDS)


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        (
            "checklist-know-self",
            [
                "知己三项确认",
                "清晰交易情况",
                "金额",
                "合同金额、已收和未收金额。",
                "清晰项目情况",
                "催款启动条件",
            ],
        ),
        ("checklist-know-customer", ["知彼两项确认", "清晰人员关系", "清晰企业财务情况"]),
        (
            "checklist-five-preparations",
            [
                "项目没有重大问题",
                "账目清楚",
                "找准关键人",
                "摸清工作规律",
                "联合其他供应商",
                "没有未关闭的质量投诉",
            ],
        ),
        ("checklist-interview-before", ["面谈前检查清单", "带齐对账单"]),
        ("checklist-interview-during", ["拿到付款日期"]),
        ("checklist-interview-after", ["当天写面谈记录"]),
        (
            "checklist-stop-supply",
            [
                "停止供货",
                "欠款证据齐全",
                "已书面通知暂停供货",
                "已取得审批",
                "必须有确切证据并及时通知对方",
            ],
        ),
        ("checklist-stop-service", ["合同允许暂停服务"]),
        ("checklist-terminate-authorization", ["已提前书面通知"]),
        ("checklist-reputation", ["内容真实有据"]),
        ("checklist-legal-action", ["已咨询律师"]),
    ],
)
def test_checklist_text_shows_its_items(pdfs: dict[str, bytes], doc_id: str, expected: list[str]) -> None:
    text = squash(text_of(pdfs[doc_id]))
    for phrase in expected:
        assert squash(phrase) in text, f"{doc_id}: «{phrase}» not found"
    for part in [
        "示例科技有限公司",
        "客户名称",
        "项目",
        "负责销售",
        "日期",
        "填写人",
        "复核人",
        "第1页/共",
        "版本",
    ]:
        assert part in text, f"{doc_id}: form part «{part}» not found"


def test_handout_workbook_and_answers(pdfs: dict[str, bytes]) -> None:
    handout = squash(text_of(pdfs["handout-penalty-ladder"]))
    assert "停止供货" in handout and "合规提示" in handout
    workbook = squash(text_of(pdfs["workbook-course-a"]))
    for part in [
        "08:30–08:50",  # the agenda on the clock, from the course's day_start
        "09:30–09:45茶歇",
        "授课合计（08:30–10:15）",
        "灵魂第一问",
        "找到付款责任人",
        "复盘问题",
        "你答不上来的是哪一项",
    ]:
        assert squash(part) in workbook, part
    assert "参考答案" not in workbook and "课后测" not in workbook  # the tests are handed out apart
    answers = squash(text_of(pdfs["answers-course-a"]))
    for part in ["参考答案：B.书面通知并取得审批", "解析", "课前测", "满分20分", "课后测", "满分25分，20分及格（80%）"]:
        assert part in answers, part
    # The running header says the kind once: «参考答案 · 销售回款实战», not «… · 参考答案» again.
    assert "参考答案·销售回款实战示例" in answers and "参考答案·销售回款实战·参考答案" not in answers


PAGE_SIZES = {"slides": (841.89, 473.56), "certificate": (A4[1], A4[0])}
"""Kinds not on A4 portrait: slides are 16:9, the certificate is A4 landscape."""


def test_pages_are_a4_slides_16_9_certificate_landscape(pdfs: dict[str, bytes]) -> None:
    for doc_id, data in pdfs.items():
        expected = PAGE_SIZES.get(doc_id.split("-", 1)[0], A4)
        for page in PdfReader(io.BytesIO(data)).pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(expected, abs=0.5), doc_id


def test_the_cjk_font_is_embedded(pdfs: dict[str, bytes]) -> None:
    for doc_id, data in pdfs.items():
        fonts = embedded_fonts(data)
        assert fonts, doc_id
        # Typst names the font by its PostScript name (PlaybookSansSC-Regular), WeasyPrint
        # by the CSS family (Playbook-Sans-SC): either way, only the shipped font.
        assert all(FONT_FAMILY.replace(" ", "") in name.replace("-", "") for name in fonts), (doc_id, fonts)


def test_pdffonts_reports_the_font_embedded(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        if in_ci():
            pytest.fail("pdffonts is missing; .ci/run must install poppler-utils")
        pytest.skip("poppler-utils not installed (apt-get install -y poppler-utils)")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdfs["checklist-know-self"])
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows and all("PlaybookSansSC" in row[0].replace("-", "") for row in rows)
    assert all(row[-5] == "yes" for row in rows)  # the «emb» column


EMPTY_FONTCONFIG = """\
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""

RENDER_SNIPPET = """\
import sys
from generator.pdf import FONT_FAMILY, font_face_css, html_to_pdf
style = font_face_css() + "@page { size: A4 } body { font-family: '" + FONT_FAMILY + "' }"
body = "<h1>知己三项确认</h1><p>回款前五项准备 ABC</p>"
html = "<html><head><style>" + style + "</style></head><body>" + body + "</body></html>"
sys.stdout.buffer.write(html_to_pdf(html))
"""


def test_chinese_renders_with_an_empty_fontconfig(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "cache"), encoding="utf-8")
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "FONTCONFIG_PATH": str(tmp_path),
        "PYTHONWARNINGS": "ignore",
    }
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
        assert listed.strip() == "", "the empty fontconfig still lists fonts"
    done = subprocess.run(
        [sys.executable, "-c", RENDER_SNIPPET],
        env=env,
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    text = squash(text_of(done.stdout))
    assert "知己三项确认" in text and "回款前五项准备" in text
    assert embedded_fonts(done.stdout)


def test_two_renders_are_byte_identical(project: Project, pdfs: dict[str, bytes]) -> None:
    playbook = load(project)
    again = print_all(
        project,
        playbook,
        ids=["checklist-know-self", "workbook-course-a"],
        build_date=DAY,
        workers=1,
        use_cache=False,
    ).pdfs
    assert again["checklist-know-self"] == pdfs["checklist-know-self"]
    assert again["workbook-course-a"] == pdfs["workbook-course-a"]


def test_pdf_dates_are_fixed(monkeypatch: pytest.MonkeyPatch, pdfs: dict[str, bytes]) -> None:
    info = PdfReader(io.BytesIO(pdfs["checklist-know-self"])).metadata
    assert info["/CreationDate"] == info["/ModDate"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html = f"<html><head><style>{font_face_css()}</style></head><body>回款</body></html>"
    first = html_to_pdf(html)
    assert first == html_to_pdf(html)
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"].startswith("D:20231114")


def test_missing_glyphs_names_rare_characters() -> None:
    assert missing_glyphs("示例科技有限公司 ABC，（）") == set()
    assert missing_glyphs("𠮷野家鍮") == {"𠮷", "鍮"}


def test_rare_character_in_company_name_warns(tmp_path: Path) -> None:
    root = make_print_project(tmp_path / "project")
    sample = (root / "defaults" / "company.yaml").read_text("utf-8")
    (root / "site_config" / "company.yaml").write_text(
        sample.replace("示例科技有限公司", "𠮷示例科技有限公司"), "utf-8"
    )
    project = Project.at(root)
    warnings = []
    print_all(
        project,
        load(project),
        ids=["checklist-legal-action"],
        build_date=DAY,
        workers=1,
        use_cache=False,
        log=warnings.append,
    )
    messages = [str(w) for w in warnings]
    assert any("«𠮷» (U+20BB7)" in m and "checklist-legal-action.pdf" in m for m in messages), messages


def test_unchanged_pdfs_come_from_the_cache(tmp_path: Path) -> None:
    project = Project.at(make_print_project(tmp_path / "project"))
    playbook = load(project)
    ids = ["checklist-stop-service", "checklist-legal-action"]
    first = print_all(project, playbook, ids=ids, build_date=DAY, workers=1)
    assert sorted(first.rendered) == sorted(ids) and first.cached == []
    second = print_all(project, playbook, ids=ids, build_date=DAY, workers=1)
    assert second.rendered == [] and sorted(second.cached) == sorted(ids)
    assert second.pdfs == first.pdfs
    playbook.modules[-1].items[1].checks[0].title = "合同允许暂停服务（已核对条款）"
    third = print_all(project, playbook, ids=ids, build_date=DAY, workers=1)
    assert third.rendered == ["checklist-stop-service"]
    assert (project.cache_dir / "pdf").is_dir()


def test_parallel_render_gives_the_same_bytes(
    project: Project, pdfs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.printing import render as print_render

    monkeypatch.setattr(print_render, "PARALLEL_FROM", 1)  # two PDFs would stay in-process
    ids = ["checklist-know-customer", "checklist-reputation"]
    result = print_all(project, load(project), ids=ids, build_date=DAY, workers=2, use_cache=False)
    assert {i: result.pdfs[i] for i in ids} == {i: pdfs[i] for i in ids}


def test_font_files_and_licence_are_shipped() -> None:
    assert (FONT_DIR / "OFL.txt").read_text("utf-8").count("SIL OPEN FONT LICENSE") == 1
    assert sum(p.stat().st_size for p in FONT_DIR.glob("*.otf")) < 12_000_000


# --- checklist declaration and CLI -------------------------------------------------------


def test_unknown_item_in_checklists_yaml_is_located(tmp_path: Path) -> None:
    root = make_print_project(tmp_path / "project")
    path = root / "playbook" / "checklists.yaml"
    path.write_text(path.read_text("utf-8").replace("children_of: know-self", "children_of: know-slef"), "utf-8")
    project = Project.at(root)
    with pytest.raises(PlaybookError) as caught:
        print_all(project, load(project), build_date=DAY, workers=1)
    (problem,) = caught.value.problems
    assert problem.path == "playbook/checklists.yaml" and problem.line > 0
    assert "unknown item 'know-slef'" in problem.message and "did you mean 'know-self'" in problem.message


def test_missing_module_leaves_its_checklist_out_with_a_warning(tmp_path: Path) -> None:
    root = make_print_project(tmp_path / "project")
    (root / "playbook" / "interview-collection.yaml").unlink()
    project = Project.at(root)
    warnings = []
    result = print_all(
        project,
        load(project),
        ids=["checklist-know-self"],
        build_date=DAY,
        workers=1,
        log=warnings.append,
    )
    assert list(result.pdfs) == ["checklist-know-self"]
    assert any("interview-collection" in str(w) for w in warnings)


def test_cli_prints_chosen_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_print_project(tmp_path / "project")
    out = tmp_path / "out"
    code = main(["--project", str(root), "print", "checklist-stop-supply", "--out", str(out), "-j", "1"])
    assert code == 0, capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["checklist-stop-supply.pdf"]
    assert (out / "checklist-stop-supply.pdf").read_bytes().startswith(b"%PDF-")


def test_cli_unknown_id_suggests_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_print_project(tmp_path / "project")
    out = tmp_path / "out"
    code = main(["--project", str(root), "print", "checklist-know-slef", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "unknown printout id 'checklist-know-slef'; did you mean 'checklist-know-self'?" in err
    assert "Traceback" not in err and not out.exists()


def test_policy_can_disable_a_rung(tmp_path: Path) -> None:
    root = make_print_project(tmp_path / "project")
    # only the change, merged over defaults/policy.yaml
    (root / "site_config" / "policy.yaml").write_text("ladder:\n  reputation:\n    enabled: false\n", "utf-8")
    project = Project.at(root)
    result = print_all(project, load(project), ids=["checklist-legal-action"], build_date=DAY, workers=1)
    assert list(result.pdfs) == ["checklist-legal-action"]
    with pytest.raises(PlaybookError, match="checklist-reputation"):
        print_all(project, load(project), ids=["checklist-reputation"], build_date=DAY, workers=1)
