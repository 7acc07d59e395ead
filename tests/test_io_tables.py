"""load_tables: in-memory tables validated exactly like registry files (detector/io/read.py)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from conftest import SMALL
from detector import regions
from detector.errors import InputError
from detector.io import load_registry, load_tables

WZ = regions.lookup("温州市")


def frames(folder) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in ("associations", "memberships")}


def test_same_registry_as_from_files():
    from_files = load_registry(SMALL / "applications", kind="applications", home=WZ)
    from_tables = load_tables(frames(SMALL / "applications"), home=WZ, source="批次")
    pd.testing.assert_frame_equal(from_tables.associations, from_files.associations)
    pd.testing.assert_frame_equal(from_tables.memberships, from_files.memberships)
    assert from_tables.present_columns == from_files.present_columns
    assert from_tables.kind == "applications" and from_tables.source == "批次"
    assert [w.message for w in from_tables.warnings] == [w.message for w in from_files.warnings]


def test_cells_may_be_python_values():
    reg = load_tables({"associations": pd.DataFrame([
        {"id": 7, "name": "温州市鞋业协会", "founded": date(2001, 5, 1), "staff_fulltime": 3.0, "has_office": True},
    ])})
    row = reg.associations.iloc[0]
    assert row["id"] == "7" and row["founded"] == pd.Timestamp("2001-05-01")
    assert row["staff_fulltime"] == 3 and bool(row["has_office"]) is True


@pytest.mark.parametrize("tables, row, column, message", [
    ({"associations": pd.DataFrame({"id": ["A", "A"], "name": ["温州市鞋业协会", "温州市眼镜商会"]})},
     3, "id", "申请 id「A」重复（第 2 行已使用）"),
    ({"associations": pd.DataFrame({"id": ["A"], "name": ["温州市鞋业协会"], "founded": ["去年"]})},
     2, "founded", "不是有效日期"),
    ({"associations": pd.DataFrame({"id": ["A"], "name": ["温州市鞋业协会"]}),
      "memberships": pd.DataFrame({"association_id": ["A", "B"], "member_name": ["甲", "乙"]})},
     3, "association_id", "「B」不是 associations 中任何申请的 id"),
    ({"associations": pd.DataFrame({"id": ["A"]})}, 1, "name", "缺少必需的列 name"),
    ({"associations": pd.DataFrame(columns=["id", "name"])}, None, None, "没有任何申请（只有表头）"),
])
def test_same_messages_as_for_files(tables, row, column, message):
    with pytest.raises(InputError) as info:
        load_tables(tables, source="表单")
    err = info.value
    assert message in err.message and err.row == row and err.column == column
    assert err.file.startswith("表单（")


def test_missing_or_unknown_tables():
    with pytest.raises(InputError, match="缺少 associations"):
        load_tables({"memberships": pd.DataFrame({"association_id": ["A"], "member_name": ["甲"]})})
    with pytest.raises(ValueError, match="unknown tables"):
        load_tables({"associations": pd.DataFrame({"id": ["A"], "name": ["x"]}), "members": pd.DataFrame()})
    with pytest.raises(ValueError, match="kind"):
        load_tables({"associations": pd.DataFrame({"id": ["A"], "name": ["x"]})}, kind="batch")
