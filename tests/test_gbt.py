"""GB/T 4754-2017 table: loading, checks, and the words a unit's name gives."""
from pathlib import Path

import pytest

from detector import gbt
from detector.errors import DetectorError
from detector.paths import models_dir

HEADER = "level,section,division,group,class,name,remark\n"


def write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "gbt.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_shipped_table_has_every_level():
    units = gbt.load_units(models_dir() / "gbt4754_2017.csv")
    levels = {lvl: sum(u.level == lvl for u in units) for lvl in (gbt.DIVISION, gbt.GROUP, gbt.CLASS)}
    # 97 divisions and every class; a group with a single class (0190 其他农业) has no row of its own
    assert levels[gbt.DIVISION] == 97 and levels[gbt.CLASS] >= 1380 and 250 < levels[gbt.GROUP] < 473
    by_code = {u.code: u for u in units}
    assert by_code["3360"].title == "金属表面处理及热处理加工" and by_code["3360"].parent == "33"
    assert by_code["8052"].parent == "805" and by_code["805"].parent == "80"
    assert by_code["3741"].title == "飞机制造"  # the source row lacked its class code
    assert by_code["0190"].parent == "01"  # a class without a group row of its own


@pytest.mark.parametrize("code, words", [
    ("3360", {"金属表面处理及热处理加工", "金属表面处理加工", "金属表面处理", "热处理加工", "热处理"}),
    ("8052", {"足浴服务", "足浴"}),
    ("8080", {"殡葬服务", "殡葬"}),
    ("012", {"豆类油料和薯类种植", "豆类", "油料", "薯类", "豆类种植", "油料种植", "薯类种植"}),
    ("1411", {"糕点面包制造", "糕点", "面包", "糕点制造", "面包制造"}),
    ("6130", {"民宿服务", "民宿"}),
    ("0311", {"牛的饲养"}),  # 牛的 → 牛: one character is no word
    # 交通 only qualifies the sign: no word of its own
    ("3394", {"交通及公共管理用金属标牌制造", "公共管理用金属标牌制造", "公共管理用金属标牌"}),
    ("0119", {"其他谷物种植"}),  # a catch-all unit gives its name only
    ("62", {"餐饮业", "餐饮"}),
])
def test_name_words(code, words):
    unit = {u.code: u for u in gbt.load_units(models_dir() / "gbt4754_2017.csv")}[code]
    assert set(gbt.name_words(unit)) == words


def test_bad_tables_are_named(tmp_path):
    with pytest.raises(DetectorError, match="找不到行业分类表"):
        gbt.load_units(tmp_path / "missing.csv")
    with pytest.raises(DetectorError, match="第 3 行：代码 01 重复"):
        gbt.load_units(write(tmp_path, "2,A,01,,,农业,\n2,A,01,,,农业,\n"))
    with pytest.raises(DetectorError, match="第 2 行：class 列应为 4 位数字代码"):
        gbt.load_units(write(tmp_path, "4,A,01,011,011,谷物种植,\n"))
    with pytest.raises(DetectorError, match="上级 011 未在它之前出现|上级 01 未在它之前出现"):
        gbt.load_units(write(tmp_path, "4,A,01,011,0111,稻谷种植,\n"))
    with pytest.raises(DetectorError, match="缺少列：name"):
        path = tmp_path / "cols.csv"
        path.write_text("level,section,division,group,class\n", encoding="utf-8")
        gbt.load_units(path)
