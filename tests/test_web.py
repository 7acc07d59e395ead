"""The reviewer workbench (detector serve) through FastAPI's TestClient, on the small registry."""
from __future__ import annotations

import io
import re
import sqlite3
import threading
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SMALL
from detector.cli import cli
from detector.errors import InputError
from detector.web import app as web_app
from detector.web.app import create_app, default_data_dir
from detector.web.db import NewDecision, StaleDecision, Store
from detector.io import column_label
from detector.web.forms import form_application, members_frame, pasted_rows
from detector.policy import MEASURE_TITLES
from detector.web.viewmodels import LAYOUT_ANCHORS, common_phrases, highlight

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
        return TestClient(create_app(small_engine, data_dir, token=token), base_url="http://127.0.0.1")

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


def key(n: int) -> str:
    """A form's one-time submission key."""
    return f"{n:032x}"


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
    assert set(result) == {"id", "name", "verdict", "matches", "findings", "batch_matches", "summary", "industry"}
    assert result["industry"]["key"] == "footwear" and result["industry"]["source"] == "按名称"
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
    assert "第 4 行" in r.text and "列 年销售额（万元）" in r.text and "「很多」不是数字" in r.text  # Chinese column names
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
    ("id,name\nX1,温州市鞋业协会\nX1,温州市眼镜商会\n".encode(), "文件 坏数据.csv，第 3 行，列 编号：申请 id「X1」重复"),
    ("id,name,founded\nX1,温州市鞋业协会,去年\n".encode("gb18030"), "文件 坏数据.csv，第 2 行，列 成立日期"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "不支持旧版 .xls"),
    (b"\x00\x01\x02binary", "不是 CSV 文本文件"),
    (b"PK\x03\x04broken", "Excel 工作簿已损坏，无法打开"),
    (b"id,name\n" + "".join(f"X{k},温州市第{k}行业协会\n" for k in range(501)).encode(), "最多筛查 500 件"),
    (b"x" * (5 * 1024 * 1024 + 1), "超过 5 MB"),
])
def test_malformed_batches_get_clear_messages(client, tmp_path, data, expected):
    r = client.post("/screen/batch", files={"applications_file": ("坏数据.csv", data)})
    assert r.status_code == 400
    assert expected in r.text
    assert not leftovers(tmp_path / "data")


def test_oversized_request_is_refused_before_reading(make_client, monkeypatch):
    monkeypatch.setattr(web_app, "MAX_BODY_BYTES", 1000)
    client = make_client()
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
    run_id = stores[0].add_run("form", {"detector": "test"}, [], [({"name": f"甲{k}"}, {
        "id": f"A{k}", "name": f"甲{k}", "verdict": "clear", "matches": []}) for k in range(8)])
    ids: list[int] = []
    lock = threading.Lock()

    def review(worker: int) -> None:  # each worker decides on its own application, correcting itself
        screening = stores[worker % 4].screening(run_id, worker + 1)
        last = None
        for k in range(25):
            new = NewDecision(f"审查员{worker}", "approve", "", "", f"第 {k} 条")
            last = stores[worker % 4].add_decision(screening, new, {"detector": "test"}, supersedes=last)
            with lock:
                ids.append(last)

    threads = [threading.Thread(target=review, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == len(set(ids)) == 200
    assert stores[1].count_decisions() == 200 and stores[1].count_decisions(current=True) == 8
    assert {d.comment for d in stores[2].decisions(run_id=run_id, seq=4)} == {f"第 {k} 条" for k in range(25)}
    assert [d.comment for d in stores[3].decisions(current=True)] == ["第 24 条"] * 8
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE decisions SET decision = 'reject'")
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM decisions")


def test_a_stale_correction_is_refused(tmp_path):
    store = Store(tmp_path / "d.sqlite")
    run_id = store.add_run("form", {}, [], [({"name": "甲"}, {"id": "A1", "name": "甲", "verdict": "clear", "matches": []})])
    screening = store.screening(run_id, 1)
    first = store.add_decision(screening, NewDecision("甲", "approve", "", "", ""), {})
    with pytest.raises(StaleDecision) as stale:  # a second reviewer who has not seen the first decision
        store.add_decision(screening, NewDecision("乙", "reject", "", "", ""), {})
    assert stale.value.current.decision_id == first
    second = store.add_decision(screening, NewDecision("乙", "reject", "", "", "更正"), {}, supersedes=first)
    assert [d.decision_id for d in store.decisions(current=True)] == [second]
    assert store.decisions(run_id=run_id, seq=1)[0].supersedes == first


def test_excel_export_has_the_decisions(client):
    url = screen_form(client)
    decide(client, url, decision="reject", comment="=HYPERLINK(\"http://x\")")
    decide(client, url, decision="join", target_id="R01", supersedes="1")
    r = client.get("/decisions.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["审查记录", "筛查数据"]  # the raw JSON on a sheet of its own
    sheet = book["审查记录"]
    assert sheet["A1"].value.startswith("审查记录（2 条")  # the title above the header
    header = [c.value for c in sheet[2]]
    assert header[:6] == ["编号", "时间", "审查人", "申请编号", "申请名称", "工具结论"]
    assert not any("JSON" in h for h in header)
    col = {h: k for k, h in enumerate(header, 1)}
    newest, oldest = (list(sheet.iter_rows(min_row=row, max_row=row))[0] for row in (3, 4))
    assert newest[col["审查决定"] - 1].value == "建议加入" and newest[col["建议加入组织"] - 1].value == "温州市鞋革行业协会"
    assert oldest[col["审查决定"] - 1].value == "不予登记" and oldest[col["工具结论"] - 1].value == "重复设立"
    assert newest[col["状态"] - 1].value == "当前决定（更正 #1）" and oldest[col["状态"] - 1].value == "已被更正"
    when = newest[col["时间"] - 1]
    assert isinstance(when.value, datetime) and when.number_format == "yyyy-mm-dd hh:mm"  # a real date
    probability = newest[col["重复可能性"] - 1]
    assert 0.5 < probability.value <= 1 and probability.number_format == "0%"
    link = newest[col["筛查结果"] - 1]
    assert link.hyperlink.target == f"http://127.0.0.1{url}"  # absolute: opens outside the workbench
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:{get_column_letter(len(header))}4"
    assert sheet.print_title_rows == "$2:$2" and sheet.page_setup.orientation == "landscape"
    comment = oldest[col["审查意见"] - 1]
    assert comment.value.startswith("=HYPERLINK") and comment.data_type == "s"  # text, never a formula
    assert comment.alignment.wrap_text
    data = book["筛查数据"]
    assert data["B3"].value.startswith("{") and "温州市鞋类行业商会" in data["B3"].value
    only = openpyxl.load_workbook(io.BytesIO(client.get("/decisions.xlsx?decision=join").content))["审查记录"]
    assert only.max_row == 3


# ------------------------------------------------------------------------------- registry and study


def test_registry_search_and_association_page(client):
    html = client.get("/registry", params={"q": "鞋"}).text.split('id="registry"')[1]
    assert "温州市鞋革行业协会" in html and "温州市鞋业商会" in html and "眼镜" not in html
    html = client.get("/registry", params={"type": "异地商会"}).text
    assert "温州市江西商会" in html and "鞋革" not in html
    assert "第 1 / 1 页" not in html  # one page: no pager
    assert client.get("/registry", params={"page": 0}).status_code == 422
    page = client.get("/registry/R01").text
    assert "鞋革（鞋业）" in page and "行业协会" in page  # parsed name
    assert "温州市康华鞋业有限公司" in page and "王建国" in page  # members
    similar = page.split("相似的已登记组织")[1]
    assert "温州市鞋业商会" in similar and "badge relation-duplicate" in similar
    groups = client.get("/api/study").json()["groups"]  # most certain first
    k = next(n for n, g in enumerate(groups, 1) if "R01" in g["ids"])
    assert f"第 {k} 组" in page  # listed in a proposed merger
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
    assert '<svg class="network"' in html  # drawn in the page, every node titled


def test_study_page_shows_the_four_layout_measures_with_links_into_the_report(client):
    html = client.get("/study").text
    start = html.index('id="layout"')
    layout = html[start:html.index("</section>", start)]
    for title in MEASURE_TITLES.values():
        assert title in layout
    for anchor in LAYOUT_ANCHORS:
        assert f'/study/report.html#{anchor}"' in layout
    report = client.get("/study/report.html").text
    assert all(f'id="{anchor}"' in report for anchor in LAYOUT_ANCHORS)


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
    assert not re.search(r'<script(?! src="/static/)', html) and "cdn" not in html.lower()  # no inline script
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


# ------------------------------------------------------------------------ issue 10: reviewer's first hour


def test_numbers_have_one_name_and_a_gated_match_shows_its_reason(client):
    r = client.post("/api/screen", json={"name": "瑞安市鞋业协会", "region": "瑞安市", "industry": "鞋业",
                                         "scope": "瑞安鞋业企业的行业自律与技术交流"})
    result = r.json()
    assert result["verdict"] == "clear"
    related = [m for m in result["matches"] if m["relation"] == "related"]
    assert related and all(m["score"] == 0 and m["gate"].startswith("上下级行政区域") for m in related)
    assert {"score", "similarity"} <= set(related[0])  # JSON keys stay
    html = client.get(r.headers["x-result-url"]).text
    assert "不构成重复：上下级行政区域（瑞安市/温州市）" in html
    for other in ("相关度", "得分", "（1.00）"):
        assert other not in html
    duplicate = client.get(screen_form(client)).text
    assert re.search(r"重复可能性 (&gt; 99%|\d{1,2}%)", duplicate) and "（重复可能性" in duplicate  # also the headline
    assert "相似度 0.00" not in duplicate and "证据相似度" in duplicate


def chinese_workbook(sheets: tuple[str, str] = ("协会商会", "会员")) -> bytes:
    """The small batch with Chinese sheet and column names."""
    data = io.BytesIO()
    with pd.ExcelWriter(data, engine="openpyxl") as writer:
        for table, sheet in zip(("associations", "memberships"), sheets, strict=True):
            frame = pd.read_csv(APPS / f"{table}.csv", dtype=str)
            frame.columns = [column_label(c, table) for c in frame.columns]
            frame.to_excel(writer, sheet_name=sheet, index=False)
    return data.getvalue()


def test_batch_upload_with_chinese_column_and_sheet_names(client, tmp_path):
    check_batch(client, {"applications_file": ("申请.xlsx", chinese_workbook())})
    check_batch(client, {"applications_file": ("申请.xlsx", chinese_workbook(("associations", "memberships")))})
    csvs = {}
    for table in ("associations", "memberships"):
        frame = pd.read_csv(APPS / f"{table}.csv", dtype=str)
        frame.columns = [column_label(c, table) for c in frame.columns]
        csvs[table] = frame.to_csv(index=False).encode("utf-8-sig")
    check_batch(client, {"applications_file": ("申请.csv", csvs["associations"]),
                         "memberships_file": ("会员.csv", csvs["memberships"])})


def test_templates_download_and_screen_as_they_are(client):
    r = client.get("/screen")
    for href in ("/templates/applications.xlsx", "/templates/associations.csv", "/templates/memberships.csv"):
        assert f'href="{href}"' in r.text
    xlsx = client.get("/templates/applications.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["协会商会", "会员", "说明"]
    assert [c.value for c in book["协会商会"][1]][:3] == ["编号", "名称", "登记区域"]
    notes = [[c.value for c in row] for row in book["说明"].iter_rows(min_row=2) if row[1].value]
    assert ["协会商会", "名称", "是"] == notes[1][:3] and any(n[1] == "会员名称" for n in notes)
    r = client.post("/screen/batch", files={"applications_file": ("模板.xlsx", xlsx.content)}, follow_redirects=False)
    assert r.status_code == 303 and verdict_badge(client.get(r.headers["location"]).text) == "duplicate"
    apps, members = (client.get(f"/templates/{t}.csv").content for t in ("associations", "memberships"))
    assert apps.startswith("\ufeff".encode()) and "名称".encode() in apps
    r = client.post("/screen/batch", files={"applications_file": ("a.csv", apps), "memberships_file": ("m.csv", members)},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "共有会员 1 家" in client.get(r.headers["location"]).text  # the members were read too
    assert client.get("/templates/nope.xlsx").status_code == 404


def zip_bytes(name: str) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr(name, "x")
    return data.getvalue()


@pytest.mark.parametrize("name, data, expected", [
    ("申请.xlsx", "id,name\nX1,温州市鞋业协会\n".encode(), "内容不是 Excel 工作簿（可能是改了扩展名的其他文件）"),
    ("申请.xlsx", b"PK\x03\x04" + b"\x00" * 40, "Excel 工作簿已损坏，无法打开"),
    ("申请.xlsx", zip_bytes("word/document.xml"), "这是 ZIP 压缩文件"),
    ("申请.xlsx", b"%PDF-1.7 binary", "内容不是 Excel 工作簿"),
])
def test_renamed_or_corrupt_workbooks_are_named_as_such(client, name, data, expected):
    r = client.post("/screen/batch", files={"applications_file": (name, data)})
    assert r.status_code == 400 and expected in r.text and "缺少必需的列" not in r.text
    r = client.post("/screen", data=DUPLICATE, files={"members_file": ("会员.xlsx", data)})
    assert r.status_code == 400 and expected in r.text


def test_decision_form_errors_by_field_keep_what_was_typed(client):
    url = screen_form(client)
    page = client.get(url).text
    assert 'name="reviewer" maxlength="50" required' in page and 'type="radio" name="decision" value="approve" required' in page
    best = re.search(r'<option value="(\w+)" selected>', page)[1]
    assert best in EXISTING  # 建议加入 proposes the best duplicate match
    r = decide(client, url, decision="join", target_id="", reviewer="", comment="我写的意见")
    assert r.status_code == 400
    assert 'id="err-target">选择“建议加入”时，请选择要加入的已登记组织' in r.text
    assert 'id="err-reviewer">请填写审查人姓名' in r.text and "我写的意见" in r.text
    assert 'action="' + url + '/decisions#decisions"' in r.text  # the answer opens at the form
    assert "尚未保存" in r.text and client.get("/api/decisions").json() == []


def test_a_decision_is_corrected_by_a_new_record(client):
    url = screen_form(client)
    first = decide(client, url, decision="join", target_id="R02", submission=key(1))
    assert first.status_code == 303
    page = client.get(first.headers["location"]).text
    assert "已记录审查决定 #1：建议加入（温州市鞋业商会）" in page and "更正审查决定" in page
    assert 'name="supersedes" value="1"' in page
    stale = decide(client, url, decision="reject", submission=key(2))  # a form from before the first decision
    assert stale.status_code == 409 and "本申请刚有新的审查决定 #1" in stale.text
    again = decide(client, url, decision="reject", comment="更正：不予登记", supersedes="1", submission=key(3))
    assert again.status_code == 303
    current = client.get("/decisions").text
    assert "更正 #1" in current and "共 1 件申请的当前决定（全部记录 2 条）" in current
    assert current.count("badge decision-") == 1
    assert client.get("/decisions", params={"show": "all"}).text.count("badge decision-") == 2
    trail = client.get(url).text
    assert "已被更正" in trail and "当前决定（更正 #1）" in trail
    assert [d["supersedes"] for d in client.get("/api/decisions").json()] == [1, None]


def test_the_same_submission_is_stored_once(client, make_client, small_engine):
    fields = {**DUPLICATE, "members_text": MEMBERS_PASTE, "submission": key(7)}
    first = client.post("/screen", data=fields, follow_redirects=False).headers["location"]
    assert client.post("/screen", data=fields, follow_redirects=False).headers["location"] == first
    once = decide(client, first, decision="approve", submission=key(8))
    assert decide(client, first, decision="approve", submission=key(8)).headers["location"] == once.headers["location"]
    assert len(client.get("/api/decisions").json()) == 1
    headers = {"Idempotency-Key": "abc-1"}
    a = client.post("/api/screen", json={"name": "温州市眼镜商会"}, headers=headers).headers["x-result-url"]
    b = client.post("/api/screen", json={"name": "温州市眼镜商会"}, headers=headers).headers["x-result-url"]
    assert a == b
    # two submissions racing: one screening, both answered with its run
    wb = client.app.state.workbench
    apps = form_application(DUPLICATE, "", None, small_engine.registry.home)
    runs: list[str] = []
    threads = [threading.Thread(target=lambda: runs.append(wb.screen(apps, "form", key(9)))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(runs)) == 1 and len(runs) == 3
    assert sum(r.first_name == DUPLICATE["name"] for r in wb.store.recent_runs(50)) == 2  # the form's, the race's


def test_batch_page_filters_exports_and_shows_decisions(client):
    r = client.post("/screen/batch", files={"applications_file": ("申请.xlsx", batch_workbook())}, follow_redirects=False)
    batch = r.headers["location"]
    decide(client, f"{batch}/1", decision="join", target_id="R02")
    html = client.get(batch).text
    assert "已有审查决定 1 / 7 件" in html and html.count("待审查") == 6
    only = client.get(batch, params={"verdict": "duplicate"}).text
    assert only.count('<td><a href="/screen/') == 3 and "温州市福建福鼎商会" not in only
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{batch}/results.xlsx").content))
    sheet = book["筛查结果"]
    header = [c.value for c in sheet[2]]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 7 and rows[0][header.index("审查决定")] == "建议加入"
    assert rows[3][header.index("说明")].startswith("不构成重复")  # 瑞安市鞋业协会: the gate, not a number
    assert rows[3][header.index("重复可能性")] is None
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A3"


def test_opinion_prints_and_downloads_as_pdf(client):
    url = screen_form(client)
    decide(client, url, decision="join", target_id="R02", reviewer="李审查", comment="同一区域同一行业")
    html = client.get(f"{url}/opinion").text
    assert 'class="top"' not in html and "<nav" not in html  # no navigation on the printed sheet
    for part in ("行业协会商会登记申请审查意见书", "一、申请基本情况", "二、筛查结论", "三、相似的已登记组织",
                 "四、政策规则提示", "五、审查决定", "建议加入：温州市鞋业商会", "李审查", "同一区域同一行业"):
        assert part in html
    assert "leader_overlap" not in html and "<script>" not in html
    r = client.get(f"{url}/opinion.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert 'filename="download.pdf"' in r.headers["content-disposition"]
    from weasyprint import CSS, HTML

    from detector.web.templating import HERE
    pdf_html = html.replace('<link rel="stylesheet" href="/static/opinion.css">', "")
    pages = HTML(string=pdf_html).render(stylesheets=[CSS(filename=str(HERE / "static" / "opinion.css"))]).pages
    assert 1 <= len(pages) <= 2  # A4, one to two pages
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", r.content, re.S)
    text = b"".join(zlib.decompress(x) for x in streams if x[:1] == b"x") + r.content
    assert b"NotoSerifCJK" in text.replace(b"-", b"")  # a Chinese font is embedded


def test_registry_search_reads_names_as_screening_does(client):
    def names(**params: str) -> list[str]:
        html = client.get("/registry", params=params).text
        return re.findall(r'<td><a href="/registry/[^"]+">([^<]+)</a></td>', html)

    shoes = {"温州市鞋革行业协会", "温州市鞋业商会", "温州市鞋革研究会"}
    assert set(names(q="鞋")) == shoes and set(names(q="制鞋")) == shoes  # 制鞋: through the industry vocabulary
    assert names(q="温州市鞋革行业协会")[0] == "温州市鞋革行业协会"  # the exact name first
    assert names(q="江西") == ["温州市江西商会", "温州市赣商联合会"]  # by name, then by origin
    assert "温州市汽车销售行业协会" in names(q="汽配")  # related industry, ranked after the same industry
    assert names(q="汽配")[-1] == "温州市汽车销售行业协会"
    assert set(names(industry="footwear")) == shoes
    assert set(names(q="鞋", type="研究会")) == {"温州市鞋革研究会"}
    assert names(q="鞋", region="瑞安市") == []
    css = client.get("/static/style.css").text
    assert "\nnav a {" not in css and "nav.main a" in css  # the pager is no longer coloured like the header


def test_study_page_summarises_and_pages_its_findings(client):
    html = client.get("/study").text
    assert html.index("组建议合并") < html.index("建议合并的分组") < html.index("政策规则提示（")
    assert 'href="/study/report.html"' in html and 'href="/study/study.xlsx"' in html
    assert "<title>温州市鞋革行业协会　温州市　建议保留</title>" in html  # the network names nodes on hover
    assert "PageRank" not in html and "平均得分" not in html
    total = len(client.get("/api/study").json()["findings"])
    one = client.get("/study", params={"rule": "coverage_counties"}).text
    assert 0 < one.count('title="coverage_counties">会员覆盖县级单位不足一半</span></td>') < total
    assert client.get("/study/report.html").text.startswith("<!DOCTYPE html>")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/study/study.xlsx").content))
    assert book.sheetnames[0] == "概要"


def test_association_page_lists_what_screening_would(client):
    # the same relation logic as screening: 业务交叉 (a related industry) is listed for review even though the
    # evidence alone is weak, and a body the policy rules out is listed with its reason, not a number
    similar = client.get("/registry/R03").text.split("相似的已登记组织")[1]  # 温州市汽摩配行业协会
    assert "温州市汽车销售行业协会" in similar and "badge relation-review" in similar
    similar = client.get("/registry/R09").text.split("相似的已登记组织")[1]  # 温州市眼镜行业协会
    assert "温州市眼视光学会" in similar and "不构成重复：学会/研究会与行业协会商会性质不同" in similar
    assert [s["relation"] for s in client.get("/api/associations/R01").json()["similar"]] == ["duplicate", "related"]


def test_study_page_lists_findings_on_member_enterprises(tmp_path, embedder):
    """member_burden findings are on enterprises, not associations: listed without a registry link."""
    from detector.engine import Engine

    names = ["鞋业", "眼镜", "服装", "阀门", "电器", "汽摩配", "印刷"]
    (tmp_path / "associations.csv").write_text(
        "id,name\n" + "".join(f"B{k},温州市{n}行业协会\n" for k, n in enumerate(names)), encoding="utf-8")
    (tmp_path / "memberships.csv").write_text(
        "association_id,member_name\n" + "".join(f"B{k},温州市多会实业有限公司\n" for k in range(len(names))),
        encoding="utf-8")
    engine = Engine.load(tmp_path, embedder=embedder)
    client = TestClient(create_app(engine, tmp_path / "data"), base_url="http://127.0.0.1")
    r = client.get("/study", params={"rule": "member_burden"})
    assert r.status_code == 200, r.text
    assert "温州市多会实业有限公司（会员企业）" in r.text or "多会实业" in r.text


def test_result_page_shows_the_industry_screening_decided(client):
    """The 申请信息 table names the industry decided from all the evidence and where it came from (issue 16)."""
    url = screen_form(client, name="温州市瓯越产业发展促进会", industry="", type="行业协会",
                      scope="组织皮鞋、鞋材生产企业开展鞋类技术交流；举办鞋业展会；开展制鞋行业维权和鞋类质量检测")
    html = client.get(url).text
    assert re.search(r"<th>判定行业</th><td>鞋业 <span class=\"inferred\">（按业务范围判断）</span>", html)
    assert re.search(r"<th>判定行业</th><td>鞋业（按业务范围判断）</td>", client.get(f"{url}/opinion").text)
