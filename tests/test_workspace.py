"""«催收准备» (generator/workspace/): the per-customer workspace in the browser, driven as a rep
drives it (labels and buttons) in the session's built site; its rung is `playbook ladder`'s."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.cli import main
from generator.project import Project
from generator.session import open_session
from generator.urls import directory_urls
from generator.workspace.site import page_data, script_json
from tests.conftest import copy_upstream, sample_repo
from tests.engine_sites import ENGINE_NAMES

AS_OF = date(2026, 12, 31)
AMOUNTS = ["0.01", "9999.99", "10000", "10000.01", "49999.99", "50000", "60000", "1234567.89"]
DAYS = [0, 1, 29, 30, 44, 45, 46, 59, 60, 89, 90, 119, 120, 179, 180, 400]
TAILORED = """\
ladder:
  stop-supply: {days_overdue: 45, min_amount: 50000}
  stop-service: {days_overdue: 60}
  terminate-authorization: {enabled: false}
"""
"""A company's policy: the first rung at 45 days and 50,000 元, one rung switched off."""

XSS_NAME = '<img src=x onerror="window.__pwned=1">华南'
XSS_NOTES = "<script>window.__pwned=2</script>备注"


def tailored_project(root: Path) -> Project:
    copy_upstream(root)
    (root / "site_config" / "policy.yaml").write_text(TAILORED, "utf-8")
    return Project.at(root)


# -- without a browser ----------------------------------------------------------------------


def test_embedded_data_cannot_end_the_script_block():
    text = script_json({"name": "</script><script>alert(1)</script><!--", "a": "&"})
    assert "<" not in text and ">" not in text and "\n" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script><!--", "a": "&"}


def test_page_data_is_the_company_ladder(tmp_path):
    """The rungs the page gets are the policy's enabled rungs, minimums in exact fen."""
    playbook = open_session(tailored_project(tmp_path)).playbook
    data = page_data(Project.at(tmp_path), playbook)
    rungs = [(r["id"], r["days"], r["min_fen"], r["approver"]) for r in data["rungs"]]
    assert rungs == [
        ("stop-supply", 45, "5000000", "销售总监"),
        ("stop-service", 60, "1000000", "销售总监"),
        ("reputation", 120, None, "法务负责人"),
        ("legal-action", 180, "5000000", "总经理"),
    ]
    first = data["rungs"][0]
    # links relative to the page's own URL (workspace/ or workspace.html, as mkdocs.yml says)
    up, page = ("../", "{}/") if directory_urls(Project.at(tmp_path)) else ("", "{}.html")
    assert first["requires"] == [
        {"id": "final-demand", "title": "已发出最后催告函", "href": up + page.format("letters/final-demand")}
    ]
    assert first["letter"] == {
        "id": "stop-supply",
        "title": "暂停供货通知函",
        "href": up + page.format("letters/stop-supply"),
        "blank": up + "letters/files/blank-stop-supply.pdf",
    }
    assert [g["title"] for g in data["groups"]] == ["知己三项确认", "知彼两项确认", "回款前五项准备"]
    assert [len(g["items"]) for g in data["groups"]] == [3, 2, 5]


@pytest.mark.site
@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_every_engine_ships_the_page_with_its_data_and_files(engine: str, engine_site):
    """The script, the style sheet and every link inside the embedded data lead to files of the
    site, whichever engine built it (no engine rewrites links inside a script)."""
    site = engine_site(engine)
    rel = workspace_file(site)
    html = (site / rel).read_text("utf-8")
    found = re.search(r'<script type="application/json" id="ws-data">(.*?)</script>', html)
    assert found is not None
    data = json.loads(found.group(1))
    hrefs = [re.search(rf'<script src="([^"]*{name})"', html) for name in ("workspace.js",)]
    hrefs += [re.search(r'<link rel="stylesheet" href="([^"]*workspace.css)"', html)]
    files = [m.group(1) for m in hrefs if m]
    assert len(files) == 2, files
    links = [*files]
    for group in data["groups"]:
        links += [item["href"] for item in group["items"]]
    links += [item["href"] for item in data["bring"]]
    for rung in data["rungs"]:
        links += [rung["href"], *(r["href"] for r in rung["requires"] if r["href"])]
        if rung["letter"]:
            links += [rung["letter"]["href"], rung["letter"]["blank"]]
    assert len(links) > 20
    assert [href for href in links if not target_exists(site, rel, href)] == []


# -- in the browser --------------------------------------------------------------------------


def outside(requests: list[str]) -> list[str]:
    """Requests that left the site (blob: is the export's own download, made in the page)."""
    return [
        url
        for url in requests
        if urlparse(url).scheme not in ("data", "blob", "file") and urlparse(url).hostname != "127.0.0.1"
    ]


def new_page(browser, requests: list[str], width: int = 390, height: int = 844):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return context, page


def workspace_file(site: Path) -> str:
    """The page's path in the built site (``workspace/index.html`` with directory URLs)."""
    return "workspace/index.html" if (site / "workspace" / "index.html").exists() else "workspace.html"


def workspace_url(server: str, site: Path) -> str:
    return f"{server}/{workspace_file(site).removesuffix('index.html')}"


def target_exists(site: Path, page_file: str, href: str) -> bool:
    """A link of the page leads to a file of the built site."""
    import posixpath

    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), href.split("#")[0]))
    return (site / path).is_file() or (site / path / "index.html").is_file()


def open_workspace(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector('#ws-app[data-ready="true"]', state="attached")


def add_customer(page, name: str, amount: str, days: str, **extra: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="新建客户").click()
    page.get_by_label("客户名称").fill(name)
    page.get_by_label("欠款金额（元）").fill(amount)
    page.get_by_label("逾期天数").fill(days)
    for label, value in extra.items():
        page.get_by_label(label).fill(value)


def rung_shown(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator('[data-role="suggested-rung"]').get_attribute("data-rung") or ""


@pytest.mark.browser
def test_rep_prepares_two_customers_reloads_exports_imports_and_prints(browser, server, built_site: Path, tmp_path):
    requests: list[str] = []
    context, page = new_page(browser, requests)
    page.on("dialog", lambda dialog: dialog.accept())
    open_workspace(page, workspace_url(server, built_site))
    add_customer(page, "华东示例贸易", "60,000", "35", 联系人="陈经理")
    page.get_by_label("清晰交易情况").check()
    page.get_by_label("确认客户的关键人员").check()
    rung = page.locator('[data-role="suggested-rung"]')
    text = rung.inner_text()
    assert rung.get_attribute("data-rung") == "stop-supply"
    for shown in (
        "停止供货",
        "逾期 30 天起，欠款不低于 10,000.00 元",
        "已发出最后催告函",
        "销售总监",
        "暂停供货通知函",
    ):
        assert shown in text
    assert "建议，须人工确认" in text
    letter = rung.get_by_role("link", name="暂停供货通知函").get_attribute("href") or ""
    blank = rung.get_by_role("link", name="空白函件 PDF").get_attribute("href") or ""
    assert "letters/stop-supply" in letter and blank.endswith("letters/files/blank-stop-supply.pdf")
    links = [
        letter,
        blank,
        *page.locator("#ws-app a[href]").evaluate_all("(as) => as.map(a => a.getAttribute('href'))"),
    ]
    assert all(target_exists(built_site, workspace_file(built_site), href) for href in links), links
    # on a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    add_customer(page, "西南样例机电", "8000", "")
    page.get_by_label("最早到期日").fill((date.today() - timedelta(days=200)).isoformat())
    page.get_by_text("按最早到期日，截至今天逾期 200 天。").wait_for()
    page.get_by_role("button", name="用这个天数").click()
    assert page.get_by_label("逾期天数").input_value() == "200"
    page.get_by_label("清晰人员关系").check()
    assert rung_shown(page) == "reputation"  # 200 days, below the 10,000 and 50,000 minimums

    page.reload()
    page.wait_for_selector('#ws-app[data-ready="true"]', state="attached")
    page.get_by_role("button", name="华东示例贸易", exact=True).click()
    assert page.get_by_label("逾期天数").input_value() == "35"
    assert page.get_by_label("清晰交易情况").is_checked()
    assert not page.get_by_label("清晰项目情况").is_checked()
    assert rung_shown(page) == "stop-supply"

    with page.expect_download() as download:
        page.get_by_role("button", name="导出").click()
    exported = tmp_path / "export.json"
    download.value.save_as(exported)
    doc = json.loads(exported.read_text("utf-8"))
    assert (doc["format"], doc["schema"]) == ("playbook-workspace", 1)
    assert [(c["name"], c["amount"], c["days"]) for c in doc["customers"]] == [
        ("华东示例贸易", "60,000", "35"),
        ("西南样例机电", "8000", "200"),
    ]
    assert doc["customers"][1]["due"] == (date.today() - timedelta(days=200)).isoformat()
    assert sorted(doc["customers"][0]["checked"]) == ["prep-key-people", "self-trade"]

    # another browser: import, then the sheet printed from there
    other, fresh = new_page(browser, requests)
    open_workspace(fresh, workspace_url(server, built_site))
    assert fresh.locator('[data-role="customer-list"] li').count() == 0
    fresh.get_by_label("导入").set_input_files(str(exported))
    fresh.get_by_text("已从「export.json」导入 2 个客户（新增 2 个，覆盖 0 个）。").wait_for()
    fresh.get_by_role("button", name="华东示例贸易", exact=True).click()
    assert fresh.get_by_label("确认客户的关键人员").is_checked()
    assert fresh.get_by_label("联系人").input_value() == "陈经理"
    assert rung_shown(fresh) == "stop-supply"

    fresh.emulate_media(media="print")
    faces = fresh.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter(f => f.family.includes('Playbook'))"
        ".map(f => f.status))"
    )
    assert faces == ["loaded"]  # the sheet's Chinese comes from the font shipped in the site
    pdf = tmp_path / "sheet.pdf"
    fresh.pdf(path=str(pdf), format="A4")
    sheet = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in pages
    lines = [" ".join(line.split()) for line in sheet.splitlines()]
    assert "拜访单：华东示例贸易" in lines
    assert "欠款金额 60,000.00 元" in lines and "逾期天数 35 天" in lines and "联系人 陈经理" in lines
    assert "建议措施：停止供货" in lines and "审批人 销售总监" in lines and "建议，须人工确认" in lines
    assert any("☑ 已确认 清晰交易情况" in line for line in lines)
    assert any("☐ 待完成 清晰项目情况" in line for line in lines)
    assert "带齐" in lines and any(line.startswith("整理好账款资料：") for line in lines)
    assert "新建客户" not in sheet and "西南样例机电" not in sheet  # one customer, not the form

    assert page.errors == [] and fresh.errors == []
    assert outside(requests) == []
    assert any(url.endswith("/assets/workspace.js") for url in requests)
    context.close()
    other.close()


@pytest.mark.browser
def test_import_asks_before_overwriting_and_refuses_bad_files(browser, server, built_site: Path, tmp_path):
    requests: list[str] = []
    context, page = new_page(browser, requests, width=1366, height=900)
    answers: list[bool] = []
    asked: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept() if answers.pop(0) else dialog.dismiss()

    page.on("dialog", answer)
    open_workspace(page, workspace_url(server, built_site))
    add_customer(page, "华东示例贸易", "1000", "10")

    def stored() -> str:
        return page.evaluate("JSON.stringify(Object.entries(localStorage))")

    def customer(name: str, amount: str) -> dict[str, object]:
        return {"name": name, "amount": amount, "days": "40", "checked": ["clear-project"]}

    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "format": "playbook-workspace",
                "schema": 1,
                "customers": [customer("华东示例贸易", "99000"), customer("北方样例公司", "5")],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    message = page.locator('[data-role="message"]')
    before = stored()
    answers.append(False)
    page.get_by_label("导入").set_input_files(str(good))
    message.get_by_text("已取消导入，未做任何改动。").wait_for()
    assert asked == ["本机已有以下客户，导入将用文件中的资料覆盖它们：华东示例贸易。确定覆盖吗？"]
    assert stored() == before

    bad = {
        "not-json.json": ("{customers:", "文件不是 JSON 格式"),
        "foreign.json": (
            json.dumps({"name": "x"}),
            "这不是催收准备导出的文件（format 应为「playbook-workspace」，实际为「undefined」）",
        ),
        "future.json": (
            json.dumps({"format": "playbook-workspace", "schema": 2, "customers": []}),
            "文件格式版本为 2，本页只能读取版本 1",
        ),
        "rows.json": (
            json.dumps(
                {
                    "format": "playbook-workspace",
                    "schema": 1,
                    "customers": [customer("甲", "六万"), {"name": ""}, customer("乙", "1"), customer("乙", "2")],
                },
                ensure_ascii=False,
            ),
            "第 1 个客户「甲」：欠款金额应为金额（如 60000.00），实际为「六万」；第 2 个客户：缺少客户名称；"
            "第 4 个客户「乙」：客户名称与第 3 个客户重复",
        ),
    }
    for name, (content, expected) in bad.items():
        path = tmp_path / name
        path.write_text(content, "utf-8")
        page.get_by_label("导入").set_input_files(str(path))
        message.get_by_text(f"无法导入「{name}」", exact=False).wait_for()
        shown = message.inner_text()
        assert expected in shown and shown.endswith("未做任何改动。"), shown
        assert "ws-message--error" in (message.get_attribute("class") or "")
        assert stored() == before, name

    answers.append(True)
    page.get_by_label("导入").set_input_files(str(good))
    message.get_by_text("已从「good.json」导入 2 个客户（新增 1 个，覆盖 1 个）。").wait_for()
    page.get_by_role("button", name="华东示例贸易", exact=True).click()
    assert page.get_by_label("欠款金额（元）").input_value() == "99000"
    assert page.locator('[data-role="customer-list"] li').count() == 2

    answers.append(True)
    page.locator('[data-role="customer-list"] li').filter(has_text="北方样例公司").get_by_role(
        "button", name="删除"
    ).click()
    assert asked[-1] == "删除客户「北方样例公司」的全部资料？此操作不能撤销。"
    assert page.locator('[data-role="customer-list"] li').count() == 1
    assert page.errors == [] and outside(requests) == []
    context.close()


@pytest.mark.browser
def test_what_a_rep_types_or_imports_is_shown_as_text(browser, server, built_site: Path, tmp_path):
    requests: list[str] = []
    context, page = new_page(browser, requests)
    open_workspace(page, workspace_url(server, built_site))
    add_customer(page, XSS_NAME, "1", "1", 备注=XSS_NOTES)
    payload = tmp_path / "xss.json"
    payload.write_text(
        json.dumps(
            {
                "format": "playbook-workspace",
                "schema": 1,
                "customers": [{"name": "<svg onload=window.__pwned=3>", "notes": XSS_NOTES, "checked": []}],
            }
        ),
        "utf-8",
    )
    page.get_by_label("导入").set_input_files(str(payload))
    page.get_by_role("button", name="<svg onload=window.__pwned=3>", exact=True).click()
    page.get_by_role("button", name=XSS_NAME, exact=True).click()
    page.reload()
    page.wait_for_selector('#ws-app[data-ready="true"]', state="attached")
    page.get_by_role("button", name=XSS_NAME, exact=True).click()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#ws-app img, #ws-app svg, [data-role=sheet] img, [data-role=sheet] script").count() == 0
    page.emulate_media(media="print")
    sheet = page.locator('[data-role="sheet"]').inner_text()
    assert f"拜访单：{XSS_NAME}" in sheet and XSS_NOTES in sheet
    assert page.errors == [] and outside(requests) == []
    context.close()


@pytest.mark.browser
def test_page_works_from_disk(browser, built_site: Path):
    requests: list[str] = []
    context, page = new_page(browser, requests)
    open_workspace(page, (built_site / workspace_file(built_site)).as_uri())
    heading = page.get_by_role("heading", name="催收准备", level=1)
    page.emulate_media(media="print")
    assert heading.is_visible()  # no customer open: the page prints as any other
    page.emulate_media(media="screen")
    add_customer(page, "华东示例贸易", "60000", "35")
    page.emulate_media(media="print")
    assert not heading.is_visible()  # a customer open: only the visit sheet
    assert page.locator('[data-role="sheet"]').is_visible()
    page.emulate_media(media="screen")
    assert rung_shown(page) == "stop-supply"
    page.reload()
    page.wait_for_selector('#ws-app[data-ready="true"]', state="attached")
    assert page.get_by_role("button", name="华东示例贸易", exact=True).count() == 1
    assert page.errors == [] and all(urlparse(url).scheme == "file" for url in requests)
    context.close()


# -- the rung: one rule, the ladder's -----------------------------------------------------------


def ladder_rungs(project_root: Path, tmp_path: Path) -> dict[tuple[str, int], str]:
    """`playbook ladder` on one customer per (amount, days): its rung for each."""
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["customer", "invoice_no", "due_date", "amount", "paid"])
    for amount in AMOUNTS:
        for days in DAYS:
            due = AS_OF - timedelta(days=days)
            writer.writerow([f"{amount}|{days}", f"INV-{amount}-{days}", due.isoformat(), amount, "0"])
    data = tmp_path / "receivables.csv"
    data.write_text(rows.getvalue(), "utf-8")
    plan = tmp_path / "plan.csv"
    args = ["--project", str(project_root), "ladder", str(data), "--as-of", AS_OF.isoformat(), "--out", str(plan)]
    assert main(args) == 0
    out: dict[tuple[str, int], str] = {}
    for row in csv.DictReader(io.StringIO(plan.read_text("utf-8-sig"))):
        amount, days = row["customer"].split("|")
        out[(amount, int(days))] = row["rung"]
    return out


@pytest.mark.browser
@pytest.mark.parametrize("policy", ["default", "tailored"])
def test_rung_shown_is_the_ladders(browser, server, built_site: Path, tmp_path, policy: str, capsys):
    if policy == "default":
        root = sample_repo()
    else:  # the same built page with the tailored company's data in it: no second site build
        root = tmp_path / "project"
        tailored_project(root)
    expected = ladder_rungs(root, tmp_path)
    capsys.readouterr()
    assert len(expected) == len(AMOUNTS) * len(DAYS)
    assert len(set(expected.values())) >= 4  # the table reaches several rungs and none
    requests: list[str] = []
    context, page = new_page(browser, requests, width=1366, height=900)
    if policy == "tailored":
        html = (built_site / workspace_file(built_site)).read_text("utf-8")
        start = html.index('<script type="application/json" id="ws-data">') + len(
            '<script type="application/json" id="ws-data">'
        )
        end = html.index("</script>", start)
        data = script_json(page_data(Project.at(root), open_session(Project.at(root)).playbook))
        tailored = html[:start] + data + html[end:]
        assert '"terminate-authorization"' not in data and '"days":45' in data
        page.route(
            workspace_url(server, built_site), lambda route: route.fulfill(body=tailored, content_type="text/html")
        )
    open_workspace(page, workspace_url(server, built_site))
    add_customer(page, "阶梯核对", "1", "1")
    amount_box, days_box = page.get_by_label("欠款金额（元）"), page.get_by_label("逾期天数")
    shown: dict[tuple[str, int], str] = {}
    for amount in AMOUNTS:
        amount_box.fill(amount)
        for days in DAYS:
            days_box.fill(str(days))
            shown[(amount, days)] = rung_shown(page)
    assert shown == expected
    if policy == "tailored":
        days_box.fill("100")
        amount_box.fill("60000")
        assert rung_shown(page) == "stop-service"  # terminate-authorization (90 days) is switched off
        assert "终止授权" not in page.locator('[data-role="suggested-rung"]').inner_text()
    assert page.errors == [] and outside(requests) == []
    context.close()
