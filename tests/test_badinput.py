"""The bad-input corpus: what a careless user or an attacker sends to the command line and the workbench.

Each case asserts the kind of message (a phrase of the Chinese message, and where: file, row, column),
that it is a clear error and never a traceback or 内部错误, and that nothing is left behind (no output
file, no temporary file, no stored screening or decision, no upload folder).
"""
from __future__ import annotations

import errno
import io
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SMALL
from detector.cli import cli
from detector.web.app import create_app

HEADER = "id,name,region,type,industry"
OK_ROW = "A1,温州市鞋革行业协会,温州市,行业协会,鞋革"


@dataclass(frozen=True)
class Case:
    files: dict[str, bytes]  # file name → content (a folder registry), or one "*.xlsx"/"*.xls"/… file
    phrase: str  # must appear in the message
    file: str | None = None  # the file the message names (its name)
    row: int | None = None
    column: str | None = None


def csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def assoc(header: str, *rows: str) -> dict[str, bytes]:
    return {"associations.csv": csv(header, *rows)}


def cell(column: str, value: str) -> Case:
    """One bad value in associations.csv (row 3; row 2 is fine)."""
    return Case(assoc(f"id,name,{column}", "A1,温州市鞋革行业协会,", f"A2,乐清市电气行业协会,{value}"), value[:20],
                "associations.csv", 3, column)


def member(column: str, value: str, phrase: str) -> Case:
    files = {**assoc(HEADER, OK_ROW),
             "memberships.csv": csv(f"association_id,member_name,{column}", "A1,张三,", f"A1,李四,{value}")}
    return Case(files, phrase, "memberships.csv", 3, column)


def workbook(rows: list[list[object]], title: str = "associations", far: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if far:
        ws[far] = "x"
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"badinput-{os.getpid()}-{title}.xlsx"
    wb.save(path)
    data = path.read_bytes()
    path.unlink()
    return data


def zip_bomb() -> bytes:
    """An .xlsx-looking archive whose sheet unpacks to 3.75 GB, as its directory says (a real one needs
    minutes to pack; the check reads the sizes the directory declares, and reading never exceeds them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (0xF0000000).to_bytes(4, "little")  # uncompressed size
    return bytes(data)


LONG_NAME = "温" * 201
REGISTRY_CASES: dict[str, Case] = {
    # files and encodings
    "empty file": Case({"associations.csv": b""}, "文件为空", "associations.csv"),
    "only blanks": Case({"associations.csv": b" \r\n\n  "}, "文件为空", "associations.csv"),
    "png renamed": Case({"associations.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "不是 CSV", "associations.csv"),
    "workbook renamed .csv": Case({"associations.csv": b"PK\x03\x04" + b"\x00" * 40}, "Excel 工作簿", "associations.csv"),
    "nul late in the file": Case({"associations.csv": csv(HEADER, *[f"A{i},温州市第{i}行业协会,,," for i in range(3000)])
                                  + b"B1,x\x00y,,,\n"}, "NUL", "associations.csv"),
    "latin-1": Case({"associations.csv": csv("id,name", "A1,Müller Straße Verein für Äpfel", encoding="latin-1")},
                    "无法可靠识别文件编码", "associations.csv"),
    "cyrillic koi8-r": Case({"associations.csv": csv("id,name", "A1,Пример ассоциации", encoding="koi8-r")},
                            "无法可靠识别文件编码", "associations.csv"),
    "greek cp1253": Case({"associations.csv": csv("id,name", "A1,Ωμέγα αλφα βήτα", encoding="cp1253")},
                         "无法可靠识别文件编码", "associations.csv"),
    "shift_jis": Case({"associations.csv": csv("id,name", "A1,日本の協会とカタカナ", encoding="shift_jis")},
                      "无法可靠识别文件编码", "associations.csv"),
    "utf-8 with one gbk row": Case({"associations.csv": csv("id,name", OK_ROW.split(",", 2)[0] + ",温州市鞋革行业协会",
                                                            "A2,乐清市电气行业协会", "A3,瑞安市眼镜商会")
                                    .replace("乐清市电气".encode(), "乐清市电气".encode("gbk"))},
                                   "不是有效的 UTF-8", "associations.csv", 3),
    "utf-16 without bom": Case({"associations.csv": csv("id,name", "A1,温州市鞋革行业协会").decode().encode("utf-16-le")},
                               "UTF-16", "associations.csv"),
    "no associations.csv": Case({"memberships.csv": csv("association_id,member_name")}, "缺少 associations.csv"),
    # structure
    "no id column": Case(assoc("name", "温州市鞋革行业协会"), "缺少必需的列 id", "associations.csv", 1, "id"),
    "no name column": Case(assoc("id,region", "A1,温州市"), "缺少必需的列 name", "associations.csv", 1, "name"),
    "duplicate column": Case(assoc("id,name,Name", "A1,甲协会,x"), "列名 name 重复", "associations.csv", 1, "name"),
    "data without header": Case(assoc("id,name,", "A1,甲协会,x"), "有数据但没有列名", "associations.csv", 1),
    "too many fields": Case(assoc("id,name", "A1,甲协会", "A2,乙协会,多余"), "表头只有 2 个", "associations.csv", 3),
    "unclosed quote": Case(assoc("id,name", "A1,甲协会", 'A2,"乙协会'), "引号没有闭合", "associations.csv", 3),
    "header only": Case(assoc(HEADER), "只有表头", "associations.csv"),
    "300 columns": Case(assoc(",".join(["id", "name", *(f"c{i}" for i in range(300))]), "A1,甲协会"),
                        "最多 200 列", "associations.csv", 1),
    "empty id": Case(assoc("id,name", "A1,甲协会", ",乙协会"), "id 为空", "associations.csv", 3, "id"),
    "empty name": Case(assoc("id,name", "A1,甲协会", "A2,"), "name 为空", "associations.csv", 3, "name"),
    "duplicate id": Case(assoc("id,name", "A1,甲协会", "A2,乙协会", "A1,丙协会"), "重复（第 2 行已使用）",
                         "associations.csv", 4, "id"),
    "name too long": Case(assoc("id,name", "A1,甲协会", f"A2,{LONG_NAME}"), "内容过长（201 字）", "associations.csv",
                          3, "name"),
    "scope too long": Case(assoc("id,name,scope", "A1,甲协会,x", f"A2,乙协会,{'鞋' * 10_001}"), "不超过 10,000 字",
                           "associations.csv", 3, "scope"),
    # numbers
    "staff 20 digits": cell("staff_fulltime", "99999999999999999999"),
    "party members 1e30": cell("party_members", "1e30"),
    "staff not a number": cell("staff_fulltime", "abc"),
    "staff fraction": cell("staff_fulltime", "2.5"),
    "party members negative": cell("party_members", "-3"),
    "term zero": cell("term_years", "0"),
    "term fifty": cell("term_years", "50"),
    "staff infinity": cell("staff_fulltime", "inf"),
    # dates
    "founded 2999": cell("founded", "2999-01-01"),
    "founded 1600": cell("founded", "1600-01-01"),
    "founded year 0": cell("founded", "0000-01-01"),
    "election 9999-12-31": cell("last_election", "9999-12-31"),
    "founded 30 February": cell("founded", "2020-02-30"),
    "founded in words": cell("founded", "去年"),
    "election month only": cell("last_election", "2020-01"),
    # choices
    "status unknown": cell("status", "存续"),
    "has_office unknown": cell("has_office", "也许"),
    "inspection unknown": cell("inspection", "优秀"),
    # memberships and statistics
    "member of unknown association": Case({**assoc(HEADER, OK_ROW), "memberships.csv": csv(
        "association_id,member_name", "A1,张三", "A9,李四")}, "A9", "memberships.csv", 3, "association_id"),
    "empty member name": Case({**assoc(HEADER, OK_ROW), "memberships.csv": csv(
        "association_id,member_name", "A1,张三", "A1,")}, "member_name 为空", "memberships.csv", 3, "member_name"),
    "member kind unknown": member("member_kind", "单位", "企业 / 个人"),
    "sales infinite": member("annual_sales", "inf", "不是数字"),
    "sales negative": member("annual_sales", "-1", "负数"),
    "sales 1e300": member("annual_sales", "1e300", "超出合理范围"),
    "units fraction": Case({**assoc(HEADER, OK_ROW), "industry_stats.csv": csv("industry,region,units", "鞋革,温州市,1.5")},
                           "不是整数", "industry_stats.csv", 2, "units"),
    # workbooks and other files
    "broken xlsx": Case({"registry.xlsx": b"not a zip file at all"}, "不是 Excel 工作簿", "registry.xlsx"),
    "xlsx without associations sheet": Case({"registry.xlsx": workbook([["id", "name"], ["A1", "甲协会"]], "Sheet1")},
                                            "缺少工作表 associations", "registry.xlsx"),
    "xlsx cell at XFD1048576": Case({"registry.xlsx": workbook([["id", "name"], ["A1", "温州市鞋革行业协会"]],
                                                               far="XFD1048576")}, "最多 200 列", "registry.xlsx", 1048576),
    "xlsx bad date": Case({"registry.xlsx": workbook([["id", "name", "founded"], ["A1", "甲协会", "2999-01-01"]])},
                          "不能在将来", "registry.xlsx", 2, "founded"),
    "xlsx huge integer": Case({"registry.xlsx": workbook([["id", "name", "staff_fulltime"], ["A1", "甲协会", 10**20]])},
                              "超出合理范围", "registry.xlsx", 2, "staff_fulltime"),
    "xlsx unpacking to a gigabyte": Case({"registry.xlsx": zip_bomb()}, "解压后超过 1024 MB（3840 MB）", "registry.xlsx"),
    "old xls": Case({"registry.xls": b"\xd0\xcf\x11\xe0" + b"\x00" * 100}, "不支持旧版 .xls", "registry.xls"),
    "text file": Case({"registry.txt": b"id,name\n"}, "应为包含 associations.csv 的目录或 .xlsx 工作簿", "registry.txt"),
}


def make_input(folder: Path, case: Case) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    single = [n for n in case.files if not n.endswith(".csv")]
    return folder / single[0] if single else folder


@pytest.fixture
def run(embedder, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE", str(embedder.cache.path.parent))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def assert_clear_error(result, case: Case) -> None:
    out = result.output
    assert result.exit_code == 2, out
    assert "Traceback" not in out and "内部错误" not in out
    assert case.phrase in out, out
    if case.file:
        assert case.file in out, out
    if case.row is not None:
        assert f"第 {case.row} 行" in out, out
    if case.column:
        assert f"列 {case.column}" in out, out


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("name", REGISTRY_CASES)
def test_registry_cases_on_the_command_line(run, tmp_path, name):
    case = REGISTRY_CASES[name]
    source = make_input(tmp_path / "in", case)
    before = files_in(tmp_path)
    result = run("study", source, "--out", tmp_path / "out" / "study.json", "--report", tmp_path / "report.html")
    assert_clear_error(result, case)
    assert files_in(tmp_path) == before  # no output, no temporary file, no folder


APPLICATION_CASES = {
    "applications with a future founding": cell("founded", "2999-01-01"),
    "applications in latin-1": REGISTRY_CASES["latin-1"],
    "applications with a 1e30 count": cell("party_members", "1e30"),
}


@pytest.mark.parametrize("name", APPLICATION_CASES)
def test_application_batches_on_the_command_line(run, tmp_path, name):
    case = APPLICATION_CASES[name]
    source = make_input(tmp_path / "apps", case)
    before = files_in(tmp_path)
    result = run("screen", source, "--registry", SMALL / "registry", "--out", tmp_path / "screen.jsonl")
    assert_clear_error(result, case)
    assert files_in(tmp_path) == before


def test_missing_paths_are_named_in_chinese(run, tmp_path):
    for args, phrase in ((("validate", tmp_path / "nope"), "找不到登记册"),
                         (("screen", tmp_path / "nope", "--registry", SMALL / "registry", "--out", tmp_path / "o"),
                          "找不到申请批次"),
                         (("study", tmp_path / "nope", "--out", tmp_path / "o.json"), "找不到登记册")):
        result = run(*args)
        assert result.exit_code == 2 and phrase in result.output and str(tmp_path / "nope") in result.output
    assert files_in(tmp_path) == set()


# ------------------------------------------------------------------------------------------- outputs


def test_screen_out_under_a_regular_file(run, tmp_path):
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "screen.jsonl"
    result = run("screen", SMALL / "applications", "--registry", SMALL / "registry", "--out", out)
    assert result.exit_code == 2 and f"无法写入输出文件 {out}" in result.output and "不是文件夹" in result.output
    assert files_in(tmp_path) == {"a-file"}


def test_screen_out_is_a_folder(run, tmp_path):
    result = run("screen", SMALL / "applications", "--registry", SMALL / "registry", "--out", tmp_path)
    assert result.exit_code == 2 and f"无法写入输出文件 {tmp_path}" in result.output and "文件夹" in result.output


@pytest.mark.parametrize("code, phrase", [(errno.ENOSPC, "磁盘空间已满"), (errno.EFBIG, "文件超出")])
def test_full_disk_while_writing_names_the_file(run, tmp_path, monkeypatch, code, phrase):
    import detector.io.write

    def full(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(detector.io.write.os, "fsync", full)
    out = tmp_path / "screen.jsonl"
    result = run("screen", SMALL / "applications", "--registry", SMALL / "registry", "--out", out)
    assert result.exit_code == 2 and f"无法写入输出文件 {out}" in result.output and phrase in result.output
    assert "Traceback" not in result.output and files_in(tmp_path) == set()


def test_study_outputs_on_a_full_disk_name_the_report(run, tmp_path, monkeypatch):
    import detector.io.write

    real = detector.io.write.os.fsync
    written: list[int] = []

    def full_after_first(fd):
        written.append(fd)
        if len(written) > 1:
            raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))
        real(fd)

    monkeypatch.setattr(detector.io.write.os, "fsync", full_after_first)
    report = tmp_path / "report.html"
    result = run("study", SMALL / "registry", "--out", tmp_path / "s.json", "--report", report)
    assert result.exit_code == 2 and f"无法写入输出文件 {report}" in result.output
    assert files_in(tmp_path) == set()  # the JSON already written to its temporary file is removed too


def test_same_file_for_two_outputs(run, tmp_path):
    result = run("study", SMALL / "registry", "--out", tmp_path / "x", "--report", tmp_path / "x")
    assert result.exit_code == 2 and "不能是同一个文件" in result.output and files_in(tmp_path) == set()


def test_names_with_markup_do_not_break_the_figures(run, tmp_path):
    """Not an error: ``$^$`` and ``$\\x$`` in names are drawn as written (matplotlib never parses them)."""
    folder = tmp_path / "registry"
    shutil.copytree(SMALL / "registry", folder)
    path = folder / "associations.csv"
    rows = "".join(f"{i},温州市{mark}眼镜{form},温州市,{kind},眼镜,眼镜生产企业的行业自律与技术交流,服务眼镜企业,技术交流\n"
                   for i, mark, form, kind in (("R91", "$^$", "行业协会", "行业协会"), ("R92", "$\\x$", "商会", "商会")))
    path.write_text(path.read_text(encoding="utf-8") + rows, encoding="utf-8")
    report = tmp_path / "report.html"
    result = run("study", folder, "--out", tmp_path / "s.json", "--report", report)
    assert result.exit_code == 0, result.output
    figures = report.read_text(encoding="utf-8").split("<svg", 1)[1]
    assert "$^$眼镜" in figures  # a proposed merger of the two, labelled as written


# --------------------------------------------------------------------------------------------- web


@pytest.fixture
def client(small_engine, tmp_path) -> TestClient:
    return TestClient(create_app(small_engine, tmp_path / "data"), base_url="http://127.0.0.1")


APP = {"name": "温州市鞋类行业商会", "region": "温州市"}
JSON = {"Content-Type": "application/json"}
XFD = workbook([["id", "name"], ["A1", "温州市鞋革行业协会"]], far="XFD1048576")
XFD_MEMBERS = workbook([["会员名称"], ["温州市康华鞋业有限公司"]], "memberships", far="XFD10")
WEB_CASES: dict[str, tuple[str, str, dict, int, str]] = {
    # JSON API
    "api NaN": ("POST", "/api/screen", {"content": '{"name": "温州市鞋业协会", "party_members": NaN}', "headers": JSON},
                422, "NaN"),
    "api Infinity": ("POST", "/api/screen", {"content": '{"name": "温州市鞋业协会", "staff_fulltime": Infinity}',
                                             "headers": JSON}, 422, "NaN"),
    "api not JSON": ("POST", "/api/screen", {"content": "{name: 温州市}", "headers": JSON}, 400, "不是有效的 JSON"),
    "api array": ("POST", "/api/screen", {"json": [APP]}, 422, "JSON 对象"),
    "api no name": ("POST", "/api/screen", {"json": {"region": "温州市"}}, 422, "字段 name：缺少必填字段"),
    "api name object": ("POST", "/api/screen", {"json": {"name": {"x": 1}}}, 422, "字段 name"),
    "api huge integer": ("POST", "/api/screen", {"json": {**APP, "staff_fulltime": 10**25}}, 400, "超出合理范围"),
    "api future founding": ("POST", "/api/screen", {"json": {**APP, "founded": "2999-01-01"}}, 400, "不能在将来"),
    "api year 1600": ("POST", "/api/screen", {"json": {**APP, "last_election": "1600-01-01"}}, 400, "早于 1900 年"),
    "api 1 MB scope": ("POST", "/api/screen", {"json": {**APP, "scope": "鞋" * 1_000_000}}, 400, "内容过长"),
    "api NUL in name": ("POST", "/api/screen", {"json": {"name": "温州市\x00鞋业协会"}}, 400, "NUL"),
    "api bad member sales": ("POST", "/api/screen", {"json": {**APP, "members": [
        {"member_name": "甲公司", "annual_sales": "很多"}]}}, 400, "members[0].annual_sales"),
    "api too many members": ("POST", "/api/screen", {"json": {**APP, "members": [{"member_name": f"甲{i}公司"}
                                                                                 for i in range(5001)]}},
                             422, "最多 5000 项"),
    "api 12 MB with length": ("POST", "/api/screen", {"content": b" " * (12 << 20),
                                                      "headers": JSON},
                              413, "上传内容过大"),
    "api 12 MB chunked": ("POST", "/api/screen", {"content": (b" " * (1 << 20) for _ in range(12)),
                                                  "headers": JSON},
                          413, "上传内容过大"),
    "api from another site": ("POST", "/api/screen", {"json": APP, "headers": {"Origin": "https://evil.example"}},
                              403, "其他网站"),
    "api wrong host": ("POST", "/api/screen", {"json": APP, "headers": {"Host": "evil.example"}}, 400, "主机名"),
    # the screening form
    "form without name": ("POST", "/screen", {"data": {"region": "温州市"}}, 400, "请填写申请组织的名称"),
    "form NUL": ("POST", "/screen", {"data": {"name": "温州市\x00鞋业协会"}}, 400, "NUL"),
    "form long scope": ("POST", "/screen", {"data": {**APP, "scope": "鞋" * 10_001}}, 400, "内容过长"),
    "form bad pasted sales": ("POST", "/screen", {"data": {**APP, "members_text": "会员名称\t年销售额\n甲公司\t很多\n"}},
                              400, "不是数字"),
    "form member xls": ("POST", "/screen", {"data": APP, "files": {"members_file": ("会员.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64)}},
                        400, "不支持旧版 .xls"),
    "form member xlsx far cell": ("POST", "/screen", {"data": APP, "files": {"members_file": ("会员.xlsx", XFD_MEMBERS)}},
                                  400, "最多 200 列"),
    "form member latin-1": ("POST", "/screen", {"data": APP, "files": {"members_file": (
        "会员.csv", "member_name\nMüller GmbH für Äpfel\n".encode("latin-1"))}}, 400, "无法可靠识别文件编码"),
    # batch uploads
    "batch latin-1": ("POST", "/screen/batch", {"files": {"applications_file": (
        "申请.csv", csv("id,name", "A1,Müller Straße Verein", encoding="latin-1"))}}, 400, "无法可靠识别文件编码"),
    "batch future date": ("POST", "/screen/batch", {"files": {"applications_file": (
        "申请.csv", csv("id,name,founded", "A1,温州市鞋业协会,2999-01-01"))}}, 400, "不能在将来"),
    "batch huge integer": ("POST", "/screen/batch", {"files": {"applications_file": (
        "申请.csv", csv("id,name,staff_fulltime", "A1,温州市鞋业协会,99999999999999999999"))}}, 400, "超出合理范围"),
    "batch xlsx far cell": ("POST", "/screen/batch", {"files": {"applications_file": ("申请.xlsx", XFD)}}, 400,
                            "最多 200 列"),
    "batch empty file": ("POST", "/screen/batch", {"files": {"applications_file": ("申请.csv", b"")}}, 400, "文件为空"),
    "batch no file": ("POST", "/screen/batch", {"data": {"x": "1"}}, 400, "请选择要上传的申请文件"),
}


@pytest.mark.parametrize("name", WEB_CASES)
def test_web_cases(client, tmp_path, name):
    method, url, kwargs, status, phrase = WEB_CASES[name]
    r = client.request(method, url, follow_redirects=False, **kwargs)
    assert r.status_code == status, (r.status_code, r.text[:500])
    text = r.json()["detail"] if url.startswith("/api/") else r.text
    assert phrase in text, text[:500]
    assert "内部错误" not in text and "Traceback" not in text
    store = client.app.state.workbench.store
    assert store.recent_runs() == [] and store.count_decisions() == 0  # nothing stored
    assert not list((tmp_path / "data" / "uploads").glob("*"))  # no upload left behind


@pytest.mark.parametrize("form, phrase", [
    ({"decision": "approve", "reviewer": "张\x00三"}, "NUL"),
    ({"decision": "approve", "reviewer": "张三", "comment": "很" * 2001}, "意见不超过 2000 字"),
    ({"decision": "approve", "reviewer": "张" * 51}, "审查人姓名不超过 50 字"),
    ({"decision": "delete-all", "reviewer": "张三"}, "请选择审查决定"),
])
def test_bad_decisions_are_refused_and_not_stored(client, form, phrase):
    r = client.post("/api/screen", json=APP)
    result = r.headers["x-result-url"]
    r = client.post(f"{result}/decisions", data=form, follow_redirects=False)
    assert r.status_code == 400 and phrase in r.text
    assert client.app.state.workbench.store.count_decisions() == 0
