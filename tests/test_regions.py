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
