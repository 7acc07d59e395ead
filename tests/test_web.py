"""The reviewer workbench (detector serve) through FastAPI's TestClient, on the small registry."""
from __future__ import annotations

import io
import re
import sqlite3
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SMALL
from detector.cli import cli
from detector.errors import InputError
from detector.web import app as web_app
from detector.web.app import create_app, default_data_dir
from detector.web.db import NewDecision, Store
from detector.web.forms import members_frame, pasted_rows
from detector.web.viewmodels import common_phrases, highlight

APPS = SMALL / "applications"
# A01 of the small batch: a duplicate of 温州市鞋业商会 / 温州市鞋革行业协会 (see test_screen.py).
DUPLICATE = {"name": "温州市鞋类行业商会", "region": "温州市", "type": "商会", "industry": "鞋类",
             "scope": "组织皮鞋、鞋材生产企业开展技术交流、展会组织和行业维权", "purpose": "服务温州鞋类企业发展",
             "services": "展会组织；维权服务"}
EXISTING = {"R01", "R02"}  # 温州市鞋革行业协会, 温州市鞋业商会
MEMBERS_PASTE = "会员名称\t统一社会信用代码\t职务\t负责人\t年销售额（万元）\n" \
                "温州市康华鞋业有限公司\t91330301MA285X0011\t副会长\t王建国\t52000\n" \
                "温州市新星鞋业有限公司\t\t会长\t邱明\t7000\n"


@pytest.fixture
def make_client(small_engine, tmp_path):
    def make(data_dir: Path = tmp_path / "data", token: str | None = None) -> TestClient:
        return TestClient(create_app(small_engine, data_dir, token=token))

    return make


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


def screen_form(client: TestClient, **fields: str) -> str:
    """Submit the screening form; the result page's address."""
    r = client.post("/screen", data={**DUPLICATE, "members_text": MEMBERS_PASTE, **fields}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def decide(client: TestClient, result_url: str, **form: str):
    return client.post(f"{result_url}/decisions", data={"reviewer": "张审查", "comment": "", **form},
                       follow_redirects=False)


def leftovers(data_dir: Path) -> list[Path]:
    """Anything left in the temporary upload area."""
    return list((data_dir / "uploads").glob("*"))


def verdict_badge(html: str) -> str:
    return re.search(r'class="badge verdict-(\w+) big"', html)[1]


# ------------------------------------------------------------------------------------------- screening


def test_form_screens_a_duplicate_with_evidence(client):
    url = screen_form(client)
    assert re.fullmatch(r"/screen/[0-9a-f]{16}/1", url)
    html = client.get(url).text
    assert verdict_badge(html) == "duplicate" and "重复设立" in html
    assert "温州市鞋业商会" in html and "温州市鞋革行业协会" in html
    assert "同一行政区域（温州市）" in html  # a reason
    assert "共有会员 1 家：</strong>温州市康华鞋业有限公司" in html
    assert "<mark>技术交流</mark>" in html  # overlapping scope phrase highlighted
    assert "鞋类（鞋业）" in html  # parsed industry core of the application
    assert "leader_overlap" in html


def test_api_screens_a_duplicate_with_the_format_object(client):
    body = {**DUPLICATE, "id": "API-1", "unknown_field": "ignored",
            "members": [{"member_name": "温州市康华鞋业有限公司", "member_id": "91330301MA285X0011", "role": "副会长",
                         "person": "王建国", "annual_sales": 52000, "extra": 1}]}
    r = client.post("/api/screen", json=body)
    assert r.status_code == 200, r.text
    result = r.json()
    assert set(result) == {"id", "name", "verdict", "matches", "findings", "batch_matches", "summary"}
    assert result["id"] == "API-1" and result["verdict"] == "duplicate"
    assert result["matches"][0]["id"] in EXISTING and result["matches"][0]["reasons"]
    page = client.get(r.headers["x-result-url"])
    assert page.status_code == 200 and verdict_badge(page.text) == "duplicate"


@pytest.mark.parametrize("body, status, expected", [
    ("{", 400, "不是有效的 JSON"),
    ("", 422, "JSON 对象"),
    ("[]", 422, "JSON 对象"),
    ('{"region": "温州市"}', 422, "字段 name：缺少必填字段"),
    ('{"name": ["温州市鞋业协会"]}', 422, "字段 name：应为文本或数字"),
    ('{"name": "温州市鞋业协会", "members": "x"}', 422, "字段 members：应为列表"),
    ('{"name": "温州市鞋业协会", "members": [{"role": "会长"}]}', 422, "字段 members.0.member_name：缺少必填字段"),
    ('{"name": ""}', 400, "name 为空"),
    ('{"name": "温州市鞋业协会", "founded": "去年"}', 400, "列 founded：「去年」不是有效日期"),
    ('{"name": "温州市鞋业协会", "members": [{"member_name": "甲公司", "annual_sales": "很多"}]}', 400,
     "列 members[0].annual_sales：「很多」不是数字"),
])
def test_api_answers_malformed_requests_in_chinese(client, body, status, expected):
    r = client.post("/api/screen", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert expected in r.json()["detail"]


def test_form_mistakes_are_shown_on_the_form(client):
    r = client.post("/screen", data={"name": "", "scope": "保留的内容"})
    assert r.status_code == 400 and "请填写申请组织的名称" in r.text and "保留的内容" in r.text
    bad_sales = MEMBERS_PASTE + "温州市某鞋厂\t\t会员\t\t很多\n"
    r = client.post("/screen", data={**DUPLICATE, "members_text": bad_sales})
    assert r.status_code == 400
    assert "第 4 行" in r.text and "列 annual_sales" in r.text and "「很多」不是数字" in r.text
    r = client.post("/screen", data={**DUPLICATE, "members_text": "职务\t负责人\n会长\t张三\n"})
    assert r.status_code == 400 and "缺少「会员名称」" in r.text


def test_member_file_upload_on_the_form(client):
    book = openpyxl.Workbook()
    book.active.append(["会员名称", "统一社会信用代码", "职务", "年销售额"])
    book.active.append(["温州市康华鞋业有限公司", "91330301MA285X0011", "会长", 52000])
    data = io.BytesIO()
    book.save(data)
    r = client.post("/screen", data=DUPLICATE, files={"members_file": ("会员.xlsx", data.getvalue())},
                    follow_redirects=False)
    html = client.get(r.headers["location"]).text
    assert "会员名单（1）" in html and "共有会员 1 家：</strong>温州市康华鞋业有限公司" in html


def test_pasted_members_with_or_without_a_header():
    rows = pasted_rows("会员名称\t年销售额（万元）\tMember ID\t备注\n甲公司\t12\tx1\t新入会\n\n乙公司\t\t\t\n")
    frame = members_frame(rows, "APP")
    assert list(frame.columns) == ["member_name", "annual_sales", "member_id", "备注", "association_id"]
    assert frame["association_id"].tolist() == ["APP", "", "APP"]  # the blank row stays, unassigned
    plain = members_frame(pasted_rows("甲公司\n乙公司\n"), "APP")
    assert plain["member_name"].tolist() == ["甲公司", "乙公司"]
    assert members_frame(pasted_rows("  \n"), "APP") is None
    assert pasted_rows("member_name,role\n甲公司,会长\n") == [["member_name", "role"], ["甲公司", "会长"]]
    with pytest.raises(InputError, match="会员名称"):
        members_frame([["职务"], ["会长"]], "APP")


# --------------------------------------------------------------------------------------------- batches


def batch_workbook() -> bytes:
    data = io.BytesIO()
    with pd.ExcelWriter(data, engine="openpyxl") as writer:
        for sheet in ("associations", "memberships"):
            pd.read_csv(APPS / f"{sheet}.csv", dtype=str).to_excel(writer, sheet_name=sheet, index=False)
    return data.getvalue()


def check_batch(client: TestClient, files: dict) -> str:
    r = client.post("/screen/batch", files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    html = client.get(r.headers["location"]).text
    links = re.findall(r'href="(/screen/[0-9a-f]{16}/\d+)"', html)
    assert len(links) == 7 and "温州市福建福鼎商会" in html
    for verdict in ("duplicate", "review", "clear", "reject"):
        assert f"badge verdict-{verdict}" in html
    first = client.get(links[0]).text
    assert verdict_badge(first) == "duplicate" and "本批 7 件" in first
    return html


def test_batch_upload_xlsx(client):
    check_batch(client, {"applications_file": ("申请.xlsx", batch_workbook())})


def test_batch_upload_csv_with_and_without_members(client, tmp_path):
    check_batch(client, {"applications_file": ("associations.csv", (APPS / "associations.csv").read_bytes()),
                         "memberships_file": ("memberships.csv", (APPS / "memberships.csv").read_bytes())})
    check_batch(client, {"applications_file": ("associations.csv", (APPS / "associations.csv").read_bytes())})
    assert not leftovers(tmp_path / "data")  # temporary folders are removed


@pytest.mark.parametrize("data, expected", [
    ("id,name\nX1,温州市鞋业协会\nX1,温州市眼镜商会\n".encode(), "文件 坏数据.csv，第 3 行，列 id：申请 id「X1」重复"),
    ("id,name,founded\nX1,温州市鞋业协会,去年\n".encode("gb18030"), "文件 坏数据.csv，第 2 行，列 founded"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "不支持旧版 .xls"),
    (b"\x00\x01\x02binary", "不是 CSV 文本文件"),
    (b"PK\x03\x04broken", "无法读取 Excel 工作簿"),
    (b"id,name\n" + "".join(f"X{k},温州市第{k}行业协会\n" for k in range(501)).encode(), "最多筛查 500 件"),
    (b"x" * (5 * 1024 * 1024 + 1), "超过 5 MB"),
])
def test_malformed_batches_get_clear_messages(client, tmp_path, data, expected):
    r = client.post("/screen/batch", files={"applications_file": ("坏数据.csv", data)})
    assert r.status_code == 400
    assert expected in r.text
    assert not leftovers(tmp_path / "data")


def test_oversized_request_is_refused_before_reading(client, monkeypatch):
    monkeypatch.setattr(web_app, "MAX_BODY_BYTES", 1000)
    r = client.post("/screen/batch", files={"applications_file": ("a.csv", b"x" * 2000)})
    assert r.status_code == 413 and "上传内容过大" in r.text


# ------------------------------------------------------------------------------------------- escaping


def test_user_text_is_escaped_everywhere(client):
    url = screen_form(client, name="<script>alert(1)</script>温州市鞋业协会", scope="<b>皮鞋</b>技术交流",
                      members_text="会员名称\n<img src=x onerror=alert(2)>\n")
    html = client.get(url).text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>皮鞋" not in html and "&lt;b&gt;" in html
    decide(client, url, decision="more_info", reviewer="<i>王</i>", comment="<script>x()</script>")
    listing = client.get("/decisions").text
    assert "<script>x()" not in listing and "&lt;i&gt;王&lt;/i&gt;" in listing


def test_highlight_marks_common_words_and_escapes_the_rest():
    phrases = common_phrases("组织皮鞋、鞋材企业技术交流", "鞋材生产企业的技术交流与展会")
    assert {"鞋材", "技术交流"} <= phrases and "企业" not in phrases  # generic words are not marked
    marked = str(highlight("<b>鞋材</b>与技术交流", phrases))
    assert marked == "&lt;b&gt;<mark>鞋材</mark>&lt;/b&gt;与<mark>技术交流</mark>"
    assert str(highlight("a<b", set())) == "a&lt;b"


# ------------------------------------------------------------------------------------------ decisions


def test_decisions_survive_a_restart(make_client, tmp_path):
    first = make_client()
    url = screen_form(first)
    r = decide(first, url, decision="join", target_id="R02", comment="引导加入温州市鞋业商会")
    assert r.status_code == 303 and "saved=" in r.headers["location"]
    assert "已记录审查决定" in first.get(r.headers["location"]).text

    again = make_client(tmp_path / "data")  # a new app on the same data dir
    listing = again.get("/decisions").text
    assert "温州市鞋类行业商会" in listing and "建议加入" in listing and "温州市鞋业商会" in listing
    [record] = again.get("/api/decisions").json()
    assert record["decision"] == "join" and record["target_id"] == "R02" and record["reviewer"] == "张审查"
    assert record["verdict"] == "duplicate" and record["top_match_id"] in EXISTING and record["top_match_score"] > 0.5
    assert record["application"]["name"] == DUPLICATE["name"] and len(record["application"]["members"]) == 2
    assert record["result"]["matches"] and set(record["model"]) == {"detector", "scorer", "embedding", "thresholds", "learned"}
    assert "引导加入温州市鞋业商会" in again.get(url).text  # the result page shows its audit trail
    assert again.get("/api/decisions", params={"decision": "reject"}).json() == []


def test_decision_mistakes_are_refused(client):
    url = screen_form(client)
    r = decide(client, url, decision="join", target_id="")
    assert r.status_code == 400 and "请选择要加入的已登记组织" in r.text
    r = decide(client, url, decision="approve", reviewer="")
    assert r.status_code == 400 and "请填写审查人姓名" in r.text
    r = decide(client, url, decision="maybe")
    assert r.status_code == 400 and "请选择审查决定" in r.text
    assert client.get(f"{url}/decisions").status_code == 405  # decisions are recorded by POST only
    assert client.get("/api/decisions").json() == []


def test_concurrent_reviewers_lose_nothing(small_engine, tmp_path):
    path = tmp_path / "decisions.sqlite"
    stores = [Store(path) for _ in range(4)]  # separate handles, as separate server processes would have
    run_id = stores[0].add_run("form", {"detector": "test"}, [], [({"name": "甲"}, {
        "id": "A1", "name": "甲", "verdict": "clear", "matches": []})])
    screening = stores[0].screening(run_id, 1)
    ids: list[int] = []
    lock = threading.Lock()

    def review(worker: int) -> None:
        for k in range(25):
            new = NewDecision(f"审查员{worker}", "approve", "", "", f"第 {k} 条")
            decision_id = stores[worker % 4].add_decision(screening, new, {"detector": "test"})
            with lock:
                ids.append(decision_id)

    threads = [threading.Thread(target=review, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == len(set(ids)) == 200
    assert stores[1].count_decisions() == 200
    assert {d.comment for d in stores[2].decisions(run_id=run_id, seq=1) if d.reviewer == "审查员3"} == \
        {f"第 {k} 条" for k in range(25)}
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE decisions SET decision = 'reject'")
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM decisions")


def test_excel_export_has_the_decisions(client):
    url = screen_form(client)
    decide(client, url, decision="reject", comment="=HYPERLINK(\"http://x\")")
    decide(client, url, decision="join", target_id="R01")
    r = client.get("/decisions.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("编号", "时间", "审查人", "申请编号", "申请名称", "工具结论") and len(rows) == 3
    assert rows[1][8] == "建议加入" and rows[1][10] == "温州市鞋革行业协会"  # newest first
    assert rows[2][8] == "不予登记" and rows[2][5] == "重复设立"
    comment = sheet.cell(row=3, column=12)
    assert comment.value.startswith("=HYPERLINK") and comment.data_type == "s"  # text, never a formula
    only = openpyxl.load_workbook(io.BytesIO(client.get("/decisions.xlsx?decision=join").content)).active
    assert only.max_row == 2


# ------------------------------------------------------------------------------- registry and study


def test_registry_search_and_association_page(client):
    html = client.get("/registry", params={"q": "鞋"}).text
    assert "温州市鞋革行业协会" in html and "温州市鞋业商会" in html and "眼镜" not in html
    html = client.get("/registry", params={"type": "异地商会"}).text
    assert "温州市江西商会" in html and "鞋革" not in html
    assert "第 1 / 1 页" not in html  # one page: no pager
    assert client.get("/registry", params={"page": 0}).status_code == 422
    page = client.get("/registry/R01").text
    assert "鞋革（鞋业）" in page and "行业协会" in page  # parsed name
    assert "温州市康华鞋业有限公司" in page and "王建国" in page  # members
    similar = page.split("最相似的已登记组织")[1]
    assert "温州市鞋业商会" in similar and "badge relation-duplicate" in similar
    assert "第 1 组" in page  # listed in a proposed merger
    r = client.get("/registry/NOPE")
    assert r.status_code == 404 and "没有编号为 NOPE 的组织" in r.text


def test_api_association_and_study(client):
    data = client.get("/api/associations/R01").json()
    assert data["association"]["name"] == "温州市鞋革行业协会" and data["association"]["founded"] == "1991-05-10"
    assert data["parsed_name"]["industry_core"] == "鞋革" and len(data["members"]) == 7
    assert data["similar"][0]["id"] == "R02"
    r = client.get("/api/associations/NOPE")
    assert r.status_code == 404 and r.json() == {"detail": "登记库中没有编号为 NOPE 的组织"}
    study = client.get("/api/study").json()
    assert {"groups", "findings", "hubs", "party_branches"} <= set(study)
    assert any(set(g["ids"]) == EXISTING for g in study["groups"])


def test_study_page(client):
    html = client.get("/study").text
    assert "建议合并的分组" in html and "建议保留" in html and "温州市鞋革行业协会" in html
    assert "合并后：会员" in html and "coverage_counties" in html
    svg = client.get("/study/network.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith("<svg")


# ------------------------------------------------------------------------------- access, docs, command


def test_token_is_required_when_set(make_client):
    client = make_client(token="s3cret")
    r = client.get("/screen")
    assert r.status_code == 401 and "需要访问令牌" in r.text
    assert client.get("/api/study").json()["detail"].startswith("需要访问令牌")
    assert client.get("/screen", params={"token": "wrong"}).status_code == 401
    assert client.get("/screen", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    r = client.get("/registry?q=鞋&token=s3cret", follow_redirects=False)
    assert r.status_code == 303 and "token" not in r.headers["location"] and "detector_token" in r.headers["set-cookie"]
    assert client.get("/screen").status_code == 200  # the cookie now carries it
    assert client.get("/static/style.css").status_code == 200


def test_docs_are_local_and_openapi_works(client):
    html = client.get("/docs").text
    assert "/api/screen" in html and "/api/associations/{association_id}" in html
    assert "<script" not in html and "cdn" not in html.lower()
    spec = client.get("/openapi.json").json()
    assert {"/api/screen", "/api/study", "/api/decisions"} <= set(spec["paths"])
    assert not any(p.startswith("/screen") for p in spec["paths"])  # pages stay out of the API description
    css = client.get("/static/style.css").text
    assert "http" not in css  # no external assets


def test_unknown_pages_and_methods_answer_in_chinese(client):
    r = client.get("/nope")
    assert r.status_code == 404 and "页面或数据不存在" in r.text
    assert client.get("/screen/0000000000000000").status_code == 404
    assert client.delete("/api/study").json()["detail"] == "不支持该请求方法"


def test_serve_command_help_and_data_dir(tmp_path):
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "--data-dir" in r.output and "DETECTOR_TOKEN" in r.output
    assert default_data_dir(tmp_path / "registry") == tmp_path.resolve() / "detector-data"
    assert default_data_dir(None).name == "serve-demo"
