"""Chinese column and sheet names (FORMAT.md, "Chinese column names"), read by the CLI as by the web."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SMALL
from detector.cli import cli
from detector.errors import InputError
from detector.io import canonical_column, column_label, load_registry


@pytest.mark.parametrize("header, table, column", [
    ("名称", "associations", "name"), ("社会组织名称", "associations", "name"), ("统一社会信用代码", "associations", "id"),
    ("所属区域", "associations", "region"), ("宗旨", "associations", "purpose"), ("成立时间", "associations", "founded"),
    ("登记状态", "associations", "status"), ("协会统一社会信用代码", "memberships", "association_id"),
    ("统一社会信用代码", "memberships", "member_id"), ("会员所在地", "memberships", "member_region"),
    ("姓名", "memberships", "person"), ("年销售额（万元）", "memberships", "annual_sales"),
    ("年销售额 (万元)", "memberships", "annual_sales"), ("Member Name", "memberships", "member_name"),
    ("名称（必填）", "associations", "name"), ("备注", "associations", None), ("会员名称", "associations", None),
])
def test_chinese_headers_name_their_columns(header, table, column):
    assert canonical_column(header, table) == column


def chinese(folder, out):
    """The small registry with every header in Chinese."""
    out.mkdir()
    for table in ("associations", "memberships", "industry_stats"):
        if (folder / f"{table}.csv").exists():
            frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
            frame.columns = [column_label(c, table) for c in frame.columns]
            frame.to_csv(out / f"{table}.csv", index=False)
    return out


def test_a_registry_with_chinese_headers_loads_like_the_english_one(tmp_path):
    english = load_registry(SMALL / "registry")
    zh = load_registry(chinese(SMALL / "registry", tmp_path / "zh"))
    pd.testing.assert_frame_equal(zh.associations, english.associations)
    pd.testing.assert_frame_equal(zh.memberships, english.memberships)
    assert [w.message for w in zh.warnings] == [w.message for w in english.warnings]


def test_a_workbook_with_chinese_sheet_names_screens_from_the_command_line(tmp_path, embedder, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE", str(embedder.cache.path.parent))
    book = tmp_path / "申请.xlsx"
    with pd.ExcelWriter(book) as writer:
        for table, sheet in (("associations", "协会商会"), ("memberships", "会员")):
            frame = pd.read_csv(SMALL / "applications" / f"{table}.csv", dtype=str)
            frame.columns = [column_label(c, table) for c in frame.columns]
            frame.to_excel(writer, sheet_name=sheet, index=False)
    apps = load_registry(book, kind="applications")
    assert len(apps) == 7 and len(apps.memberships) > 0
    r = CliRunner().invoke(cli, ["screen", str(book), "--registry", str(SMALL / "registry"),
                                 "--out", str(tmp_path / "r.jsonl")])
    assert r.exit_code == 0, r.output
    assert "【重复设立】温州市鞋类行业商会" in r.output


@pytest.mark.parametrize("data, expected", [
    (b"id,name\nA,B\n", "内容不是 Excel 工作簿"),
    (b"PK\x03\x04" + b"\x00" * 30, "Excel 工作簿已损坏"),
])
def test_renamed_or_corrupt_workbooks_say_so(tmp_path, data, expected):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError, match=expected):
        load_registry(path)


def test_a_missing_column_is_named_in_chinese_too(tmp_path):
    (tmp_path / "associations.csv").write_text("名称\n温州市鞋业协会\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"缺少必需的列 id（编号）"):
        load_registry(tmp_path)
