"""End to end in a real browser: Debian's headless Chromium (never a downloaded one) drives `detector serve`
started as a subprocess, across a server restart.

Skipped when /usr/bin/chromium is missing, unless the environment variable CI is set (then it fails).
With DETECTOR_SCREENSHOT=1 the result page is also saved to docs/screenshot-screen.png.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conftest import SMALL

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot-screen.png"
STARTUP_SECONDS = 120
DUPLICATE_ID = "A01"  # 温州市鞋类行业商会: a duplicate of 温州市鞋业商会 / 温州市鞋革行业协会 (see test_screen.py)
EXISTING = ("温州市鞋业商会", "温州市鞋革行业协会")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("需要 Debian 的 /usr/bin/chromium（apt-get install chromium）", allow_module_level=True)


def application(app_id: str) -> tuple[dict[str, str], str]:
    """An application of the small batch: its form fields and its members as pasted from Excel."""
    with (SMALL / "applications" / "associations.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == app_id)
    with (SMALL / "applications" / "memberships.csv").open(encoding="utf-8") as f:
        members = [r for r in csv.DictReader(f) if r["association_id"] == app_id]
    fields = {k: row[k] for k in ("name", "region", "industry", "scope", "purpose", "services")}
    if not members:
        return fields, ""
    columns = [c for c in members[0] if c != "association_id"]
    paste = "\n".join("\t".join(r[c] for c in columns) for r in [dict(zip(columns, columns, strict=True)), *members])
    return fields, paste


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(data_dir: Path, cache_dir: Path, log: Path) -> Iterator[str]:
    """`detector serve` on the small registry in a subprocess; yields its address once it answers."""
    port = free_port()
    env = {**os.environ, "DETECTOR_CACHE": str(cache_dir)}
    env.pop("DETECTOR_TOKEN", None)
    command = [sys.executable, "-m", "detector.cli", "serve", str(SMALL / "registry"), "--port", str(port),
               "--data-dir", str(data_dir)]
    with log.open("ab") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"detector serve 退出（{proc.returncode}）：\n{log.read_text(encoding='utf-8')}")
            try:
                if httpx.get(f"{url}/screen", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"detector serve 未在 {STARTUP_SECONDS} 秒内响应：\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_screen_decide_restart_and_find_the_decision(tmp_path, embedder):
    from playwright.sync_api import expect, sync_playwright

    fields, paste = application(DUPLICATE_ID)
    data_dir, log = tmp_path / "data", tmp_path / "serve.log"
    cache = embedder.cache.path.parent
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1500}, locale="zh-CN")
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        with serving(data_dir, cache, log) as url:
            page.goto(f"{url}/screen")
            for name, value in fields.items():
                selector = "textarea" if name in ("scope", "purpose") else "input"
                page.fill(f"{selector}[name={name}]", value)
            page.fill("textarea[name=members_text]", paste)
            page.get_by_role("button", name="开始筛查").click()

            expect(page.locator(".badge.verdict-duplicate.big")).to_have_text("重复设立")
            best = page.locator("details.match").first
            expect(best.locator("summary")).to_contain_text(re.compile("|".join(EXISTING)))
            expect(best.locator("ul.reasons")).to_contain_text("同一行政区域（温州市）")
            expect(page.locator(".summary")).to_contain_text("按一业一会宜引导加入现有组织")
            shot = tmp_path / "screen.png"
            page.screenshot(path=str(shot))
            if os.environ.get("DETECTOR_SCREENSHOT"):
                shutil.copyfile(shot, SCREENSHOT)

            page.check("input[name=decision][value=join]")
            page.select_option("select[name=target_id]", index=1)
            target = page.locator("select[name=target_id] option").nth(1).inner_text().split("（")[0]
            page.fill("input[name=reviewer]", "李审查")
            page.fill("textarea[name=comment]", "同一区域同一行业，建议加入现有组织")
            page.get_by_role("button", name="记录决定").click()
            expect(page.locator(".alert.ok")).to_contain_text("已记录审查决定")
        assert target in EXISTING

        with serving(data_dir, cache, log) as url:  # a restarted server on the same data dir
            page.goto(f"{url}/decisions")
            row = page.locator("table.grid tbody tr").first
            expect(row).to_contain_text(fields["name"])
            expect(row).to_contain_text("建议加入")
            expect(row).to_contain_text(target)
            expect(row).to_contain_text("李审查")
            expect(row).to_contain_text("同一区域同一行业，建议加入现有组织")
            expect(row.locator(".badge.verdict-duplicate")).to_have_text("重复设立")
        browser.close()
    assert not [m for m in console if "Content Security Policy" in m], console  # the CSP blocks nothing of ours


# ------------------------------------------------------------------- issue 10: the reviewer's first hour

DOCS = SCREENSHOT.parent


def shoot(page, name: str, tmp_path: Path, full_page: bool = False) -> None:
    """A screenshot of what the test sees; with DETECTOR_SCREENSHOT=1 also kept in docs/."""
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=full_page)
    if os.environ.get("DETECTOR_SCREENSHOT"):
        shutil.copyfile(shot, DOCS / f"screenshot-{name}.png")


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder) -> Iterator[str]:
    base = tmp_path_factory.mktemp("serve")
    with serving(base / "data", embedder.cache.path.parent, base / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield context.new_page()
    context.close()


def fill_application(page, app_id: str) -> None:
    fields, paste = application(app_id)
    for name, value in fields.items():
        page.fill(f"{'textarea' if name in ('scope', 'purpose') else 'input'}[name={name}]", value)
    page.fill("textarea[name=members_text]", paste)


def test_a_gated_match_shows_its_reason_not_a_score(server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{server}/screen")
    fill_application(page, "A04")  # 瑞安市鞋业协会: the city's shoe bodies are related, not duplicates
    page.get_by_role("button", name="开始筛查").click()
    expect(page.locator(".badge.verdict-clear.big")).to_have_text("未发现重复")
    first = page.locator("details.match summary").first
    expect(first).to_contain_text("不构成重复：上下级行政区域（瑞安市/温州市）")
    body = page.locator("main").inner_text()
    assert "相关度" not in body and "得分" not in body and "（1.00）" not in body
    shoot(page, "related", tmp_path)


def test_decisions_are_checked_kept_and_corrected(server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{server}/screen")
    fill_application(page, DUPLICATE_ID)
    page.get_by_role("button", name="开始筛查").click()
    expect(page.locator(".badge.verdict-duplicate.big")).to_be_visible()
    result = page.url
    target = page.locator("select[name=target_id]")
    assert target.input_value() in ("R01", "R02")  # 建议加入 proposes the best duplicate match
    # the browser checks first: nothing is sent without a decision and a reviewer
    page.fill("input[name=reviewer]", "")
    page.get_by_role("button", name="记录决定").click()
    assert page.url == result
    assert page.locator("input[name=decision]").first.evaluate("e => e.validity.valueMissing")
    page.check("input[name=decision][value=join]")
    target.select_option("")
    assert target.evaluate("e => e.required && e.validity.valueMissing")  # required once 建议加入 is chosen
    # the server checks too (a browser without the checks): errors beside the fields, typed text kept
    page.locator("#decision-form").evaluate("f => { f.noValidate = true; }")
    page.fill("textarea[name=comment]", "先记下的意见")
    page.get_by_role("button", name="记录决定").click()
    error = page.locator("#err-target")
    expect(error).to_contain_text("请选择要加入的已登记组织")
    expect(error).to_be_in_viewport()
    expect(page.locator("#err-reviewer")).to_contain_text("请填写审查人姓名")
    expect(page.locator("textarea[name=comment]")).to_have_value("先记下的意见")
    expect(page.locator("input[name=decision][value=join]")).to_be_checked()
    shoot(page, "decision-error", tmp_path)
    page.locator("select[name=target_id]").select_option(index=1)
    page.fill("input[name=reviewer]", "李审查")
    page.get_by_role("button", name="记录决定").click()
    saved = page.locator(".alert.ok")
    expect(saved).to_contain_text("已记录审查决定 #")
    expect(saved).to_be_in_viewport()
    # a correction: a new record supersedes the old one, both in the trail
    expect(page.get_by_role("heading", name="更正审查决定")).to_be_visible()
    page.check("input[name=decision][value=more_info]")
    page.fill("textarea[name=comment]", "请补充会员名单")
    page.get_by_role("button", name="记录更正").click()
    expect(page.locator(".current-decision")).to_contain_text("补正材料")
    rows = page.locator("#decisions table.grid tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("当前决定（更正 #")
    expect(rows.nth(1)).to_contain_text("已被更正")
    shoot(page, "decision", tmp_path)


def test_upload_a_template_and_a_renamed_file(server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{server}/screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 模板（含填写说明）").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "申请模板.xlsx"
    page.set_input_files("input[name=applications_file]", str(template))
    page.get_by_role("button", name="上传并筛查").click()
    expect(page.locator(".badge.verdict-duplicate.big")).to_be_visible()  # the example application screens
    expect(page.locator("h1")).to_have_text("温州市鞋类行业商会")
    page.goto(f"{server}/screen")
    page.set_input_files("input[name=applications_file]", files=[{
        "name": "申请.xlsx", "mimeType": "application/octet-stream", "buffer": "id,name\nX1,温州市鞋业协会\n".encode()}])
    page.get_by_role("button", name="上传并筛查").click()
    error = page.locator(".alert.error")
    expect(error).to_contain_text("内容不是 Excel 工作簿（可能是改了扩展名的其他文件）")
    expect(error).to_be_in_viewport()
    shoot(page, "upload-error", tmp_path)
    page.goto(f"{server}/screen")
    shoot(page, "screen-form", tmp_path, full_page=True)


def test_the_opinion_prints_without_navigation_and_as_pdf(server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{server}/screen")
    fill_application(page, DUPLICATE_ID)
    page.get_by_role("button", name="开始筛查").click()
    expect(page.locator(".badge.verdict-duplicate.big")).to_be_visible()
    page.check("input[name=decision][value=join]")
    page.fill("input[name=reviewer]", "王审查")
    page.fill("textarea[name=comment]", "同一区域同一行业，引导加入")
    page.get_by_role("button", name="记录决定").click()
    expect(page.locator(".alert.ok")).to_be_visible()
    page.get_by_role("link", name="审查意见书（打印）").first.click()
    expect(page.locator("h1")).to_have_text("行业协会商会登记申请审查意见书")
    expect(page.locator(".decision")).to_contain_text("王审查")
    assert page.locator("header.top").count() == 0
    page.emulate_media(media="print")
    expect(page.locator(".toolbar")).to_be_hidden()
    shoot(page, "opinion", tmp_path, full_page=True)
    pdf = page.request.get(page.url + ".pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    (tmp_path / "opinion.pdf").write_bytes(pdf.body())


def test_registry_search_finds_through_the_vocabulary(server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{server}/registry")
    page.fill("input[name=q]", "制鞋")
    page.get_by_role("button", name="查询").click()
    rows = page.locator("#registry tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("鞋")
    page.select_option("select[name=type]", "研究会")
    page.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("温州市鞋革研究会")
    page.goto(f"{server}/registry?q=制鞋")
    shoot(page, "registry", tmp_path)
    page.goto(f"{server}/study")
    expect(page.locator("svg.network .node.keep title").first).to_contain_text("建议保留")
    shoot(page, "study", tmp_path)


PROBE = """() => {
  // what the page shows 0.1 s after the first submission, and a second submission (a double click)
  const form = document.querySelector("form[action='/screen']");
  let probed = false;
  form.addEventListener("submit", () => {
    if (probed) return;
    probed = true;
    setTimeout(() => {
      const busy = document.getElementById("busy");
      sessionStorage.setItem("probe", JSON.stringify({
        disabled: form.querySelector("button[type=submit]").disabled, busy: !busy.hidden, text: busy.textContent}));
      form.requestSubmit();
    }, 100);
  });
}"""


def test_slow_actions_show_progress_and_are_sent_once(server, page, tmp_path):
    from playwright.sync_api import expect

    held, posts = [], []

    def hold(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            held.append(route)
        else:
            route.continue_()

    page.goto(f"{server}/screen")
    page.fill("input[name=name]", "温州市制笔行业协会")
    page.evaluate(PROBE)
    page.route("**/screen", hold)
    page.get_by_role("button", name="开始筛查").click(no_wait_after=True)
    page.wait_for_timeout(800)  # the request is held: the page waits as for a slow screening
    assert len(posts) == 1  # the second submission was not sent
    with page.expect_navigation():
        held[0].continue_()
    expect(page.locator("h1")).to_have_text("温州市制笔行业协会")
    probe = json.loads(page.evaluate("() => sessionStorage.getItem('probe')"))
    assert probe["disabled"] and probe["busy"] and "正在筛查" in probe["text"]
    page.unroute("**/screen")
    page.goto(f"{server}/screen")
    expect(page.locator("table.grid tbody tr", has_text="温州市制笔行业协会")).to_have_count(1)


def _arrive(page, url):
    """Wait until the page at *url* has run its deferred scripts: a key pressed earlier lands on the page before."""
    from playwright.sync_api import expect

    expect(page).to_have_url(url)
    page.wait_for_load_state("domcontentloaded")


def test_label_three_pairs_by_keyboard_restart_and_learn_picks_them_up(tmp_path, embedder, browser):
    from playwright.sync_api import expect

    data_dir, log = tmp_path / "data", tmp_path / "serve.log"
    cache = embedder.cache.path.parent
    context = browser.new_context(viewport={"width": 1280, "height": 1200}, locale="zh-CN")
    page = context.new_page()
    try:
        with serving(data_dir, cache, log) as url:
            page.goto(f"{url}/label")
            page.fill("input[name=n]", "5")
            page.get_by_role("button", name="生成").click()
            expect(page.locator("#label-progress")).to_have_text("已标注 0 / 5")
            page.fill("input[name=reviewer]", "李审查")
            page.locator("h1").click()  # shortcuts are off while typing in a field
            page.keyboard.press("1")
            _arrive(page, f"{url}/label/2")
            expect(page.locator("#label-progress")).to_have_text("已标注 1 / 5")
            page.keyboard.press("2")
            _arrive(page, f"{url}/label/3")
            page.keyboard.press("ArrowLeft")  # back to the pair just labelled: its label is shown
            _arrive(page, f"{url}/label/2")
            expect(page.locator(".meta")).to_contain_text("已标注为「不重复」（李审查")
            page.get_by_role("link", name="跳过 →").click()
            _arrive(page, f"{url}/label/3")
            expect(page.locator("#label-progress")).to_have_text("已标注 2 / 5")
            page.keyboard.press("1")
            _arrive(page, f"{url}/label/4")
            expect(page.locator("#label-progress")).to_have_text("已标注 3 / 5")

        with serving(data_dir, cache, log) as url:  # restarted on the same data dir
            page.goto(f"{url}/label")
            expect(page.locator("h2").first).to_have_text("本轮：已标注 3 / 5")
            answers = page.locator("table.grid tbody .badge")
            expect(answers).to_have_count(3)
            expect(answers.nth(1)).to_have_text("不重复")
    finally:
        context.close()

    env = {**os.environ, "DETECTOR_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-m", "detector.cli", "learn", str(SMALL / "registry"), "--data-dir",
                           str(data_dir)], env=env, capture_output=True, text=True, timeout=600, check=False)
    assert "工作台标注 3 对" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 1 and "可用于学习的标注太少" in done.stdout  # three labels are read, not yet enough
