"""End to end in a real browser: Debian's headless Chromium (never a downloaded one) drives `detector serve`
started as a subprocess, across a server restart.

Skipped when /usr/bin/chromium is missing, unless the environment variable CI is set (then it fails).
With DETECTOR_SCREENSHOT=1 the result page is also saved to docs/screenshot-screen.png.
"""
from __future__ import annotations

import csv
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
    columns = [c for c in members[0] if c != "association_id"]
    paste = "\n".join("\t".join(r[c] for c in columns) for r in [dict(zip(columns, columns, strict=True)), *members])
    fields = {k: row[k] for k in ("name", "region", "industry", "scope", "purpose", "services")}
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


def test_label_three_pairs_by_keyboard_restart_and_learn_picks_them_up(tmp_path, embedder):
    from playwright.sync_api import expect, sync_playwright

    data_dir, log = tmp_path / "data", tmp_path / "serve.log"
    cache = embedder.cache.path.parent
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1200}, locale="zh-CN")
        with serving(data_dir, cache, log) as url:
            page.goto(f"{url}/label")
            page.fill("input[name=n]", "5")
            page.get_by_role("button", name="生成").click()
            expect(page.locator("#label-progress")).to_have_text("已标注 0 / 5")
            page.fill("input[name=reviewer]", "李审查")
            page.locator("h1").click()  # shortcuts are off while typing in a field
            page.keyboard.press("1")
            expect(page).to_have_url(f"{url}/label/2")
            expect(page.locator("#label-progress")).to_have_text("已标注 1 / 5")
            page.keyboard.press("2")
            expect(page).to_have_url(f"{url}/label/3")
            page.keyboard.press("ArrowLeft")  # back to the pair just labelled: its label is shown
            expect(page).to_have_url(f"{url}/label/2")
            expect(page.locator(".meta")).to_contain_text("已标注为「不重复」（李审查")
            page.get_by_role("link", name="跳过 →").click()
            page.keyboard.press("1")
            expect(page.locator("#label-progress")).to_have_text("已标注 3 / 5")

        with serving(data_dir, cache, log) as url:  # restarted on the same data dir
            page.goto(f"{url}/label")
            expect(page.locator("h2").first).to_have_text("本轮：已标注 3 / 5")
            answers = page.locator("table.grid tbody .badge")
            expect(answers).to_have_count(3)
            expect(answers.nth(1)).to_have_text("不重复")
        browser.close()

    env = {**os.environ, "DETECTOR_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-m", "detector.cli", "learn", str(SMALL / "registry"), "--data-dir",
                           str(data_dir)], env=env, capture_output=True, text=True, timeout=600, check=False)
    assert "工作台标注 3 对" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 1 and "可用于学习的标注太少" in done.stdout  # three labels are read, not yet enough
