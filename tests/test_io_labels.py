"""labels.csv is read and validated like every input: file, row and column in every error."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import SMALL
from detector.errors import InputError
from detector.io import load_registry
from detector.io.labels import load_labels, registry_labels


@pytest.fixture(scope="module")
def registry():
    return load_registry(SMALL / "registry")


def write(tmp_path, text: str, name: str = "labels.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_values_in_every_spelling_and_extra_columns_kept(tmp_path, registry):
    path = write(tmp_path, "id_a,id_b,label,name_a,score,reviewer\n"
                           "R01,R02,重复,温州市鞋革行业协会,0.97,张三\n"
                           "R03,R04,different,,0.2,\n"
                           "R05,R06,０,,,\n"
                           "R01,R05,Same,,,\n"
                           "R02,R06,不确定,,,\n"
                           "R03,R05,?,,,\n"
                           "R04,R06,,,,\n")
    labels = load_labels(path, registry)
    assert labels.pairs[["id_a", "id_b", "label"]].values.tolist() == [
        ["R01", "R02", 1], ["R03", "R04", 0], ["R05", "R06", 0], ["R01", "R05", 1]]
    assert labels.skipped == 2 and labels.unlabelled == 1
    assert labels.positives == 2 and labels.negatives == 2
    assert "name_a" in labels.pairs and labels.pairs["reviewer"].tolist()[0] == "张三"
    assert labels.pairs["source_row"].tolist() == [2, 3, 4, 5]
    assert any("第 8 行" in str(w) and "尚未标注" in str(w) for w in labels.warnings)


def test_unknown_id_is_named_with_file_row_and_column(tmp_path, registry):
    path = write(tmp_path, "id_a,id_b,label\nR01,R02,1\nR01,R99,0\n")
    with pytest.raises(InputError) as e:
        load_labels(path, registry)
    assert (e.value.row, e.value.column) == (3, "id_b") and "R99" in str(e.value) and str(path) in str(e.value)


@pytest.mark.parametrize("text, row, column, words", [
    ("id_a,label\nR01,1\n", 1, "id_b", "缺少必需的列 id_b"),
    ("id_a,id_b,label\nR01,R02,maybe\n", 2, "label", "不是有效的标注"),
    ("id_a,id_b,label\nR01,R01,1\n", 2, "id_b", "id_a 与 id_b 相同"),
    ("id_a,id_b,label\nR01,,1\n", 2, "id_b", "id_b 为空"),
    ("id_a,id_b,label,labelled_at\nR01,R02,1,昨天\n", 2, "labelled_at", "不是有效的时间"),
    ("id_a,id_b,label,label\nR01,R02,1,0\n", 1, "label", "列名 label 重复"),
])
def test_bad_rows_are_clear_errors(tmp_path, registry, text, row, column, words):
    with pytest.raises(InputError) as e:
        load_labels(write(tmp_path, text), registry)
    assert (e.value.row, e.value.column) == (row, column) and words in str(e.value)


def test_a_pair_labelled_twice_keeps_the_latest_and_warns(tmp_path, registry):
    path = write(tmp_path, "id_a,id_b,label,labelled_at\nR02,R01,0,2024-03-01\nR01,R02,1,2024-01-01\nR03,R04,1,\n"
                           "R04,R03,1,\n")
    labels = load_labels(path, registry)
    by_pair = {frozenset((a, b)): y for a, b, y in zip(labels.pairs["id_a"], labels.pairs["id_b"], labels.pairs["label"])}
    assert by_pair == {frozenset(("R01", "R02")): 0, frozenset(("R03", "R04")): 1}
    messages = " ".join(str(w) for w in labels.warnings)
    assert "标注前后不一致" in messages and "只计一次" in messages


def test_chinese_headers_gbk_and_xlsx(tmp_path, registry):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("编号A,编号B,标注,标注人\nR01,R02,重复,李四\n".encode("gb18030"))
    assert load_labels(gbk, registry).pairs["reviewer"].tolist() == ["李四"]
    book = tmp_path / "queue.xlsx"
    pd.DataFrame({"id_a": ["R01"], "id_b": ["R03"], "name_a": ["x"], "label": [0]}).to_excel(book, sheet_name="labels",
                                                                                          index=False)
    labels = load_labels(book, registry)
    assert labels.pairs[["id_a", "id_b", "label"]].values.tolist() == [["R01", "R03", 0]]
    assert "工作表 labels" in labels.source


def test_registry_folder_labels_are_found(tmp_path):
    assert registry_labels(tmp_path) is None
    write(tmp_path, "id_a,id_b,label\n", "Labels.CSV")
    assert registry_labels(tmp_path).name == "Labels.CSV"
    assert registry_labels(tmp_path / "Labels.CSV") is None  # a file is no registry folder
