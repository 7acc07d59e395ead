"""Name parser on hand-written, real-style association names (any city, not only Wenzhou)."""
import pytest

from detector import regions
from detector.names import guess_member_kind, infer_home, parse_name

WZ = regions.lookup("温州市")

# name, region, region level, industry core, organisation form, type, origin, origin level
CASES = [
    ("温州市鞋革行业协会", "温州市", "prefecture", "鞋革", "行业协会", "行业协会", None, None),
    ("温州市汽摩配行业协会", "温州市", "prefecture", "汽摩配", "行业协会", "行业协会", None, None),
    ("溫州市 汽摩配（行業）協會", "温州市", "prefecture", "汽摩配", "行业协会", "行业协会", None, None),
    ("温州市眼镜商会", "温州市", "prefecture", "眼镜", "商会", "商会", None, None),
    ("温州市鞋业商会", "温州市", "prefecture", "鞋业", "商会", "商会", None, None),
    ("温州市服装商会", "温州市", "prefecture", "服装", "商会", "商会", None, None),
    ("温州市泵阀行业协会", "温州市", "prefecture", "泵阀", "行业协会", "行业协会", None, None),
    ("温州市印刷行业协会", "温州市", "prefecture", "印刷", "行业协会", "行业协会", None, None),
    ("温州市锁具商会", "温州市", "prefecture", "锁具", "商会", "商会", None, None),
    ("温州市烟具行业协会", "温州市", "prefecture", "烟具", "行业协会", "行业协会", None, None),
    ("温州市合成革商会", "温州市", "prefecture", "合成革", "商会", "商会", None, None),
    ("温州市电子商务行业协会", "温州市", "prefecture", "电子商务", "行业协会", "行业协会", None, None),
    ("温州市网商协会", "温州市", "prefecture", "网商", "协会", "行业协会", None, None),
    ("温州市快递行业协会", "温州市", "prefecture", "快递", "行业协会", "行业协会", None, None),
    ("温州市房地产业协会", "温州市", "prefecture", "房地产业", "协会", "行业协会", None, None),
    ("温州市制笔行业协会", "温州市", "prefecture", "制笔", "行业协会", "行业协会", None, None),
    ("温州市软件行业协会", "温州市", "prefecture", "软件", "行业协会", "行业协会", None, None),
    ("温州市餐饮业商会", "温州市", "prefecture", "餐饮业", "商会", "商会", None, None),
    ("温州市医药行业协会", "温州市", "prefecture", "医药", "行业协会", "行业协会", None, None),
    ("温州市服装辅料行业协会", "温州市", "prefecture", "服装辅料", "行业协会", "行业协会", None, None),
    ("温州市智能装备行业促进会", "温州市", "prefecture", "智能装备", "促进会", "促进会", None, None),
    ("温州市眼视光学会", "温州市", "prefecture", "眼视光", "学会", "学会", None, None),
    ("温州市鞋文化研究会", "温州市", "prefecture", "鞋文化", "研究会", "研究会", None, None),
    ("温州市企业家协会", "温州市", "prefecture", "企业家", "协会", "行业协会", None, None),
    ("温州市总商会", "温州市", "prefecture", "", "总商会", "商会", None, None),
    ("温州市工业行业联合会", "温州市", "prefecture", "工业", "行业联合会", "联合会", None, None),
    ("温州鞋革协会", "温州市", "prefecture", "鞋革", "协会", "行业协会", None, None),
    ("温州市鞋革行业协会（筹）", "温州市", "prefecture", "鞋革", "行业协会", "行业协会", None, None),
    ("乐清市电气行业协会", "乐清市", "county", "电气", "行业协会", "行业协会", None, None),
    ("乐清电子行业协会", "乐清市", "county", "电子", "行业协会", "行业协会", None, None),
    ("瑞安市汽摩配行业协会", "瑞安市", "county", "汽摩配", "行业协会", "行业协会", None, None),
    ("瑞安市汽车销售行业协会", "瑞安市", "county", "汽车销售", "行业协会", "行业协会", None, None),
    ("永嘉县泵阀行业协会", "永嘉县", "county", "泵阀", "行业协会", "行业协会", None, None),
    ("平阳县塑编行业协会", "平阳县", "county", "塑编", "行业协会", "行业协会", None, None),
    ("苍南县印刷行业协会", "苍南县", "county", "印刷", "行业协会", "行业协会", None, None),
    ("龙港市印刷行业协会", "龙港市", "county", "印刷", "行业协会", "行业协会", None, None),
    ("龙港印刷包装商会", "龙港市", "county", "印刷包装", "商会", "商会", None, None),
    ("温州市鹿城区鞋业协会", "鹿城区", "county", "鞋业", "协会", "行业协会", None, None),
    ("温州市瓯海区眼镜商会", "瓯海区", "county", "眼镜", "商会", "商会", None, None),
    ("温州市龙湾区阀门商会", "龙湾区", "county", "阀门", "商会", "商会", None, None),
    ("洞头区旅游协会", "洞头区", "county", "旅游", "协会", "行业协会", None, None),
    ("文成县茶叶行业协会", "文成县", "county", "茶叶", "行业协会", "行业协会", None, None),
    ("泰顺县茶业商会", "泰顺县", "county", "茶业", "商会", "商会", None, None),
    ("温州市瓯海区商会", "瓯海区", "county", "", "商会", "商会", None, None),
    # 异地商会: the origin place and its level
    ("温州市安徽商会", "温州市", "prefecture", "", "商会", "异地商会", "安徽省", "province"),
    ("温州市皖商联合会", "温州市", "prefecture", "", "联合会", "异地商会", "安徽省", "province"),
    ("温州市福建福鼎商会", "温州市", "prefecture", "", "商会", "异地商会", "福鼎市", "county"),
    ("温州市江西上饶商会", "温州市", "prefecture", "", "商会", "异地商会", "上饶市", "prefecture"),
    ("温州市江西商会", "温州市", "prefecture", "", "商会", "异地商会", "江西省", "province"),
    ("温州市江苏商会", "温州市", "prefecture", "", "商会", "异地商会", "江苏省", "province"),
    ("温州市湖南商会", "温州市", "prefecture", "", "商会", "异地商会", "湖南省", "province"),
    ("温州市湘商会", "温州市", "prefecture", "", "商会", "异地商会", "湖南省", "province"),
    ("温州市闽商商会", "温州市", "prefecture", "", "商会", "异地商会", "福建省", "province"),
    ("温州市赣商联合会", "温州市", "prefecture", "", "联合会", "异地商会", "江西省", "province"),
    ("温州市台州商会", "温州市", "prefecture", "", "商会", "异地商会", "台州市", "prefecture"),
    ("温州市义乌商会", "温州市", "prefecture", "", "商会", "异地商会", "义乌市", "county"),
    ("温州市四川商会", "温州市", "prefecture", "", "商会", "异地商会", "四川省", "province"),
    ("温州市重庆商会", "温州市", "prefecture", "", "商会", "异地商会", "重庆市", "province"),
    ("温州市吉林商会", "温州市", "prefecture", "", "商会", "异地商会", "吉林省", "province"),
    ("温州市吉林市商会", "温州市", "prefecture", "", "商会", "异地商会", "吉林市", "prefecture"),
    ("温州市吉林农安商会", "温州市", "prefecture", "", "商会", "异地商会", "农安县", "county"),
    ("温州市四川巴中商业联合会", "温州市", "prefecture", "", "商业联合会", "异地商会", "巴中市", "prefecture"),
    ("温州市重庆企业家联合会", "温州市", "prefecture", "", "企业家联合会", "异地商会", "重庆市", "province"),
    ("温州市福建企业联合会", "温州市", "prefecture", "", "联合会", "异地商会", "福建省", "province"),
    ("温州市江西籍企业联合会", "温州市", "prefecture", "", "联合会", "异地商会", "江西省", "province"),
    ("温州市河南驻马店商会", "温州市", "prefecture", "", "商会", "异地商会", "驻马店市", "prefecture"),
    ("瑞安市安徽商会", "瑞安市", "county", "", "商会", "异地商会", "安徽省", "province"),
    ("乐清市贵州商会", "乐清市", "county", "", "商会", "异地商会", "贵州省", "province"),
    ("温州市黔南商会", "温州市", "prefecture", "", "商会", "异地商会", "黔南布依族苗族自治州", "prefecture"),
    # other cities parse the same way
    ("湘潭市餐饮行业协会", "湘潭市", "prefecture", "餐饮", "行业协会", "行业协会", None, None),
    ("湘潭市印刷行业协会", "湘潭市", "prefecture", "印刷", "行业协会", "行业协会", None, None),
    ("湘潭县商会", "湘潭县", "county", "", "商会", "商会", None, None),
    ("湘乡市鞋业协会", "湘乡市", "county", "鞋业", "协会", "行业协会", None, None),
    ("湘潭市电机工程学会", "湘潭市", "prefecture", "电机工程", "学会", "学会", None, None),
    ("苏州市吴江区丝绸行业协会", "吴江区", "county", "丝绸", "行业协会", "行业协会", None, None),
    ("北京市朝阳区餐饮行业协会", "朝阳区", "county", "餐饮", "行业协会", "行业协会", None, None),
    ("浙江省温州市鞋革行业协会", "温州市", "prefecture", "鞋革", "行业协会", "行业协会", None, None),
    ("浙江省眼镜行业协会", "浙江省", "province", "眼镜", "行业协会", "行业协会", None, None),
    ("深圳市温州商会", "深圳市", "prefecture", "", "商会", "异地商会", "温州市", "prefecture"),
    ("上海市浙江商会", "上海市", "prefecture", "", "商会", "异地商会", "浙江省", "province"),
]


@pytest.mark.parametrize("name,region,level,core,form,typ,origin,origin_level", CASES, ids=[c[0] for c in CASES])
def test_parse_real_style_names(name, region, level, core, form, typ, origin, origin_level):
    p = parse_name(name, WZ if "温州" in name or region in {r.name for r in regions.county_units(WZ)} else None)
    assert (p.region, p.region_level) == (region, level)
    assert p.industry_core == core
    assert (p.org_form, p.type) == (form, typ)
    assert (p.origin, p.origin_level) == (origin, origin_level)


def test_at_least_fifty_hand_written_cases():
    assert len(CASES) >= 50


def test_origin_province_and_code():
    p = parse_name("温州市福建福鼎商会", WZ)
    assert p.origin_province == "福建省" and p.origin_code == "350982"
    assert p.is_out_of_town


def test_place_inside_the_city_is_a_subregion_not_an_origin():
    p = parse_name("温州市平阳商会", WZ)
    assert p.origin is None and p.region == "平阳县"


def test_place_like_words_inside_a_core_are_not_origins():
    p = parse_name("温州市东方文化研究会", WZ)
    assert p.origin is None and p.industry_core == "东方文化" and p.type == "研究会"


def test_short_county_name_outside_home_does_not_open_a_name():
    # 东方 is 东方市 in Hainan: a short county name is only trusted inside the home city.
    assert parse_name("东方红文化研究会").region is None


def test_home_breaks_ties_between_same_short_names():
    assert parse_name("龙港印刷行业协会", WZ).region == "龙港市"
    assert parse_name("龙港区印刷行业协会").region == "龙港区"


def test_names_map_to_canonical_industries():
    assert parse_name("温州市鞋革行业协会", WZ).industry == parse_name("温州市鞋业商会", WZ).industry
    assert parse_name("温州市汽摩配行业协会", WZ).industry != parse_name("温州市汽车销售行业协会", WZ).industry
    assert parse_name("温州市安徽商会", WZ).industry is None


def test_infer_home_from_names():
    names = ["温州市鞋革行业协会", "乐清市电气行业协会", "瑞安市汽摩配行业协会", "温州市安徽商会", "湘潭市餐饮行业协会"]
    assert infer_home(names).name == "温州市"
    assert infer_home(["湘潭市餐饮行业协会", "湘乡市鞋业协会"]).name == "湘潭市"
    assert infer_home(["鞋革行业协会"]) is None


def test_audience_and_unit_internal_bodies():
    assert parse_name("温州市青年企业家协会", WZ).audience == "青年"
    assert parse_name("温州市女企业家协会", WZ).audience == "女"
    assert parse_name("温州市企业家协会", WZ).audience == ""
    assert parse_name("湘潭钢铁集团有限公司职工技术协会").affiliated
    assert not parse_name("温州市小额贷款公司协会", WZ).affiliated


def test_entrepreneur_forms_keep_their_member_group():
    """青年企业家联合会: the core is 青年企业家 (a distinct member group), the form 联合会."""
    p = parse_name("泉州市青年企业家联合会")
    assert (p.industry_core, p.org_form, p.type, p.audience) == ("青年企业家", "联合会", "联合会", "青年")
    assert parse_name("温州市企业家联合会").industry == parse_name("温州市青年企业家联合会").industry == "entrepreneurs"
    assert parse_name("温州市江西企业家联合会", regions.lookup("温州市")).origin == "江西省"  # a place before it: origin


def test_out_of_town_chamber_without_the_city_in_its_name():
    """In a 常州市 registry, 河南信阳商会 is the chamber of people from 信阳, not a body of 信阳."""
    home = regions.lookup("常州市")
    p = parse_name("河南信阳商会", home)
    assert (p.region, p.origin, p.origin_level, p.type) == (None, "信阳市", "prefecture", "异地商会")
    assert parse_name("甘肃商会", home).origin == "甘肃省"
    assert parse_name("杭州市鞋业商会", regions.lookup("温州市")).origin is None  # an industry, not a place


@pytest.mark.parametrize("name, kind", [
    ("奥康集团有限公司", "企业"), ("红蜻蜓鞋业", "企业"), ("老王面馆", "企业"), ("瑞安市塘下镇张三商行", "企业"),
    ("张三", "个人"), ("李小龙", "个人"), ("欧阳娜娜", "个人"), ("王建国民", "个人"),
    ("鹿城", "企业"), ("ABC Trading", "企业"), ("张三丰收合作社", "企业"),
])
def test_guess_member_kind(name, kind):
    assert guess_member_kind(name) == kind


# ─── kinds of social group (社会团体) beyond trade bodies ─────────────────────────────────

# name, kind, type shown, subject key
KINDS = [
    ("株洲市网球协会", "sports", "体育类社团", "tennis"),
    ("岳阳县篮球协会", "sports", "体育类社团", "basketball"),
    ("衡阳市太极拳协会", "sports", "体育类社团", "tai_chi"),
    ("常德市老年体育协会", "sports", "体育类社团", "elderly_sports"),
    ("邵阳市体育舞蹈运动协会", "sports", "体育类社团", "dance_sport"),
    ("益阳市书法家协会", "culture", "文化类社团", "calligraphy"),
    ("郴州市摄影家协会", "culture", "文化类社团", "photo_art"),
    ("娄底市集邮协会", "culture", "文化类社团", "philately"),
    ("永州市慈善总会", "charity", "公益慈善类社团", "charity"),
    ("怀化市青年志愿者协会", "charity", "公益慈善类社团", "volunteers"),
    ("张家界市教育基金会", "charity", "公益慈善类社团", "education"),
    ("长沙市佛教协会", "religion", "宗教类社团", "buddhism"),
    ("株洲市抗癌协会", "health", "卫生健康类社团", "cancer"),
    ("衡阳市律师协会", "professional", "职业类社团", "lawyers"),
    ("岳阳市注册会计师协会", "professional", "职业类社团", "cpa"),
    ("常德市女法官协会", "professional", "职业类社团", "judges"),
    ("益阳市老干部保健协会", "elderly_youth", "老年和青少年类社团", "elderly"),
    ("郴州市关心下一代工作促进会", "elderly_youth", "老年和青少年类社团", "next_generation"),
    ("娄底市消费者权益保护协会", "public", "社会事务类社团", "consumers"),
    ("湖南大学株洲校友会", "fellowship", "联谊类社团", None),
    ("永州市海外联谊会", "fellowship", "联谊类社团", "overseas_chinese"),
    ("怀化市心理学会", "academic", "学会", None),
    ("长沙市网球运动研究会", "academic", "研究会", "tennis"),  # the form makes it academic
    # trade bodies stay trade bodies, with the new forms too
    ("株洲市热处理行业协会", "trade", "行业协会", "gbt_3360"),
    ("衡阳市足浴保健行业协会", "trade", "行业协会", "gbt_8052"),
    ("岳阳市殡葬协会", "trade", "行业协会", "gbt_8080"),
    ("常德市拍卖行业协会", "trade", "行业协会", "gbt_5182"),
    ("泉州市新生代企业家联谊会", "trade", "联合会", "entrepreneurs"),  # 联谊会 of a trade: a trade body
    ("宁波市鞋业协进会", "trade", "促进会", "footwear"),
    ("上海市五金同业公会", "trade", "行业协会", "hardware"),
    ("益阳市江西商会", "out_of_town", "异地商会", None),
]


@pytest.mark.parametrize("name, kind, typ, subject", KINDS)
def test_kinds_of_social_group(name, kind, typ, subject):
    p = parse_name(name)
    assert (p.kind, p.type, p.industry) == (kind, typ, subject)
    assert p.kind_name  # shown in Chinese


def test_a_non_trade_body_is_never_typed_industry_association():
    for name, kind, _, _ in KINDS:
        if kind not in ("trade", "out_of_town"):
            assert parse_name(name).type not in {"行业协会", "商会", "联合会", "促进会"}, name


def test_no_form_no_kind():
    assert parse_name("株洲市网球培训中心").kind == ""


# ─── divisions as they were ──────────────────────────────────────────────────────────────

# name, home, region (today), region level, origin (today), former names written
FORMER = [
    ("萧山市餐饮行业协会", None, "萧山区", "county", None, ("萧山市",)),
    ("杭州市萧山市印刷行业协会", None, "萧山区", "county", None, ("萧山市",)),
    ("余杭市家纺协会", "杭州市", "余杭区", "county", None, ("余杭市",)),
    ("吴江市丝绸行业协会", None, "吴江区", "county", None, ("吴江市",)),
    ("襄樊市汽车零部件行业协会", None, "襄阳市", "prefecture", None, ()),  # 襄樊市 → written in full
    ("苍南县龙港镇印刷商会", None, "龙港市", "county", None, ("苍南县龙港镇",)),
    ("株洲市宝庆商会", "株洲市", "株洲市", "prefecture", "邵阳市", ("宝庆",)),
    ("长沙市襄樊商会", "长沙市", "长沙市", "prefecture", "襄阳市", ("襄樊",)),
    ("温州市萧山商会", "温州市", "温州市", "prefecture", "萧山区", ()),  # 萧山 is today's short name
]


@pytest.mark.parametrize("name, home, region, level, origin, former", FORMER)
def test_former_divisions_resolve_to_todays_units(name, home, region, level, origin, former):
    p = parse_name(name, regions.lookup(home) if home else None)
    assert (p.region, p.region_level, p.origin) == (region, level, origin)
    if name.startswith("襄樊市"):
        assert p.former == ("襄樊市",)
    else:
        assert p.former == former


def test_former_division_with_industry_core():
    p = parse_name("萧山市餐饮行业协会")
    assert (p.industry_core, p.industry) == ("餐饮", "catering")


# ─── suffix-less county-level places ─────────────────────────────────────────────────────

# name, home, region, origin
SUFFIXLESS = [
    ("义乌温州商会", None, "义乌市", "温州市"),  # host without suffix, then the origin
    ("义乌台州商会", "杭州市", "义乌市", "台州市"),
    ("晋江福州商会", "温州市", "晋江市", "福州市"),
    ("慈溪家电行业协会", "长沙市", "慈溪市", None),  # a county-level city before its trade
    ("义乌市温州商会", None, "义乌市", "温州市"),
    ("长沙市晋江商会", "长沙市", "长沙市", "晋江市"),  # as an origin
    ("温州市慈溪商会", "温州市", "温州市", "慈溪市"),
    ("东方红文化研究会", "长沙市", None, None),  # 东方 is a word here, not 东方市
    ("合作社发展促进会", "长沙市", None, None),
]


@pytest.mark.parametrize("name, home, region, origin", SUFFIXLESS)
def test_suffixless_county_level_places(name, home, region, origin):
    p = parse_name(name, regions.lookup(home) if home else None)
    assert (p.region, p.origin) == (region, origin)


# ─── cities without counties: town and street bodies are the city's own ──────────────────

# name, home, region, town, industry core
TOWNS = [
    ("东莞市长安商会", None, "东莞市", "长安镇", "长安镇"),  # not 西安's 长安区; a town's chamber: the town
    ("东莞市石龙镇商会", "东莞市", "东莞市", "石龙镇", "石龙镇"),
    ("石龙商会", "东莞市", "东莞市", "石龙镇", "石龙镇"),  # not 平顶山's 石龙区
    ("虎门镇服装商会", "东莞市", "东莞市", "虎门镇", "服装"),
    ("中山市东区商会", "中山市", "中山市", "东区街道", "东区街道"),  # not 攀枝花's 东区
    ("中山市石岐街道餐饮协会", None, "中山市", "石岐街道", "餐饮"),
    ("小榄镇五金商会", "中山市", "中山市", "小榄镇", "五金"),
    ("嘉峪关市峪泉镇商会", None, "嘉峪关市", "峪泉镇", "峪泉镇"),
    ("儋州市那大镇商会", None, "儋州市", "那大镇", "那大镇"),
]


@pytest.mark.parametrize("name, home, region, town, core", TOWNS)
def test_towns_of_cities_without_counties(name, home, region, town, core):
    p = parse_name(name, regions.lookup(home) if home else None)
    assert (p.region, p.town, p.industry_core, p.origin) == (region, town, core, None)
    assert p.type != "异地商会"


def test_out_of_town_chambers_of_cities_without_counties_stay():
    p = parse_name("东莞市湖南长沙商会", regions.lookup("东莞市"))
    assert (p.region, p.origin, p.town) == ("东莞市", "长沙市", "")
    # a same-named district elsewhere is still an origin when the city is not one without counties
    assert parse_name("株洲市长安商会", regions.lookup("株洲市")).origin == "长安区"


def test_every_subject_group_is_a_kind_with_a_chinese_name():
    from detector import industry
    from detector.names import kind_names

    groups = {i.group for i in industry.all_industries() if i.group}
    assert groups and groups <= set(kind_names())
    assert all(kind_names().values())
