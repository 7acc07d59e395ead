"""Atomic output: CSV, JSON/JSONL and registry folders (detector/io/write.py)."""
from __future__ import annotations

import errno
import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from detector.errors import OutputError
from detector.io import COLUMNS, load_registry, write_csv, write_files, write_json, write_jsonl, write_registry
from test_io_read import FULL_ASSOCIATIONS, FULL_MEMBERSHIPS, FULL_STATS, basic_associations, make_registry


# ---------------------------------------------------------------------------------------------- output


def test_write_registry_round_trip_keeps_format_and_extras(tmp_path):
    source = make_registry(tmp_path / "in", FULL_ASSOCIATIONS.replace("party_members\n", "party_members,备注\n", 1),
                           FULL_MEMBERSHIPS, FULL_STATS)
    reg = load_registry(source)
    write_registry(reg, tmp_path / "out")
    raw = (tmp_path / "out" / "associations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel shows Chinese
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [*COLUMNS["associations"], "备注"]  # derived columns dropped
    text = raw.decode("utf-8-sig")
    assert "2001-03-05" in text and ",是," in text and "1234" in text and "1234.0" not in text
    again = load_registry(tmp_path / "out")
    for name in ("associations", "memberships", "industry_stats"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(reg, name))


def test_write_registry_leaves_inferred_values_out_and_removes_stale_files(tmp_path):
    text = "id,name,region\nA1,温州市鞋革行业协会,\nA2,乐清市电气商会,乐清市\n"
    reg = load_registry(make_registry(tmp_path / "in", text))
    assert list(reg.associations["region"]) == ["温州市", "乐清市"]
    out = make_registry(tmp_path / "out", "id,name\nOLD,旧协会\n", "association_id,member_name\nOLD,张三\n")
    write_registry(reg, out)
    assert not (out / "memberships.csv").exists()
    assert (out / "associations.csv").read_text(encoding="utf-8-sig") == text


def test_write_registry_from_frames(tmp_path):
    frames = {"associations": pd.DataFrame({"id": ["A1"], "name": ["甲协会"], "name_norm": ["甲协会"]}),
              "memberships": pd.DataFrame({"association_id": ["A1"], "member_name": ["张三"], "annual_sales": [3.0]})}
    write_registry(frames, tmp_path)
    assert (tmp_path / "associations.csv").read_text(encoding="utf-8-sig") == "id,name\nA1,甲协会\n"
    members = (tmp_path / "memberships.csv").read_text(encoding="utf-8-sig")
    assert members == "association_id,member_name,annual_sales\nA1,张三,3\n"
    with pytest.raises(ValueError):
        write_registry({"memberships": frames["memberships"]}, tmp_path / "x")


def test_write_json_and_jsonl(tmp_path):
    write_json({"名称": "温州市鞋革行业协会", "when": date(2020, 1, 5), "ids": {"b", "a"}}, tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "温州市鞋革行业协会" in text  # not \u-escaped
    assert json.loads(text) == {"名称": "温州市鞋革行业协会", "when": "2020-01-05", "ids": ["a", "b"]}
    write_jsonl(({"id": i} for i in range(3)), tmp_path / "out" / "r.jsonl")
    lines = (tmp_path / "out" / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [{"id": 0}, {"id": 1}, {"id": 2}]
    with pytest.raises(ValueError):
        write_json({"score": float("nan")}, tmp_path / "nan.json")
    assert not (tmp_path / "nan.json").exists()


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_csv_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "result.csv"
    target.write_text("old\n", encoding="utf-8")

    def broken_to_csv(self, f, **kwargs):
        f.write("id,name\nhalf")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    with pytest.raises(OutputError) as info:
        write_csv(pd.DataFrame({"id": ["A1"]}), target)
    assert str(info.value) == f"无法写入输出文件 {target}：disk full"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _only(tmp_path) == ["result.csv"]


def test_write_jsonl_failure_midway_keeps_old_file(tmp_path):
    target = tmp_path / "r.jsonl"
    target.write_text("old\n", encoding="utf-8")

    def rows():
        yield {"id": 1}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(rows(), target)
    with pytest.raises(TypeError):
        write_json({"x": object()}, target)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _only(tmp_path) == ["r.jsonl"]


def test_write_registry_failure_replaces_nothing(tmp_path, monkeypatch):
    reg = load_registry(make_registry(tmp_path / "in", basic_associations(), "association_id,member_name\nA1,张三\n"))
    out = make_registry(tmp_path / "out", "id,name\nOLD,旧协会\n", "association_id,member_name\nOLD,张三\n")
    before = {name: (out / name).read_bytes() for name in _only(out)}
    real_to_csv = pd.DataFrame.to_csv

    def fail_on_memberships(self, f, **kwargs):
        if "member_name" in self.columns:
            f.write("association_id,member_name\nA1,")
            raise OSError("disk full")
        return real_to_csv(self, f, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_on_memberships)
    with pytest.raises(OutputError) as info:
        write_registry(reg, out)
    assert info.value.path == str(out / "memberships.csv")
    assert {name: (out / name).read_bytes() for name in _only(out)} == before


def test_write_csv_success(tmp_path):
    df = pd.DataFrame({"id": ["A1"], "when": [pd.Timestamp("2020-01-05")], "名称": ["甲协会"]})
    write_csv(df, tmp_path / "sub" / "x.csv")
    assert (tmp_path / "sub" / "x.csv").read_bytes() == "\ufeffid,when,名称\nA1,2020-01-05,甲协会\n".encode()
    (tmp_path / "plain.txt").write_text("")  # the temporary file must not leave a stricter mode (0600)
    assert os.stat(tmp_path / "sub" / "x.csv").st_mode == os.stat(tmp_path / "plain.txt").st_mode


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "磁盘空间已满"), (errno.EFBIG, "文件超出"),
                                          (errno.EACCES, "没有写权限")])
def test_os_errors_while_writing_name_the_file(tmp_path, monkeypatch, code, reason):
    def fail(fd):
        raise OSError(code, os.strerror(code))  # no filename: raised by write/fsync on a full disk

    monkeypatch.setattr(os, "fsync", fail)
    target = tmp_path / "report.html"
    with pytest.raises(OutputError) as info:
        write_files({tmp_path / "a.json": "{}", target: "<html>"})
    assert info.value.path == str(tmp_path / "a.json") and reason in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_writing_under_a_regular_file_names_the_file(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError) as info:
        write_json({}, tmp_path / "plain" / "sub" / "r.json")
    assert info.value.path == str(tmp_path / "plain" / "sub" / "r.json") and "不是文件夹" in info.value.reason
