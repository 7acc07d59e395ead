"""Registry reading and validation (detector/io/read.py); the Registry and Association records (io/schema.py)."""
from __future__ import annotations

import json
import re
import time
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from detector import regions
from detector.errors import InputError
from detector.io import COLUMNS, Association, load_registry, summary, write_registry
from detector.io import read as dio

WZ = regions.lookup("温州市")
_PLACES = ("温州市", "乐清市", "瑞安市", "鹿城区")
_FORMS = (("行业协会", "行业协会"), ("协会", "行业协会"), ("商会", "商会"), ("学会", "学会"))


def _fake_parse_name(name: str, home=None) -> SimpleNamespace:
    region = next((p for p in _PLACES if name.startswith(p)), None)
    typ = next((t for suffix, t in _FORMS if name.endswith(suffix)), None)
    return SimpleNamespace(region=region, type=typ)


@pytest.fixture(autouse=True)
def fake_names(monkeypatch):
    """The name parser is tested in test_names.py; here a predictable stand-in keeps io tests focused."""
    monkeypatch.setattr(dio, "parse_name", _fake_parse_name)
    monkeypatch.setattr(dio, "infer_home", lambda names: WZ)


ASSOC_HEADER = "id,name,region,type,industry,status"


def make_registry(folder: Path, associations: str, memberships: str | None = None,
                  industry_stats: str | None = None, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("associations", associations), ("memberships", memberships),
                       ("industry_stats", industry_stats)):
        if text is not None:
            (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder


def basic_associations(*rows: str) -> str:
    body = rows or ("A1,温州市鞋革行业协会,温州市,行业协会,鞋革,正常",
                    "A2,乐清市电气行业协会,乐清市,行业协会,电气,正常")
    return "\n".join([ASSOC_HEADER, *body]) + "\n"


def load_error(folder: Path, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        load_registry(folder, **kwargs)
    return info.value


def assert_where(err: InputError, file: str, row: int | None, column: str | None) -> None:
    assert err.file is not None and err.file.endswith(file), err
    assert err.row == row, err
    assert err.column == column, err
    if row is not None:
        assert f"第 {row} 行" in str(err)
    if column is not None:
        assert f"列 {column}" in str(err)


# ------------------------------------------------------------------------------------------ happy path

FULL_ASSOCIATIONS = (
    "id,name,former_names,region,type,industry,scope,purpose,services,founded,status,staff_fulltime,has_office,"
    "funding,last_election,term_years,inspection,party_members\n"
    "A1,溫州市 鞋革行業協會,温州市皮鞋协会；温州市制鞋协会,温州市,行业协会,鞋革,鞋革生产 交流,服务会员,培训；展会;咨询,"
    "2001/3/5,正常,\"1,234\",是,会费,2019年6月30日,４,合格,12.0\n"
    "A2,乐清市电气行业协会,,乐清市,行业协会,电气,,,,2010.01.02,注销,0,N,,2020-01-05,,基本合格,\n"
    "A3,瑞安市眼镜商会,,瑞安市,商会,眼镜,,,,,,,有,,,,不合格,3\n"
)
FULL_MEMBERSHIPS = (
    "association_id,member_name,member_id,member_kind,member_region,role,person,annual_sales\n"
    "A1,奥康集团有限公司,９１３３０３００ＡＢ,企业,永嘉县,会长,王振滔,\"12,000.5\"\n"
    "A1,张三,,个人,鹿城区,,,\n"
    "A2,正泰电器股份有限公司,,,乐清市,副会长,南存辉,100\n"
    "A3,李四,,,,理事,,\n"
)
FULL_STATS = "industry,region,units,sales\n鞋革,温州市,\"1,500\",2000000\n电气,乐清市,800,1e6\n"


def test_full_registry_is_parsed_and_typed(tmp_path):
    reg = load_registry(make_registry(tmp_path, FULL_ASSOCIATIONS, FULL_MEMBERSHIPS, FULL_STATS))
    a = reg.associations.set_index("id")
    assert len(reg) == 3
    assert a.loc["A1", "name"] == "溫州市 鞋革行業協會"  # original kept
    assert a.loc["A1", "name_norm"] == "温州市鞋革行业协会"
    assert a.loc["A1", "scope"] == "鞋革生产 交流"
    assert list(a["founded"].dt.strftime("%Y-%m-%d").fillna("")) == ["2001-03-05", "2010-01-02", ""]
    assert a.loc["A1", "last_election"] == pd.Timestamp("2019-06-30")
    assert list(a["staff_fulltime"].astype("float").fillna(-1)) == [1234, 0, -1]
    assert list(a["has_office"]) == [True, False, True]
    assert list(a["term_years"].astype("float").fillna(-1)) == [4, -1, -1]  # blank: the policy default applies later
    assert list(a["status"]) == ["正常", "注销", "正常"]
    assert list(a["party_members"].astype("float").fillna(-1)) == [12, -1, 3]
    assert list(a["source_row"]) == [2, 3, 4]
    assert not a["region_inferred"].any() and not a["type_inferred"].any()

    m = reg.memberships
    assert list(m["member_id"]) == ["91330300AB", "", "", ""]
    assert list(m["role"]) == ["会长", "会员", "副会长", "理事"]
    assert list(m["member_kind"]) == ["企业", "个人", "企业", "个人"]
    assert list(m["member_kind_inferred"]) == [False, False, True, True]
    assert m.loc[0, "annual_sales"] == 12000.5 and pd.isna(m.loc[1, "annual_sales"])

    stats = reg.industry_stats
    assert list(stats["units"]) == [1500, 800]
    assert list(stats["sales"]) == [2_000_000.0, 1_000_000.0]

    first = reg.get("A1")
    assert isinstance(first, Association)
    assert first.services == ("培训", "展会", "咨询")
    assert first.former_names == ("温州市皮鞋协会", "温州市制鞋协会") and reg.get("A2").former_names == ()
    assert first.founded == date(2001, 3, 5) and first.last_election == date(2019, 6, 30)
    assert first.staff_fulltime == 1234 and first.has_office is True and first.term_years == 4
    assert reg.get("A3").staff_fulltime is None and reg.get("A3").founded is None
    assert list(reg.members_of("A1")["member_name"]) == ["奥康集团有限公司", "张三"]
    assert reg.members_of("nope").empty
    with pytest.raises(KeyError):
        reg.get("nope")

    counts = summary(reg)
    assert counts["associations"] == 3 and counts["active"] == 2
    assert counts["by_region"] == {"温州市": 1, "乐清市": 1, "瑞安市": 1}
    assert counts["by_type"] == {"行业协会": 2, "商会": 1}
    assert counts["memberships"] == 4 and counts["distinct_members"] == 4
    assert counts["associations_with_members"] == 3 and counts["industry_stats"] == 2
    assert counts["warnings"] == len(reg.warnings) and counts["names_only"] is False
    json.dumps(counts)  # JSON-ready


def test_frames_have_every_format_column_even_when_absent(tmp_path):
    reg = load_registry(make_registry(tmp_path, "id,name\nA1,温州市鞋革行业协会\n"))
    for column in COLUMNS["associations"]:
        assert column in reg.associations.columns
    for column in COLUMNS["memberships"]:
        assert column in reg.memberships.columns
    assert reg.memberships.empty and reg.industry_stats is None
    assert reg.get("A1").status == "正常" and reg.get("A1").term_years is None


# ----------------------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings(tmp_path, encoding):
    reg = load_registry(make_registry(tmp_path, basic_associations(), encoding=encoding))
    assert list(reg.associations["name"]) == ["温州市鞋革行业协会", "乐清市电气行业协会"]
    assert list(reg.associations.columns[:2]) == ["id", "name"]  # no BOM left in the header


def test_excel_unicode_text_export_utf16_tab_separated(tmp_path):
    text = ASSOC_HEADER.replace(",", "\t") + "\nA1\t温州市鞋革行业协会\t温州市\t行业协会\t鞋革\t正常\n"
    (tmp_path / "associations.csv").write_bytes(text.encode("utf-16"))
    assert load_registry(tmp_path).get("A1").name == "温州市鞋革行业协会"


def test_big5_is_detected_not_read_as_gb18030(tmp_path):
    text = "id,name,region\nA1,臺北市鞋業商業同業公會,臺北市\nA2,新竹縣電器行業協會,新竹縣\n"
    (tmp_path / "associations.csv").write_bytes(text.encode("big5"))
    assert list(load_registry(tmp_path).associations["name"]) == ["臺北市鞋業商業同業公會", "新竹縣電器行業協會"]


@pytest.mark.parametrize("text, encoding", [
    ("id,name\nA1,Müller Straße Verein für Äpfel\nA2,Café Crème Société\n", "latin-1"),
    ("id,name\nA1,Ωμέγα αλφα βήτα\n", "cp1253"),
    ("id,name\nA1,Пример ассоциации\n", "koi8-r"),
    ("id,name\nA1,温州市鞋革行业协会\n", "shift_jis"),
])
def test_non_chinese_legacy_encodings_are_refused_not_guessed(tmp_path, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    (tmp_path / "associations.csv").write_bytes(data)
    err = load_error(tmp_path)
    assert_where(err, "associations.csv", None, None)
    assert "无法可靠识别文件编码" in err.message and "UTF-8" in err.message


def test_utf8_file_with_one_bad_row_names_the_row(tmp_path):
    rows = [f"A{i},温州市第{i}行业协会".encode() for i in range(1, 8)]
    rows[4] = "A5,温州市".encode() + "鞋革".encode("gbk") + "协会".encode()
    (tmp_path / "associations.csv").write_bytes(b"id,name\n" + b"\n".join(rows) + b"\n")
    err = load_error(tmp_path)
    assert_where(err, "associations.csv", 6, None)
    assert "UTF-8" in err.message


def test_nul_byte_anywhere_is_refused(tmp_path):
    body = "".join(f"A{i},温州市第{i}行业协会\n" for i in range(1, 2000))
    (tmp_path / "associations.csv").write_bytes(("id,name\n" + body).encode() + b"A9999,x\x00y\n")
    err = load_error(tmp_path)
    assert "NUL" in err.message and err.file.endswith("associations.csv")


def test_undecodable_file(tmp_path):
    (tmp_path / "associations.csv").write_bytes(bytes([0x80, 0xFF, 0xFE, 0x81, 0x30, 0xFF]) * 50)
    err = load_error(tmp_path)
    assert_where(err, "associations.csv", None, None)
    assert "编码" in err.message


def test_binary_file(tmp_path):
    (tmp_path / "associations.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    err = load_error(tmp_path)
    assert_where(err, "associations.csv", None, None)
    assert "不是 CSV" in err.message


def test_workbook_saved_as_csv(tmp_path):
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "associations.csv")
    err = load_error(tmp_path)
    assert_where(err, "associations.csv", None, None)
    assert ".xlsx" in err.message


# ------------------------------------------------------------------------------------- file problems


def test_missing_associations_file(tmp_path):
    make_registry(tmp_path, associations=None, memberships="association_id,member_name\n")  # type: ignore[arg-type]
    err = load_error(tmp_path)
    assert err.file == str(tmp_path) and "associations.csv" in err.message


def test_missing_path_and_wrong_kind_of_path(tmp_path):
    assert "找不到" in load_error(tmp_path / "nope").message
    (tmp_path / "associations.csv").write_text(basic_associations(), encoding="utf-8")
    assert "目录" in load_error(tmp_path / "associations.csv").message


@pytest.mark.parametrize("content", [b"", b"  \r\n\n"])
def test_empty_file(tmp_path, content):
    (tmp_path / "associations.csv").write_bytes(content)
    err = load_error(tmp_path)
    assert_where(err, "associations.csv", None, None)
    assert "为空" in err.message


def test_header_only(tmp_path):
    err = load_error(make_registry(tmp_path, ASSOC_HEADER + "\n\n"))
    assert_where(err, "associations.csv", None, None)
    assert "只有表头" in err.message


def test_header_only_memberships_is_a_warning(tmp_path):
    reg = load_registry(make_registry(tmp_path, basic_associations(), "association_id,member_name\n"))
    assert reg.memberships.empty and reg.has_memberships
    assert any("只有表头" in w.message and w.file.endswith("memberships.csv") for w in reg.warnings)


def test_applications_wording(tmp_path):
    err = load_error(make_registry(tmp_path, ASSOC_HEADER + "\n"), kind="applications")
    assert "申请" in err.message
    with pytest.raises(ValueError):
        load_registry(tmp_path, kind="other")


def test_too_many_fields(tmp_path):
    err = load_error(make_registry(tmp_path, basic_associations("A1,温州市鞋革行业协会,温州市,行业协会,鞋,正常",
                                                                "A2,乐清市电气行业协会,乐清市,行业协会,电气,正常,多余")))
    assert_where(err, "associations.csv", 3, None)


def test_unclosed_quote(tmp_path):
    err = load_error(make_registry(tmp_path, 'id,name\nA1,温州市鞋革行业协会\nA2,"乐清市电气行业协会\n'))
    assert_where(err, "associations.csv", 3, None)
    assert "引号" in err.message


def test_duplicate_and_blank_column_names(tmp_path):
    err = load_error(make_registry(tmp_path / "dup", "id,name,Name\nA1,温州市鞋革行业协会,x\n"))
    assert_where(err, "associations.csv", 1, "name")
    err = load_error(make_registry(tmp_path / "blank", "id,name,\nA1,温州市鞋革行业协会,x\n"))
    assert_where(err, "associations.csv", 1, None)
    # a trailing empty column without data (Excel artefact) is harmless
    reg = load_registry(make_registry(tmp_path / "trailing", "id,name,\nA1,温州市鞋革行业协会,\n"))
    assert len(reg) == 1


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path):
    reg = load_registry(make_registry(tmp_path, "id,name\nA1,温州市鞋革行业协会\n\nA2,乐清市电气行业协会\n"))
    assert list(reg.associations["source_row"]) == [2, 4]
    err = load_error(make_registry(tmp_path / "b", "id,name,founded\nA1,温州市鞋革行业协会,\n\nA2,x协会,2020-13-01\n"))
    assert_where(err, "associations.csv", 4, "founded")


# ---------------------------------------------------------------------------------- column and cells


@pytest.mark.parametrize("file, text, column", [
    ("associations.csv", "name\n温州市鞋革行业协会\n", "id"),
    ("associations.csv", "id,region\nA1,温州市\n", "name"),
    ("memberships.csv", "member_name\n张三\n", "association_id"),
    ("memberships.csv", "association_id\nA1\n", "member_name"),
    ("industry_stats.csv", "region,units\n温州市,3\n", "industry"),
])
def test_missing_required_column(tmp_path, file, text, column):
    files = {"associations.csv": basic_associations(), file: text}
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    err = load_error(tmp_path)
    assert_where(err, file, 1, column)
    assert "缺少必需的列" in err.message


@pytest.mark.parametrize("row, column", [("A2,", "name"), (",乐清市电气行业协会", "id")])
def test_empty_id_or_name(tmp_path, row, column):
    err = load_error(make_registry(tmp_path, f"id,name\nA1,温州市鞋革行业协会\n{row}\n"))
    assert_where(err, "associations.csv", 3, column)


def test_empty_member_name(tmp_path):
    err = load_error(make_registry(tmp_path, basic_associations(), "association_id,member_name\nA1,张三\nA2,\n"))
    assert_where(err, "memberships.csv", 3, "member_name")


def test_duplicate_id(tmp_path):
    err = load_error(make_registry(tmp_path, "id,name\nA1,甲协会\nA2,乙协会\nA1,丙协会\n"))
    assert_where(err, "associations.csv", 4, "id")
    assert "A1" in err.message and "第 2 行" in err.message


def test_membership_of_unknown_association(tmp_path):
    err = load_error(make_registry(tmp_path, basic_associations(),
                                   "association_id,member_name\nA1,张三\nA1,李四\nA9,王五\n"))
    assert_where(err, "memberships.csv", 4, "association_id")
    assert "A9" in err.message


@pytest.mark.parametrize("column", ["founded", "last_election"])
@pytest.mark.parametrize("value", ["2020-02-30", "05/03/2020", "去年", "2020-01", "2020-01/05"])
def test_bad_dates(tmp_path, column, value):
    err = load_error(make_registry(tmp_path, f"id,name,{column}\nA1,甲协会,2020-01-01\nA2,乙协会,{value}\n"))
    assert_where(err, "associations.csv", 3, column)
    assert value in err.message


@pytest.mark.parametrize("value, expected", [
    ("2020-01-05", "2020-01-05"), ("2020/1/5", "2020-01-05"), ("2020.01.05", "2020-01-05"),
    ("2020年1月5日", "2020-01-05"), ("２０２０年０１月０５日", "2020-01-05"), ("2020 年 1 月 5 日", "2020-01-05"),
    ("2020-01-05 00:00:00", "2020-01-05"),
])
def test_date_formats(tmp_path, value, expected):
    reg = load_registry(make_registry(tmp_path, f"id,name,founded\nA1,甲协会,{value}\n"))
    assert reg.associations.loc[0, "founded"] == pd.Timestamp(expected)


@pytest.mark.parametrize("file, header, value, column, message", [
    ("associations.csv", "staff_fulltime", "abc", "staff_fulltime", "不是数字"),
    ("associations.csv", "staff_fulltime", "2.5", "staff_fulltime", "不是整数"),
    ("associations.csv", "party_members", "-3", "party_members", "负数"),
    ("associations.csv", "term_years", "0", "term_years", "不小于 1"),
    ("associations.csv", "term_years", "五年", "term_years", "不是数字"),
    ("associations.csv", "status", "存续", "status", "正常 / 注销 / 撤销"),
    ("associations.csv", "has_office", "也许", "has_office", "是 或 否"),
    ("associations.csv", "inspection", "优秀", "inspection", "合格 / 基本合格 / 不合格 / 未参检"),
])
def test_bad_association_cells(tmp_path, file, header, value, column, message):
    err = load_error(make_registry(tmp_path, f"id,name,{header}\nA1,甲协会,\nA2,乙协会,{value}\n"))
    assert_where(err, file, 3, column)
    assert value in err.message and message in err.message


@pytest.mark.parametrize("header, value, column, message", [
    ("annual_sales", "abc", "annual_sales", "不是数字"),
    ("annual_sales", "-1", "annual_sales", "负数"),
    ("annual_sales", "inf", "annual_sales", "不是数字"),
    ("member_kind", "单位", "member_kind", "企业 / 个人"),
])
def test_bad_membership_cells(tmp_path, header, value, column, message):
    err = load_error(make_registry(tmp_path, basic_associations(),
                                   f"association_id,member_name,{header}\nA1,张三,\nA1,李四,\nA2,王五,{value}\n"))
    assert_where(err, "memberships.csv", 4, column)
    assert message in err.message


@pytest.mark.parametrize("header, value", [("units", "x"), ("units", "1.5"), ("sales", "很多"), ("sales", "-5")])
def test_bad_industry_stats_cells(tmp_path, header, value):
    stats = f"industry,region,{header}\n鞋革,温州市,{value}\n"
    err = load_error(make_registry(tmp_path, basic_associations(), None, stats))
    assert_where(err, "industry_stats.csv", 2, header)


@pytest.mark.parametrize("value, expected", [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True), ("false", False),
    ("1", True), ("0", False), ("有", True), ("无", False), ("", None),
])
def test_has_office_values(tmp_path, value, expected):
    reg = load_registry(make_registry(tmp_path, f"id,name,has_office\nA1,甲协会,{value}\n"))
    assert reg.get("A1").has_office is expected


@pytest.mark.parametrize("value, expected", [("1,234", 1234), ("1234.0", 1234), ("１２３４", 1234), (" 7 ", 7)])
def test_number_formats(tmp_path, value, expected):
    reg = load_registry(make_registry(tmp_path, f'id,name,staff_fulltime\nA1,甲协会,"{value}"\n'))
    assert reg.get("A1").staff_fulltime == expected


@pytest.mark.parametrize("header, value", [
    ("staff_fulltime", "99999999999999999999"), ("party_members", "1e30"), ("term_years", "50"),
    ("staff_fulltime", "100001"), ("party_members", "１０００００００００"),
])
def test_implausibly_large_numbers(tmp_path, header, value):
    err = load_error(make_registry(tmp_path, f"id,name,{header}\nA1,甲协会,1\nA2,乙协会,{value}\n"))
    assert_where(err, "associations.csv", 3, header)
    assert "超出合理范围" in err.message


def test_implausibly_large_sales(tmp_path):
    err = load_error(make_registry(tmp_path, basic_associations(),
                                   "association_id,member_name,annual_sales\nA1,张三,1e300\n"))
    assert_where(err, "memberships.csv", 2, "annual_sales")
    assert "超出合理范围" in err.message


@pytest.mark.parametrize("column", ["founded", "last_election"])
@pytest.mark.parametrize("value, message", [
    ("2999-01-01", "不能在将来"), ("9999-12-31", "不能在将来"), ("1600-01-01", "早于 1900 年"),
    ("0000-01-01", "早于 1900 年"), ("1899-12-31", "早于 1900 年"),
])
def test_dates_outside_the_plausible_range(tmp_path, column, value, message):
    err = load_error(make_registry(tmp_path, f"id,name,{column}\nA1,甲协会,2001-01-01\nA2,乙协会,{value}\n"))
    assert_where(err, "associations.csv", 3, column)
    assert value in err.message and message in err.message


def test_tomorrow_is_in_the_future(tmp_path):
    tomorrow = (pd.Timestamp.today() + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    err = load_error(make_registry(tmp_path, f"id,name,last_election\nA1,甲协会,{tomorrow}\n"))
    assert_where(err, "associations.csv", 2, "last_election")
    assert "不能在将来" in err.message
    today = pd.Timestamp.today().strftime("%Y-%m-%d")
    assert load_registry(make_registry(tmp_path / "ok", f"id,name,founded\nA1,甲协会,1900-01-01\nA2,乙协会,{today}\n"))


@pytest.mark.parametrize("column, length", [("name", 201), ("scope", 10_001), ("备注", 10_001)])
def test_overlong_cells(tmp_path, column, length):
    text = (f"id,name\nA1,甲协会\nA2,{'长' * length}\n" if column == "name"
            else f"id,name,{column}\nA1,甲协会,x\nA2,乙协会,{'长' * length}\n")
    err = load_error(make_registry(tmp_path, text))
    assert_where(err, "associations.csv", 3, column)
    assert "内容过长" in err.message and f"{length:,} 字" in err.message


def test_too_many_columns(tmp_path):
    header = ",".join(["id", "name", *(f"c{i}" for i in range(300))])
    err = load_error(make_registry(tmp_path, f"{header}\nA1,甲协会\n"))
    assert_where(err, "associations.csv", 1, None)
    assert "最多 200 列" in err.message


# ------------------------------------------------------------------------------------------- warnings


def warnings_about(reg, text):
    return [w for w in reg.warnings if text in w.message]


def test_unknown_role_is_a_warning_and_kept(tmp_path):
    reg = load_registry(make_registry(tmp_path, basic_associations(),
                                      "association_id,member_name,role\nA1,张三,名誉会长\nA2,李四,会长\n"))
    assert reg.memberships.loc[0, "role"] == "名誉会长"
    (w,) = warnings_about(reg, "名誉会长")
    assert (w.file.endswith("memberships.csv"), w.row, w.column) == (True, 2, "role")


def test_extra_columns_are_kept(tmp_path):
    text = "id,name,备注,Contact\nA1,温州市鞋革行业协会,老牌协会,0577\n"
    reg = load_registry(make_registry(tmp_path, text, "association_id,member_name,电话\nA1,张三,123\n"))
    assert reg.associations.loc[0, "备注"] == "老牌协会"
    assert reg.memberships.loc[0, "电话"] == "123"
    assert reg.get("A1").extra == {"备注": "老牌协会", "Contact": "0577"}
    assert {(w.column, w.row) for w in warnings_about(reg, "未知的列")} == {("备注", 1), ("Contact", 1), ("电话", 1)}
    assert reg.present_columns["associations"] == ("id", "name", "备注", "Contact")


def test_header_names_are_matched_loosely(tmp_path):
    reg = load_registry(make_registry(tmp_path, "ID, Name ,Has Office\nA1,甲协会,是\n"))
    assert reg.get("A1").has_office is True and not warnings_about(reg, "未知的列")


def test_names_only_registry(tmp_path):
    reg = load_registry(make_registry(tmp_path, "id,name\nA1,温州市鞋革行业协会\nA2,乐清市电气商会\nA3,某某联谊组织\n"))
    assert reg.names_only and not reg.has_memberships
    assert reg.present_columns == {"associations": ("id", "name")}
    a = reg.associations
    assert list(a["region"]) == ["温州市", "乐清市", ""]
    assert list(a["type"]) == ["行业协会", "商会", ""]
    assert list(a["region_inferred"]) == [True, True, False]
    (inferred,) = [w for w in warnings_about(reg, "已根据名称推断") if w.column == "region"]
    assert (inferred.row, "共 2 行") == (2, "共 2 行") and "共 2 行" in inferred.message
    (failed,) = [w for w in warnings_about(reg, "无法根据名称推断") if w.column == "region"]
    assert failed.row == 4
    assert reg.home == WZ
    assert summary(reg)["names_only"] is True


def test_inference_with_the_real_name_parser(tmp_path, monkeypatch):
    from detector import names

    monkeypatch.setattr(dio, "parse_name", names.parse_name)
    monkeypatch.setattr(dio, "infer_home", names.infer_home)
    text = "id,name\nA1,温州市鞋革行业协会\nA2,乐清市电气行业协会\nA3,温州市安徽商会\nA4,鹿城区鞋业协会\n"
    reg = load_registry(make_registry(tmp_path, text))
    assert reg.home == WZ
    assert list(reg.associations["region"]) == ["温州市", "乐清市", "温州市", "鹿城区"]
    assert list(reg.associations["type"]) == ["行业协会", "行业协会", "异地商会", "行业协会"]
    assert reg.associations["region_inferred"].all() and reg.associations["type_inferred"].all()


def test_only_empty_cells_are_inferred(tmp_path):
    text = "id,name,region,type\nA1,温州市鞋革行业协会,鹿城区,\nA2,乐清市电气商会,,商会\n"
    reg = load_registry(make_registry(tmp_path, text))
    a = reg.associations
    assert list(a["region"]) == ["鹿城区", "乐清市"] and list(a["region_inferred"]) == [False, True]
    assert list(a["type"]) == ["行业协会", "商会"] and list(a["type_inferred"]) == [True, False]
    assert reg.names_only  # region and type add nothing beyond the name


def test_home_is_passed_to_the_name_parser(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(dio, "parse_name", lambda name, home=None: seen.append(home) or _fake_parse_name(name))
    other = regions.lookup("湘潭市")
    reg = load_registry(make_registry(tmp_path, "id,name\nA1,温州市鞋革行业协会\n"), kind="applications", home=other)
    assert seen == [other] and reg.home == other and reg.kind == "applications"


def test_membership_warnings(tmp_path):
    associations = basic_associations("A1,温州市鞋革行业协会,温州市,行业协会,鞋革,正常",
                                      "A2,乐清市电气行业协会,乐清市,行业协会,电气,正常",
                                      "A3,瑞安市眼镜商会,瑞安市,商会,眼镜,注销")
    memberships = "association_id,member_name\nA1,奥康集团有限公司\nA1,奥康集团有限公司\nA1,欧阳娜娜\nA1,红蜻蜓鞋业\n"
    reg = load_registry(make_registry(tmp_path, associations, memberships))
    assert list(reg.memberships["member_kind"]) == ["企业", "企业", "个人", "企业"]
    (dup,) = warnings_about(reg, "重复出现")
    assert (dup.row, dup.column) == (3, "member_name")
    (kind,) = warnings_about(reg, "member_kind 为空")
    assert "共 4 行" in kind.message
    (lonely,) = warnings_about(reg, "没有任何会员")  # A3 is 注销: not reported
    assert lonely.file.endswith("associations.csv") and (lonely.row, lonely.column) == (3, "id")
    assert len(reg.memberships) == 4  # nothing dropped


def test_same_normalised_name_and_other_association_warnings(tmp_path):
    text = ("id,name,type,status,inspection\n"
            "A1,温州市鞋革行业协会,行业协会,正常,合格\n"
            "A2,溫州市鞋革（行業）協會,行业协会,正常,\n"
            "A3,温州市鞋革行业协会,行业协会,注销,合格\n"
            "A4,温州市鞋业联盟,联盟,正常,合格\n")
    reg = load_registry(make_registry(tmp_path, text))
    (same,) = warnings_about(reg, "规范化后相同")
    assert (same.row, same.column) == (2, "name") and "第 2、3 行" in same.message
    (insp,) = warnings_about(reg, "inspection 为空")
    assert (insp.row, insp.column) == (3, "inspection")
    (typ,) = warnings_about(reg, "type 不是")
    assert (typ.row, typ.column) == (5, "type") and reg.get("A4").type == "联盟"


# ------------------------------------------------------------------------------------------------ xlsx


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_xlsx_cells_and_round_trip(tmp_path):
    book = _workbook(tmp_path / "registry.xlsx", {
        "associations": [["id", "name", "founded", "staff_fulltime", "has_office", "term_years", "region", "type"],
                         [1001, "温州市鞋革行业协会", datetime(2001, 3, 5), 3, True, 5.0, "温州市", "行业协会"],
                         ["A2", "乐清市电气行业协会", "2010/1/2", None, "否", None, "乐清市", "行业协会"]],
        "Memberships ": [["association_id", "member_name", "annual_sales"], [1001, "张三", 12.5], ["A2", "李四", 3]],
        "notes": [["anything"]],
    })
    reg = load_registry(book)
    assert reg.source == str(book)
    a = reg.associations
    assert list(a["id"]) == ["1001", "A2"]
    assert list(a["founded"]) == [pd.Timestamp("2001-03-05"), pd.Timestamp("2010-01-02")]
    assert reg.get("1001").has_office is True and reg.get("1001").staff_fulltime == 3
    assert list(reg.memberships["annual_sales"]) == [12.5, 3.0]
    assert list(reg.members_of("1001")["member_name"]) == ["张三"]

    write_registry(reg, tmp_path / "folder")
    again = load_registry(tmp_path / "folder")
    columns = list(reg.present_columns["associations"])
    pd.testing.assert_frame_equal(again.associations[columns], reg.associations[columns])
    pd.testing.assert_frame_equal(again.memberships, reg.memberships)
    assert {k: set(v) for k, v in again.present_columns.items()} == {k: set(v) for k, v in reg.present_columns.items()}


def test_xlsx_value_far_away_is_refused_quickly(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "associations"
    ws.append(["id", "name"])
    ws.append(["A1", "温州市鞋革行业协会"])
    ws["XFD1048576"] = "x"
    wb.save(tmp_path / "far.xlsx")
    assert (tmp_path / "far.xlsx").stat().st_size < 10_000
    err = load_error(tmp_path / "far.xlsx")
    assert (err.row, "最多 200 列") == (1048576, "最多 200 列") and "最多 200 列" in err.message


def test_xlsx_declared_dimension_is_not_trusted(tmp_path):
    import zipfile

    book = _workbook(tmp_path / "a.xlsx", {"associations": [["id", "name"], ["A1", "温州市鞋革行业协会"]]})
    inflated = tmp_path / "inflated.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(inflated, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="A1:B2"\s*/>', b'<dimension ref="A1:XFD1048576"/>', data)
                assert b"XFD1048576" in data
            dst.writestr(item, data)
    reg = load_registry(inflated)
    assert list(reg.associations["name"]) == ["温州市鞋革行业协会"]


def test_xlsx_unpacking_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    import zipfile

    from detector.io import workbook

    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1 << 20)  # the real limit is 1 GB: same check
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b" " * (2 << 20))
    assert bomb.stat().st_size < 10_000
    err = load_error(bomb)
    assert "解压后超过" in err.message and err.file == str(bomb)


def test_xlsx_errors_name_file_and_sheet(tmp_path):
    book = _workbook(tmp_path / "bad.xlsx", {"associations": [["id", "name", "founded"], ["A1", "甲协会", "昨天"]]})
    err = load_error(book)
    assert "bad.xlsx" in err.file and "associations" in err.file
    assert (err.row, err.column) == (2, "founded")

    book = _workbook(tmp_path / "nosheet.xlsx", {"Sheet1": [["id", "name"], ["A1", "甲协会"]]})
    err = load_error(book)
    assert err.file == str(book) and "associations" in err.message

    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    assert "Excel" in load_error(tmp_path / "broken.xlsx").message


# ------------------------------------------------------------------------------------------------ size


def _synthetic(folder: Path, n_associations: int, n_memberships: int) -> Path:
    places = ("温州市", "鹿城区", "乐清市", "瑞安市")
    assoc = pd.DataFrame({
        "id": [f"A{i:05d}" for i in range(n_associations)],
        "name": [f"{places[i % 4]}第{i}行业协会" for i in range(n_associations)],
        "region": [places[i % 4] for i in range(n_associations)],
        "type": "行业协会",
        "founded": "2015-03-01",
        "staff_fulltime": [str(i % 5) for i in range(n_associations)],
    })
    members = pd.DataFrame({
        "association_id": [f"A{j % n_associations:05d}" for j in range(n_memberships)],
        "member_name": [f"温州第{j % (n_memberships // 5 + 1)}号鞋业有限公司" for j in range(n_memberships)],
        "role": ["会员"] * n_memberships,
        "annual_sales": [f"{j % 997}.5" for j in range(n_memberships)],
    })
    write_registry({"associations": assoc, "memberships": members}, folder)
    return folder


def test_a_few_hundred_rows(tmp_path):
    reg = load_registry(_synthetic(tmp_path, 300, 3000))
    assert len(reg) == 300 and len(reg.memberships) == 3000
    assert len(reg.members_of("A00007")) == 10
    counts = summary(reg)
    assert counts["by_region"] == {"温州市": 75, "鹿城区": 75, "乐清市": 75, "瑞安市": 75}
    assert counts["distinct_members"] == 601 and counts["associations_with_members"] == 300


@pytest.mark.slow
def test_ten_thousand_associations_load_in_seconds(tmp_path):
    folder = _synthetic(tmp_path, 10_000, 300_000)
    start = time.perf_counter()
    reg = load_registry(folder)
    elapsed = time.perf_counter() - start
    assert len(reg) == 10_000 and len(reg.memberships) == 300_000
    assert elapsed < 10, elapsed
