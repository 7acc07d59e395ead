"""Naming patterns of real registries (detector/names.py, issue 12): branches, sponsor words inside a name,
origin groups that are not places, places with no host in front, origins in brackets and chains.
Real-style names written for these tests (none copied from ../shared/data)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from detector import regions
from detector.cli import cli
from detector.names import ORIGIN_GROUP, OUT_OF_TOWN, parse_name
from detector.profiles import build_profiles
from detector.records import links_within


def parsed(name: str, home: str):
    return parse_name(name, regions.lookup(home))


# ------------------------------------------------------------------------------------------- branches

BRANCHES = [  # (home, name, parent, own words, form)
    ("温州市", "温州市鞋业商会女鞋分会", "温州市鞋业商会", "女鞋", "分会"),
    ("温州市", "温州市鞋革行业协会童鞋专业委员会", "温州市鞋革行业协会", "童鞋", "专业委员会"),
    ("温州市", "温州市服装商会童装专业委员会", "温州市服装商会", "童装", "专业委员会"),
    ("温州市", "温州市眼镜商会镜片分会", "温州市眼镜商会", "镜片", "分会"),
    ("温州市", "瑞安市汽摩配行业协会电器分会", "瑞安市汽摩配行业协会", "电器", "分会"),
    ("温州市", "乐清市电气行业协会低压电器专委会", "乐清市电气行业协会", "低压电器", "专委会"),
    ("杭州市", "杭州市餐饮行业协会火锅专业委员会", "杭州市餐饮行业协会", "火锅", "专业委员会"),
    ("杭州市", "杭州市房地产业协会物业管理分会", "杭州市房地产业协会", "物业管理", "分会"),
    ("宁波市", "宁波市模具行业协会注塑模具分会", "宁波市模具行业协会", "注塑模具", "分会"),
    ("宁波市", "宁波市服装协会职业装专业委员会", "宁波市服装协会", "职业装", "专业委员会"),
    ("台州市", "台州市医药行业协会原料药分会", "台州市医药行业协会", "原料药", "分会"),
    ("台州市", "温岭市泵业协会屏蔽泵专委会", "温岭市泵业协会", "屏蔽泵", "专委会"),
    ("长沙市", "长沙市建筑业协会装饰装修分会", "长沙市建筑业协会", "装饰装修", "分会"),
    ("长沙市", "长沙市湘菜产业促进会小龙虾专业委员会", "长沙市湘菜产业促进会", "小龙虾", "专业委员会"),
    ("株洲市", "株洲市陶瓷协会日用陶瓷分会", "株洲市陶瓷协会", "日用陶瓷", "分会"),
    ("郑州市", "郑州市物流与采购联合会冷链物流分会", "郑州市物流与采购联合会", "冷链物流", "分会"),
    ("郑州市", "郑州市温州商会青年企业家分会", "郑州市温州商会", "青年企业家", "分会"),
    ("苏州市", "苏州市丝绸协会刺绣工作委员会", "苏州市丝绸协会", "刺绣", "工作委员会"),
    ("佛山市", "佛山市陶瓷行业协会卫浴分会", "佛山市陶瓷行业协会", "卫浴", "分会"),
    ("泉州市", "晋江市鞋业商会鞋材分会", "晋江市鞋业商会", "鞋材", "分会"),
    ("青岛市", "青岛市温州商会鞋业分会", "青岛市温州商会", "鞋业", "分会"),
    ("绍兴市", "绍兴市纺织行业协会印染分会", "绍兴市纺织行业协会", "印染", "分会"),
    ("绍兴市", "柯桥区纺织行业协会家纺专业委员会", "柯桥区纺织行业协会", "家纺", "专业委员会"),
]


@pytest.mark.parametrize(("home", "name", "parent", "own", "form"), BRANCHES)
def test_branches_name_their_parent(home, name, parent, own, form):
    p = parsed(name, home)
    up = parsed(parent, home)
    assert (p.branch_of, p.industry_core, p.org_form) == (parent, own, form)
    assert (p.region, p.type, p.origin) == (up.region, up.type, up.origin)  # the parent's region and kind
    assert up.branch_of is None


def test_branch_keeps_a_foreign_parents_origin():
    p = parsed("郑州市温州商会青年企业家分会", "郑州市")
    assert p.origin == "温州市" and p.type == OUT_OF_TOWN and p.branch_of == "郑州市温州商会"


class ZeroEmbedder:
    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def test_a_branch_is_never_a_duplicate_of_its_parent_nor_of_another_bodys_branch():
    names = ["温州市鞋业商会", "温州市鞋业商会女鞋分会", "温州市皮革商会女鞋分会", "溫州鞋業商會女鞋分會"]
    frame = pd.DataFrame({"id": ["P", "B1", "B2", "B3"], "name": names})
    p = build_profiles(frame, None, ZeroEmbedder(), regions.lookup("温州市"))
    assert list(p.frame["eligible"]) == [True, False, False, False]  # branches are outside 一业一会 on their own
    linked = {frozenset((p.frame["id"].iat[k.a], p.frame["id"].iat[k.b])) for k in links_within(p)}
    assert linked == {frozenset(("B1", "B3"))}  # one branch listed twice; never its parent, never B2


@pytest.mark.parametrize("name", ["温州市鞋业分会", "温州市鞋业商会", "温州市慈善总会", "温州市红十字会"])
def test_names_that_are_not_branches(name):
    assert parsed(name, "温州市").branch_of is None


# ----------------------------------------------------------------------------------------- sponsors

SPONSORED = [  # (home, name, region, core, origin)
    ("杭州市", "杭州市工商联五金商会", "杭州市", "五金", None),
    ("杭州市", "杭州市工商联服装商会", "杭州市", "服装", None),
    ("杭州市", "杭州市工商业联合会茶叶商会", "杭州市", "茶叶", None),
    ("杭州市", "萧山区工商联纺织商会", "萧山区", "纺织", None),
    ("宁波市", "宁波市总商会机械商会", "宁波市", "机械", None),
    ("宁波市", "余姚市总商会塑料商会", "余姚市", "塑料", None),
    ("温州市", "温州市总商会眼镜商会", "温州市", "眼镜", None),
    ("温州市", "乐清市工商联电气商会", "乐清市", "电气", None),
    ("温州市", "温州市中国鞋都商会", "温州市", "鞋都", None),
    ("长沙市", "长沙市工商联家具商会", "长沙市", "家具", None),
    ("郑州市", "郑州市工商联温州商会", "郑州市", "", "温州市"),
    ("郑州市", "郑州市工商联福建商会", "郑州市", "", "福建省"),
    ("宁波市", "宁波市总商会台州商会", "宁波市", "", "台州市"),
    ("宁波市", "宁波市总商会安徽商会", "宁波市", "", "安徽省"),
    ("杭州市", "杭州市工商联温州商会", "杭州市", "", "温州市"),
    ("杭州市", "杭州市工商业联合会江西商会", "杭州市", "", "江西省"),
    ("南京市", "南京市工商联浙江商会", "南京市", "", "浙江省"),
    ("成都市", "成都市总商会重庆商会", "成都市", "", "重庆市"),
    ("西安市", "西安市工商联河南商会", "西安市", "", "河南省"),
    ("武汉市", "武汉市总商会温州商会", "武汉市", "", "温州市"),
    ("青岛市", "青岛市工商联浙江商会", "青岛市", "", "浙江省"),
    ("嘉兴市", "嘉兴市总商会服装商会", "嘉兴市", "服装", None),
]


@pytest.mark.parametrize(("home", "name", "region", "core", "origin"), SPONSORED)
def test_sponsor_words_inside_a_name(home, name, region, core, origin):
    p = parsed(name, home)
    assert (p.region, p.industry_core, p.origin) == (region, core, origin)
    assert p.type == (OUT_OF_TOWN if origin else "商会")


def test_a_sponsor_alone_is_the_body_itself():
    p = parsed("杭州市总商会", "杭州市")
    assert p.org_form == "总商会" and p.industry_core == "" and p.origin is None


# ------------------------------------------------------------------------------------ origin groups

GROUPS = [  # (home, name, group, province)
    ("深圳市", "深圳市客家商会", "客家", ""),
    ("广州市", "广州市客家商会", "客家", ""),
    ("成都市", "成都市客家商会", "客家", ""),
    ("温州市", "温州市潮汕商会", "潮汕", "广东省"),
    ("上海市", "上海市潮汕商会", "潮汕", "广东省"),
    ("杭州市", "杭州市潮汕商会", "潮汕", "广东省"),
    ("杭州市", "杭州市潮汕企业家联合会", "潮汕", "广东省"),
    ("深圳市", "深圳市潮汕籍企业家商会", "潮汕", "广东省"),
    ("上海市", "上海市闽南商会", "闽南", "福建省"),
    ("杭州市", "杭州市闽南商会", "闽南", "福建省"),
    ("南京市", "南京市闽南同乡会", "闽南", "福建省"),
    ("温州市", "温州市闽东商会", "闽东", "福建省"),
    ("北京市", "北京市莆仙商会", "莆仙", "福建省"),
    ("长沙市", "长沙市湘南商会", "湘南", "湖南省"),
    ("长沙市", "长沙市湘中商会", "湘中", "湖南省"),
    ("南宁市", "南宁市客家商会", "客家", ""),
    ("昆明市", "昆明市潮汕商会", "潮汕", "广东省"),
    ("福州市", "福州市闽南商会", "闽南", "福建省"),
    ("杭州市", "杭州市东北商会", "东北", ""),
    ("苏州市", "苏州市东北企业家联合会", "东北", ""),
    ("南京市", "南京市苏北商会", "苏北", "江苏省"),
    ("合肥市", "合肥市皖南商会", "皖南", "安徽省"),
    ("深圳市", "深圳市赣南商会", "赣南", "江西省"),
    ("广州市", "广州市港澳商会", "港澳", ""),
]


@pytest.mark.parametrize(("home", "name", "group", "province"), GROUPS)
def test_origin_groups_that_are_not_places(home, name, group, province):
    p = parsed(name, home)
    assert (p.origin, p.origin_level, p.origin_province, p.type) == (group, ORIGIN_GROUP, province, OUT_OF_TOWN)
    assert p.origin_code == f"g:{group}" and p.industry_core == ""


def test_two_groups_and_a_group_and_a_province_are_different_origins():
    home = regions.lookup("杭州市")
    frame = pd.DataFrame({"id": ["A", "B", "C", "D"], "name": ["杭州市潮汕商会", "杭州市闽南商会", "杭州市广东商会",
                                                                "杭州市潮汕籍商会"]})
    p = build_profiles(frame, None, ZeroEmbedder(), home)
    assert p.frame["origin_code"].tolist() == ["g:潮汕", "g:闽南", "440000", "g:潮汕"]
    linked = {frozenset((p.frame["id"].iat[k.a], p.frame["id"].iat[k.b])) for k in links_within(p)}
    assert linked == {frozenset("AD")}  # 潮汕商会 and 潮汕籍商会: one body written two ways


# ----------------------------------------------------------------- a place with no host, --city

NO_HOST = [  # (home, name, region, origin)
    ("南京市", "南京商业联合会", "南京市", None),  # the home city's own federation
    ("南京市", "南京鞋业商会", "南京市", None),
    ("南京市", "南京江宁商会", "江宁区", None),  # a district of the home city is a region, not an origin
    ("南京市", "河南信阳商会", None, "信阳市"),  # a place outside the home city is an origin
    ("南京市", "安徽合肥商会", None, "合肥市"),
    ("常州市", "浙江温州商会", None, "温州市"),
    ("常州市", "常州五金机电商会", "常州市", None),
    ("常州市", "武进区五金商会", "武进区", None),
    ("温州市", "福建福鼎商会", None, "福鼎市"),
    ("温州市", "江西上饶商会", None, "上饶市"),
    ("苏州市", "苏州浙江商会", "苏州市", "浙江省"),
    ("苏州市", "昆山温州商会", "昆山市", "温州市"),
    ("厦门市", "厦门湖南商会", "厦门市", "湖南省"),
    ("杭州市", "江苏盐城商会", None, "盐城市"),
    ("杭州市", "杭州鞋业协会", "杭州市", None),
]


@pytest.mark.parametrize(("home", "name", "region", "origin"), NO_HOST)
def test_a_place_with_no_host_is_decided_against_the_home_city(home, name, region, origin):
    p = parsed(name, home)
    assert (p.region, p.origin) == (region, origin)


def test_parse_city_option():
    out = CliRunner().invoke(cli, ["parse", "--city", "南京市", "南京商业联合会", "河南信阳商会", "南京市客家商会"])
    assert out.exit_code == 0, out.output
    own = out.output.split("河南信阳商会")[0]  # the first name's block
    assert "地域：南京市（地市级）" in own and "籍贯" not in own
    assert "籍贯（异地商会）：信阳市（地市级，河南省）" in out.output
    assert "籍贯（异地商会）：客家（籍贯群体）" in out.output
    bad = CliRunner().invoke(cli, ["parse", "--city", "不存在市", "南京商业联合会"])
    assert bad.exit_code != 0 and "未知的行政区划" in bad.output


# ---------------------------------------------------------------------- brackets and chains

CHAINS = [  # (home, name, region, origin, origin level)
    ("上海市", "上海市浙江（温州）商会", "上海市", "温州市", "prefecture"),
    ("上海市", "上海市浙江温州商会", "上海市", "温州市", "prefecture"),
    ("北京市", "北京市浙江省温州市瑞安商会", "北京市", "瑞安市", "county"),
    ("北京市", "北京市浙江（瑞安）商会", "北京市", "瑞安市", "county"),
    ("成都市", "成都市福建（莆田）商会", "成都市", "莆田市", "prefecture"),
    ("天津市", "天津市山东（德州）商会", "天津市", "德州市", "prefecture"),
    ("济南市", "济南市山西（晋城）商会", "济南市", "晋城市", "prefecture"),
    ("合肥市", "合肥市浙江（台州）商会", "合肥市", "台州市", "prefecture"),
    ("贵阳市", "贵阳市重庆（万州）商会", "贵阳市", "万州区", "county"),
    ("厦门市", "厦门市江西（赣州）商会", "厦门市", "赣州市", "prefecture"),
    ("重庆市", "重庆市浙江·温州商会", "重庆市", "温州市", "prefecture"),
    ("杭州市", "杭州市江西（上饶）商会", "杭州市", "上饶市", "prefecture"),
    ("杭州市", "杭州市福建（福鼎）商会", "杭州市", "福鼎市", "county"),
    ("温州市", "温州市安徽（六安）商会", "温州市", "六安市", "prefecture"),
    ("温州市", "温州市湖南（邵阳）商会", "温州市", "邵阳市", "prefecture"),
    ("温州市", "温州市江西省上饶市商会", "温州市", "上饶市", "prefecture"),
    ("温州市", "温州市福建省宁德市福鼎商会", "温州市", "福鼎市", "county"),
    ("深圳市", "深圳市湖北（黄冈）商会", "深圳市", "黄冈市", "prefecture"),
    ("广州市", "广州市四川（南充）商会", "广州市", "南充市", "prefecture"),
    ("天津市", "天津市河北（沧州）商会", "天津市", "沧州市", "prefecture"),  # 河北省, not Tianjin's 河北区
    ("天津市", "天津市河北沧州商会", "天津市", "沧州市", "prefecture"),
    ("天津市", "天津市河北（唐山）商会", "天津市", "唐山市", "prefecture"),
    ("天津市", "天津市河北（衡水）商会", "天津市", "衡水市", "prefecture"),
    ("天津市", "天津市河北（任丘）商会", "天津市", "任丘市", "county"),
    ("北京市", "北京市河南（信阳）商会", "北京市", "信阳市", "prefecture"),
    ("北京市", "北京市河北（保定）商会", "北京市", "保定市", "prefecture"),
    ("广州市", "广州市湖南（邵阳）商会", "广州市", "邵阳市", "prefecture"),
    ("深圳市", "深圳市江西赣州商会", "深圳市", "赣州市", "prefecture"),
    ("上海市", "上海市江苏（南通）商会", "上海市", "南通市", "prefecture"),
    ("武汉市", "武汉市浙江（义乌）商会", "武汉市", "义乌市", "county"),
    ("西安市", "西安市河南（周口）商会", "西安市", "周口市", "prefecture"),
]


@pytest.mark.parametrize(("home", "name", "region", "origin", "level"), CHAINS)
def test_origins_in_brackets_and_chains(home, name, region, origin, level):
    p = parsed(name, home)
    assert (p.region, p.origin, p.origin_level, p.type) == (region, origin, level, OUT_OF_TOWN)


@pytest.mark.parametrize(("name", "region", "core", "origin"), [
    ("天津市河北区五金商会", "河北区", "五金", None),  # the district, written in full
    ("天津市河北区商会", "河北区", "", None),
    ("天津市河北区温州商会", "河北区", "", "温州市"),
    ("河北沧州商会", None, "", "沧州市"),  # no host: the origin alone
])
def test_a_host_district_named_like_a_province_stays_a_district_unless_an_origin_follows(name, region, core, origin):
    p = parsed(name, "天津市")
    assert (p.region, p.industry_core, p.origin) == (region, core, origin)


# ------------------------------------------------------------------------------- towns and streets

TOWNS = [  # (home, name, region, town, core): a body of a town, 乡 or street is a level below its county
    ("温州市", "塘下镇商会", "瑞安市", "塘下镇", "塘下镇"),  # no county written: the home city's only 塘下镇
    ("温州市", "瑞安市塘下镇商会", "瑞安市", "塘下镇", "塘下镇"),
    ("温州市", "温州市瑞安市塘下镇汽摩配行业协会", "瑞安市", "塘下镇", "汽摩配"),
    ("温州市", "北白象镇工商业联合会", "乐清市", "北白象镇", "北白象镇"),
    ("温州市", "乐清市北白象镇商会", "乐清市", "北白象镇", "北白象镇"),
    ("温州市", "乐清市柳市镇电器商会", "乐清市", "柳市镇", "电器"),
    ("温州市", "乐清市柳市电器商会", "乐清市", "柳市镇", "电器"),  # the suffix left out after the county
    ("温州市", "乐清市柳市商会", "乐清市", "柳市镇", "柳市镇"),
    ("温州市", "温州市鹿城区五马街道商会", "鹿城区", "五马街道", "五马街道"),
    ("温州市", "瓯海区娄桥街道商会", "瓯海区", "娄桥街道", "娄桥街道"),
    ("温州市", "永嘉县桥头镇纽扣商会", "永嘉县", "桥头镇", "纽扣"),
    ("温州市", "平阳县鳌江镇商会", "平阳县", "鳌江镇", "鳌江镇"),
    ("温州市", "苍南县金乡镇商会", "苍南县", "金乡镇", "金乡镇"),
    ("温州市", "泰顺县竹里畲族乡商会", "泰顺县", "竹里畲族乡", "竹里畲族乡"),
    ("温州市", "瑞安市莘塍镇商会", "瑞安市", "莘塍街道", "莘塍街道"),  # 撤镇设街道: the street it is today
    ("温州市", "瑞安市罗凤镇商会", "瑞安市", "罗凤镇", "罗凤镇"),  # merged away, known by its form
    ("温州市", "乐清市七里港镇商会", "乐清市", "七里港镇", "七里港镇"),
    ("温州市", "乐清市象阳镇工商业联合会", "乐清市", "象阳镇", "象阳镇"),
    ("苏州市", "江苏省昆山市千灯镇商会", "昆山市", "千灯镇", "千灯镇"),
    ("苏州市", "千灯镇商会", "昆山市", "千灯镇", "千灯镇"),
    ("苏州市", "昆山市周市镇商会", "昆山市", "周市镇", "周市镇"),
    ("苏州市", "周庄镇旅游协会", "昆山市", "周庄镇", "旅游"),  # 江阴 has a 周庄镇 too, outside 苏州
    ("无锡市", "周庄镇商会", "江阴市", "周庄镇", "周庄镇"),
    ("苏州市", "吴江区盛泽镇纺织商会", "吴江区", "盛泽镇", "纺织"),
    ("常州市", "武进区湖塘镇纺织商会", "武进区", "湖塘镇", "纺织"),
    ("佛山市", "佛山市南海区大沥镇商会", "南海区", "大沥镇", "大沥镇"),
    ("佛山市", "南海区大沥铝型材商会", "南海区", "大沥镇", "铝型材"),
    ("佛山市", "南海区西樵镇纺织商会", "南海区", "西樵镇", "纺织"),
    ("佛山市", "顺德区乐从镇家具商会", "顺德区", "乐从镇", "家具"),
    ("佛山市", "顺德区容桂街道商会", "顺德区", "容桂街道", "容桂街道"),
    ("佛山市", "北滘镇商会", "顺德区", "北滘镇", "北滘镇"),
    ("东莞市", "东莞市虎门镇商会", "东莞市", "虎门镇", "虎门镇"),  # no counties: towns directly under the city
    ("东莞市", "东莞市厚街镇家具商会", "东莞市", "厚街镇", "家具"),
    ("东莞市", "大朗毛织商会", "东莞市", "大朗镇", "毛织"),
    ("中山市", "中山市古镇灯饰协会", "中山市", "古镇镇", "灯饰"),
    ("金华市", "义乌市佛堂镇商会", "义乌市", "佛堂镇", "佛堂镇"),
    ("金华市", "佛堂镇商会", "义乌市", "佛堂镇", "佛堂镇"),
    ("金华市", "义乌市佛堂商会", "义乌市", "佛堂镇", "佛堂镇"),
    ("金华市", "东阳市横店镇商会", "东阳市", "横店镇", "横店镇"),
    ("绍兴市", "诸暨市店口镇五金商会", "诸暨市", "店口镇", "五金"),
    ("绍兴市", "诸暨市大唐镇袜业协会", "诸暨市", "大唐街道", "袜业"),
    ("绍兴市", "柯桥区钱清镇轻纺商会", "柯桥区", "钱清街道", "轻纺"),
    ("宁波市", "余姚市泗门镇商会", "余姚市", "泗门镇", "泗门镇"),
    ("宁波市", "慈溪市观海卫镇工商业联合会", "慈溪市", "观海卫镇", "观海卫镇"),
    ("台州市", "温岭市泽国镇商会", "温岭市", "泽国镇", "泽国镇"),
    ("台州市", "玉环市楚门镇商会", "玉环市", "楚门镇", "楚门镇"),
    ("杭州市", "萧山区瓜沥镇商会", "萧山区", "瓜沥镇", "瓜沥镇"),
    ("杭州市", "杭州市上城区湖滨街道商会", "上城区", "湖滨街道", "湖滨街道"),
    ("杭州市", "淳安县王阜乡商会", "淳安县", "王阜乡", "王阜乡"),
    ("嘉兴市", "桐乡市濮院镇毛衫商会", "桐乡市", "濮院镇", "毛衫"),
    ("泉州市", "晋江市陈埭镇鞋业商会", "晋江市", "陈埭镇", "鞋业"),
    ("泉州市", "石狮市蚶江镇商会", "石狮市", "蚶江镇", "蚶江镇"),
    ("泉州市", "晋江市磁灶镇陶瓷商会", "晋江市", "磁灶镇", "陶瓷"),
    ("长沙市", "浏阳市大瑶镇花炮商会", "浏阳市", "大瑶镇", "花炮"),
    ("长沙市", "浏阳市小河乡商会", "浏阳市", "小河乡", "小河乡"),
    ("湘潭市", "湘潭县易俗河镇商会", "湘潭县", "易俗河镇", "易俗河镇"),
    ("成都市", "郫都区犀浦街道商会", "郫都区", "犀浦街道", "犀浦街道"),
    ("青岛市", "即墨区蓝村街道商会", "即墨区", "蓝村街道", "蓝村街道"),
    ("广州市", "花都区狮岭镇皮具商会", "花都区", "狮岭镇", "皮具"),
]


@pytest.mark.parametrize(("home", "name", "region", "town", "core"), TOWNS)
def test_towns_and_streets_are_a_level_below_their_county(home, name, region, town, core):
    p = parsed(name, home)
    assert (p.region, p.town, p.industry_core, p.origin) == (region, town, core, None)
    assert p.type in ("商会", "行业协会")


NOT_TOWNS = [  # (home, name, region, core): words and places that only look like a town
    ("瑞安市", "瑞安市城镇燃气协会", "瑞安市", "城镇燃气"),  # 城镇 is a word
    ("温州市", "乐清市乡镇企业协会", "乐清市", "乡镇企业"),
    ("温州市", "瑞安市特色小镇促进会", "瑞安市", "特色小镇"),
    ("湘潭市", "湘潭县古镇旅游协会", "湘潭县", "古镇旅游"),
    ("杭州市", "淳安县建设工程造价协会", "淳安县", "建设工程造价"),
    ("苏州市", "吴江区房地产业协会", "吴江区", "房地产业"),
]


@pytest.mark.parametrize(("home", "name", "region", "core"), NOT_TOWNS)
def test_words_that_look_like_towns_are_not_towns(home, name, region, core):
    p = parsed(name, home)
    assert (p.region, p.town, p.industry_core) == (region, "", core)


def test_a_town_named_like_a_province_is_read_as_an_origin_unless_written_as_a_town():
    assert (parsed("衢江区湖南商会", "衢州市").origin, parsed("衢江区湖南商会", "衢州市").town) == ("湖南省", "")
    p = parsed("衢江区湖南镇商会", "衢州市")
    assert (p.region, p.town, p.origin) == ("衢江区", "湖南镇", None)


@pytest.mark.parametrize(("home", "name", "origin"), [
    ("湘潭市", "湘潭市山西天镇商会", "天镇县"),  # 山西 + 天镇 people, not a 山西天镇
    ("温州市", "温州市贵州镇宁商会", "镇宁布依族苗族自治县"),
    ("杭州市", "杭州市浙江镇海商会", "镇海区"),
    ("宁波市", "宁波市景德镇商会", "景德镇市"),  # a city, not a 镇
])
def test_an_origin_that_reads_like_a_town_stays_an_origin(home, name, origin):
    p = parsed(name, home)
    assert (p.origin, p.town, p.type) == (origin, "", OUT_OF_TOWN)


def test_a_town_elsewhere_is_not_the_home_citys():
    p = parsed("千灯镇商会", "温州市")  # 昆山's town, not one of Wenzhou's: no county is made up for it
    assert (p.region, p.town) == (None, "")


def test_two_bodies_of_one_town_are_duplicates_a_town_and_its_county_are_not():
    from detector.features import pair_features
    from detector.scoring import GATE_NESTED, GATE_REGION, gates

    names = {"A": "瑞安市塘下镇汽摩配行业协会", "B": "塘下镇汽摩配商会", "C": "瑞安市汽摩配行业协会",
             "D": "瑞安市马屿镇汽摩配行业协会", "E": "瑞安市塘下镇商会", "F": "塘下镇工商业联合会", "G": "瑞安市商会"}
    frame = pd.DataFrame({"id": list(names), "name": list(names.values())})
    p = build_profiles(frame, None, ZeroEmbedder(), regions.lookup("温州市"))
    row = {k: i for i, k in enumerate(names)}
    pairs = [("A", "B"), ("A", "C"), ("A", "D"), ("E", "F"), ("E", "G")]
    f = pair_features(p, p, np.array([row[a] for a, _ in pairs]), np.array([row[b] for _, b in pairs]))
    assert f["region_rel"].tolist() == ["same", "nested", "different", "same", "nested"]
    open_, reasons = gates(f)
    assert open_.tolist() == [1.0, 0.0, 0.0, 1.0, 0.0]  # one town's two bodies may be one; the others not
    assert reasons == ["", GATE_NESTED, GATE_REGION, "", GATE_NESTED]
    linked = {frozenset((p.frame["id"].iat[k.a], p.frame["id"].iat[k.b])) for k in links_within(p)}
    assert frozenset("CE") not in linked and frozenset("AC") not in linked


def test_parse_prints_the_town_and_its_county():
    out = CliRunner().invoke(cli, ["parse", "--city", "温州市", "塘下镇商会"])
    assert out.exit_code == 0, out.output
    assert "地域：瑞安市（县级）" in out.output and "乡镇（街道）：塘下镇" in out.output


def test_one_town_body_written_several_ways_is_one_record():
    names = ["瑞安市塘下镇商会", "塘下镇商会", "瑞安市商会", "瑞安市马屿镇商会", "乐清市柳市镇电器商会", "乐清市柳市电器商会",
             "乐清市电器商会", "瑞安市莘塍镇商会", "瑞安市莘塍街道商会"]
    frame = pd.DataFrame({"id": [f"T{k}" for k in range(len(names))], "name": names})
    p = build_profiles(frame, None, ZeroEmbedder(), regions.lookup("温州市"))
    linked = {frozenset((names[k.a], names[k.b])) for k in links_within(p)}
    assert linked == {frozenset(("瑞安市塘下镇商会", "塘下镇商会")), frozenset(("乐清市柳市镇电器商会", "乐清市柳市电器商会")),
                      frozenset(("瑞安市莘塍镇商会", "瑞安市莘塍街道商会"))}


def test_a_town_before_a_word_that_opens_with_xiang_keeps_the_word():
    p = parsed("湘潭县青山桥乡土文化研究会", "湘潭市")  # never a 青山桥乡 with 土文化 left over
    assert (p.region, p.town, p.industry_core) == ("湘潭县", "", "青山桥乡土文化")
    p = parsed("湘潭县青山桥镇乡土文化研究会", "湘潭市")
    assert (p.region, p.town, p.industry_core) == ("湘潭县", "青山桥镇", "乡土文化")


def test_at_least_a_hundred_new_names():
    names = {n for _, n, *_ in BRANCHES + SPONSORED + GROUPS + NO_HOST + CHAINS + TOWNS + NOT_TOWNS}
    assert len(names) >= 100 + len(TOWNS)  # the towns came on top of the first hundred
