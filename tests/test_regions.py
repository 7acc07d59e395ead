import pytest

from detector import regions


def test_wenzhou_has_twelve_county_level_units_including_longgang():
    wz = regions.lookup("温州市")
    names = {d.name for d in regions.county_units(wz)}
    assert len(names) == 12
    assert {"鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "平阳县",
            "苍南县", "文成县", "泰顺县", "龙港市"} == names


def test_any_city_has_its_own_units():
    xt = regions.lookup("湘潭市")
    assert {"雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市"} <= {d.name for d in regions.county_units(xt)}


def test_levels_and_parents():
    fd = regions.lookup("福鼎市")
    assert (fd.level, fd.province, fd.prefecture) == ("county", "福建省", "宁德市")
    assert regions.lookup("上饶市").level == "prefecture"
    assert regions.lookup("安徽省").level == "province"
    assert regions.lookup("北京市").level == "prefecture"  # a municipality acts as the city


def test_short_forms_and_home_tie_break():
    wz = regions.lookup("温州市")
    assert regions.lookup("乐清").name == "乐清市"
    assert regions.lookup("龙港", wz).name == "龙港市"
    assert regions.lookup("黔南").name == "黔南布依族苗族自治州"
    assert regions.lookup("龙港", wz, allow_short=False) is None


def test_contains_and_prefix():
    wz = regions.lookup("温州市")
    assert regions.contains(wz, regions.lookup("龙港市"))
    assert not regions.contains(wz, regions.lookup("福鼎市"))
    d, written = regions.match_prefix("温州市鞋革行业协会")
    assert (d.name, written) == ("温州市", "温州市")


def test_province_abbreviations_cover_all_listed():
    abbr = regions.province_abbreviations()
    for ch, prov in {"皖": "安徽省", "赣": "江西省", "苏": "江苏省", "闽": "福建省", "蜀": "四川省",
                     "秦": "陕西省", "黔": "贵州省", "蒙": "内蒙古自治区", "港": "香港特别行政区"}.items():
        assert abbr[ch].name == prov and abbr[ch].level == "province"
    assert len(set(abbr)) >= 34


WZ = regions.lookup("温州市")


def test_region_column_values_resolve():
    assert regions.resolve_region("乐清", WZ).name == "乐清市"
    assert regions.resolve_region("市本级", WZ).name == "温州市"
    assert regions.resolve_region("温州市本级", WZ).name == "温州市"
    assert regions.resolve_region("", WZ) is None


# ─── divisions as they were ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("former, today, change", [
    ("萧山市", "萧山区", "撤市设区"),  # 2001
    ("余杭市", "余杭区", "撤市设区"),
    ("吴江市", "吴江区", "撤市设区"),  # 2012
    ("富阳市", "富阳区", "撤市设区"),  # 2014
    ("洞头县", "洞头区", "撤县设区"),  # 2015
    ("襄樊市", "襄阳市", "更名"),  # 2010
    ("苍南县龙港镇", "龙港市", "析置"),  # 2019
    ("宝庆", "邵阳市", "旧称"),
])
def test_former_divisions(former, today, change):
    record = regions.former_divisions()[former]
    assert (record.current.name, record.change) == (today, change)
    assert regions.lookup(former).name == today
    assert regions.is_former(former)


def test_the_change_table_is_a_real_table():
    table = regions.former_divisions()
    assert len(table) > 900
    years = [f.year for f in table.values() if f.year]
    assert min(years) <= 1990 and max(years) >= 2019
    # every former name is no name of today, and points at a unit of today's adcodes
    full, _ = regions._index()
    assert not set(table) & set(full)
    assert all(regions.by_code(f.current.code) == f.current for f in table.values())


def test_former_short_forms_and_todays_names():
    assert regions.lookup("襄樊").name == "襄阳市" and regions.is_former("襄樊")
    assert not regions.is_former("萧山")  # today's short name of 萧山区
    assert not regions.is_former("萧山区")
    assert regions.match_prefix("萧山市餐饮协会") == (regions.lookup("萧山区"), "萧山市")
    assert regions.former("襄樊").name == "襄樊市"
    # a former district's short form is often a word: only its full name counts
    assert regions.lookup("公园") is None


def test_unambiguous_short_names():
    assert regions.unambiguous_short("义乌") and regions.unambiguous_short("晋江")
    assert not regions.unambiguous_short("龙港")  # 龙港市 and 龙港区
    assert not regions.unambiguous_short("吉林")  # a province and a city


# ─── cities without counties ─────────────────────────────────────────────────────────────


def test_cities_without_counties_and_their_towns():
    for city in ("东莞市", "中山市", "嘉峪关市", "儋州市"):
        assert regions.undivided(regions.lookup(city)), city
    assert not regions.undivided(regions.lookup("温州市"))
    dg = regions.lookup("东莞市")
    assert regions.town_prefix("长安商会", dg) == ("长安镇", "长安")
    assert regions.town_prefix("虎门镇服装商会", dg) == ("虎门镇", "虎门镇")
    assert regions.town_prefix("长安商会", regions.lookup("温州市")) is None
    assert regions.town_prefix("石岐街道餐饮", regions.lookup("中山市")) == ("石岐街道", "石岐街道")
