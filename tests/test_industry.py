"""Industry vocabulary: loader validation, name cores, classification, relations, tokenisation."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from detector import industry
from detector.errors import DetectorError
from detector.paths import models_dir
from detector.tokens import tokenize

GBT_FILE = Path(__file__).parents[2] / "shared/data/gbt4754_2017.csv"

VALID_ENTRY = """
[[industry]]
key = "footwear"
name = "鞋业"
gbt = ["195"]
aliases = ["鞋革", "制鞋"]
keywords = ["皮鞋", "鞋材"]
related = ["tanning"]
kind = "industry"

[[industry]]
key = "tanning"
name = "皮革"
gbt = ["191"]
aliases = ["制革"]
keywords = ["鞣制"]
related = []
kind = "industry"
"""


def load(tmp_path: Path, text: str) -> industry.Taxonomy:
    path = tmp_path / "industries.toml"
    path.write_text(text, encoding="utf-8")
    return industry.taxonomy(path)


def top(**record: str) -> str:
    matches = industry.classify(**record)
    assert matches, record
    return matches[0].industry.key


# ─── the shipped vocabulary ─────────────────────────────────────────────────────────────


def test_shipped_vocabulary_loads():
    entries = industry.all_industries()
    keys = [i.key for i in entries]
    assert len(keys) == len(set(keys))
    assert sum(i.kind == industry.INDUSTRY for i in entries) >= 60
    non_industry = {i.key for i in entries if i.kind == industry.NON_INDUSTRY}
    assert {"entrepreneurs", "general_chamber", "private_economy", "out_of_town", "academic",
            "foreign_invested", "quality_brand", "foreign_trade", "sme"} <= non_industry


def test_every_industry_has_gbt_and_enough_keywords():
    for ind in industry.all_industries():
        if ind.kind == industry.INDUSTRY:
            assert ind.gbt, ind.key
        if ind.curated and not ind.group:  # GB/T units and social subjects (网球) are known by their names
            assert len(ind.keywords) >= 8, ind.key


def _gbt_codes(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig") as f:
        return {row[col] for row in csv.DictReader(f) for col in ("division", "group", "class") if row[col]}


def test_gbt_codes_exist_in_the_standard():
    codes = _gbt_codes(models_dir() / "gbt4754_2017.csv")
    assert len(codes) > 1000  # divisions, groups and classes were read
    missing = [(i.key, code) for i in industry.all_industries() for code in i.gbt if code not in codes]
    assert not missing


@pytest.mark.skipif(not GBT_FILE.exists(), reason="the shared GB/T 4754-2017 table is not beside the clone")
def test_shipped_gbt_table_is_the_standard():
    """models/ carries the shared table with one correction: 3741 飞机制造 is a class (the shared copy lost
    its code and marked it a group), as the published standard lists it."""
    shipped = (models_dir() / "gbt4754_2017.csv").read_text(encoding="utf-8-sig").splitlines()
    shared = GBT_FILE.read_text(encoding="utf-8-sig").splitlines()
    differing = [(a, b) for a, b in zip(shared, shipped, strict=True) if a != b]
    assert len(differing) == 1 and differing[0][1].startswith("4,C,37,374,3741,飞机制造,")


def test_related_is_symmetric_and_points_to_existing_keys():
    for ind in industry.all_industries():
        assert ind.key not in ind.related
        for other in ind.related:
            assert ind.key in industry.get(other).related, (ind.key, other)


def test_aliases_belong_to_one_entry():
    owner: dict[str, str] = {}
    for ind in industry.all_industries():
        for alias in (ind.name, *ind.aliases):
            assert owner.setdefault(alias, ind.key) == ind.key, alias


def test_get_unknown_key():
    with pytest.raises(DetectorError, match="no_such_industry"):
        industry.get("no_such_industry")


# ─── loader validation ──────────────────────────────────────────────────────────────────


def test_valid_file_and_symmetric_relation(tmp_path):
    tax = load(tmp_path, VALID_ENTRY)
    assert list(tax.industries) == ["footwear", "tanning"]
    assert tax.get("tanning").related == ("footwear",)
    assert tax.match_core("温州鞋革") == tax.get("footwear")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID_ENTRY.replace('key = "tanning"', 'key = "footwear"'), ["第 2 个条目（footwear）", "重复"]),
        (VALID_ENTRY.replace('aliases = ["制革"]', 'aliases = ["制革", "鞋革"]'), ["（tanning）", "鞋革", "footwear"]),
        (VALID_ENTRY.replace('related = ["tanning"]', 'related = ["tanning", "leather"]'), ["（footwear）", "leather"]),
        (VALID_ENTRY.replace('related = []', 'related = ["tanning"]'), ["（tanning）", "related"]),
        (VALID_ENTRY.replace('gbt = ["191"]', "gbt = []"), ["（tanning）", "GB/T"]),
        (VALID_ENTRY.replace('gbt = ["191"]', 'gbt = ["C191"]'), ["（tanning）", "C191"]),
        (VALID_ENTRY.replace('aliases = ["制革"]', 'alias = ["制革"]'), ["（tanning）", "未知字段 alias"]),
        (VALID_ENTRY.replace('kind = "industry"\n\n', 'kind = "trade"\n\n'), ["（footwear）", "trade"]),
        (VALID_ENTRY.replace('aliases = ["制革"]', 'aliases = ["革"]'), ["（tanning）", "aliases", "'革'"]),
        (VALID_ENTRY.replace('key = "tanning"', 'key = "Tanning"'), ["第 2 个条目", "key"]),
        (VALID_ENTRY.replace('keywords = ["鞣制"]', 'keywords = "鞣制"'), ["（tanning）", "keywords"]),
        (VALID_ENTRY.replace('name = "皮革"', ""), ["（tanning）", "name"]),
        (VALID_ENTRY.replace('[[industry]]\nkey = "tanning"', '[[industry]\nkey = "tanning"'), ["TOML"]),
        ("[meta]\nversion = 1\n", ["[[industry]]"]),
    ],
)
def test_broken_file_names_the_problem(tmp_path, text, expected):
    with pytest.raises(DetectorError) as err:
        load(tmp_path, text)
    for part in expected:
        assert part in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(DetectorError, match="找不到行业词表"):
        industry.taxonomy(tmp_path / "absent.toml")


# ─── name cores ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("core", "key"),
    [
        ("鞋革", "footwear"),
        ("鞋业", "footwear"),
        ("鞋类", "footwear"),
        ("鞋服", "footwear"),
        ("鞋材", "shoe_materials"),
        ("皮革", "tanning"),
        ("箱包皮具", "leather"),
        ("合成革", "synthetic_leather"),
        ("服装", "apparel"),
        ("服装辅料", "garment_accessories"),
        ("纽扣", "garment_accessories"),
        ("眼镜", "eyewear"),
        ("打火机", "lighters"),
        ("烟具", "lighters"),
        ("锁具", "locks"),
        ("制笔", "pens"),
        ("汽摩配", "auto_parts"),
        ("汽配", "auto_parts"),
        ("摩配", "auto_parts"),
        ("汽车零部件", "auto_parts"),
        ("汽车用品", "car_accessories"),
        ("汽车销售", "car_dealers"),
        ("汽车经销商", "car_dealers"),
        ("二手车流通", "used_cars"),
        ("汽车", "automobiles"),
        ("汽车维修", "car_repair"),
        ("摩托车", "motorcycles"),
        ("新能源汽车", "nev"),
        ("泵阀", "pumps_valves"),
        ("阀门", "pumps_valves"),
        ("电气", "electrical"),
        ("低压电器", "electrical"),
        ("输配电", "electrical"),
        ("电子信息", "electronics"),
        ("家用电器", "home_appliances"),
        ("仪器仪表", "instruments"),
        ("电线电缆", "cables"),
        ("印刷", "printing"),
        ("包装", "packaging"),
        ("包装机械", "packaging_machinery"),
        ("食品机械", "machinery"),
        ("矿山装备", "mining_machinery"),
        ("模具", "molds"),
        ("塑编", "plastics"),
        ("五金机电", "hardware"),
        ("不锈钢", "steel"),
        ("电子商务", "ecommerce"),
        ("网商", "ecommerce"),
        ("跨境电商", "ecommerce"),
        ("房地产开发", "real_estate"),
        ("不动产业", "real_estate"),
        ("房产中介", "real_estate_agency"),
        ("物业管理", "property_management"),
        ("建筑业", "construction"),
        ("建设工程造价管理", "cost_consulting"),
        ("建设工程招标投标", "tendering"),
        ("室内装饰", "decoration"),
        ("家居装饰材料", "building_materials"),
        ("预拌混凝土", "cement_concrete"),
        ("物流与采购", "logistics"),
        ("快递", "express"),
        ("出租汽车", "taxi"),
        ("机动车驾驶员培训", "driver_training"),
        ("软件", "software"),
        ("互联网上网服务", "entertainment"),
        ("烹饪", "catering"),
        ("饭店业", "hotels"),
        ("医药", "pharma"),
        ("药品零售", "drug_retail"),
        ("医疗器械", "medical_devices"),
        ("民营医院", "private_healthcare"),
        ("小额贷款", "finance"),
        ("融资担保", "guarantee"),
        ("注册税务师", "tax_agents"),
        ("茶叶", "tea"),
        ("茶文化", "tea"),
        ("花卉盆景", "flowers"),
        ("青年企业家", "entrepreneurs"),
        ("个体劳动者私营企业", "private_economy"),
        ("外商投资企业", "foreign_invested"),
        ("外经贸企业", "foreign_trade"),
        ("中小微企业", "sme"),
        ("总商会", "general_chamber"),
    ],
)
def test_match_core(core, key):
    found = industry.match_core(core)
    assert found is not None and found.key == key


@pytest.mark.parametrize("core", ["", "江西", "湘潭"])
def test_match_core_unknown(core):
    assert industry.match_core(core) is None


def test_match_core_normalises_traditional_and_full_width():
    assert industry.match_core("鞋革（行業）").key == "footwear"
    assert industry.match_core("汽車銷售").key == "car_dealers"


# ─── classification ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("scope", "key"),
    [
        ("皮鞋、运动鞋制造、鞋材批发", "footwear"),
        ("汽车零部件及配件制造", "auto_parts"),
        ("新车销售、二手车经纪", "car_dealers"),
        ("低压电器、断路器、接触器、配电箱制造、销售；货物进出口、技术进出口", "electrical"),
        ("阀门、管件、法兰制造、加工、销售", "pumps_valves"),
        ("包装装潢、其他印刷品印刷（在印刷经营许可证有效期内经营）", "printing"),
        ("眼镜、镜片、镜架制造、加工、销售", "eyewear"),
        ("打火机及配件、烟具制造", "lighters"),
        ("聚氨酯合成革、超纤革生产、销售", "synthetic_leather"),
        ("纽扣、拉链、织带生产", "garment_accessories"),
        ("处方药与非处方药：中成药、化学药制剂、抗生素制剂零售", "pharma"),
        ("通过互联网销售服装、鞋帽；网店运营；直播带货", "ecommerce"),
        ("国内快递（邮政企业专营业务除外）", "express"),
        ("餐饮服务：小型餐馆（中餐类制售，不含凉菜）", "catering"),
        ("房地产开发经营；商品房销售", "real_estate"),
        ("物业管理；停车管理服务；保洁服务", "property_management"),
        ("软件开发；信息系统集成服务；数据处理", "software"),
        ("吸收公众人民币存款；发放短期、中期和长期贷款；办理国内结算", "banking"),
    ],
)
def test_classify_scope(scope, key):
    assert top(scope=scope) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("温州市鞋革行业协会", "footwear"),
        ("温州市汽摩配行业协会", "auto_parts"),
        ("温州市汽车经销商协会", "car_dealers"),
        ("温州市服装商会", "apparel"),
        ("溫州市眼鏡商會", "eyewear"),
        ("温州市网商协会", "ecommerce"),
        ("湘潭市房地产开发协会", "real_estate"),
        ("湘潭市物流与采购联合会", "logistics"),
        ("湘潭市青年企业家协会", "entrepreneurs"),
        ("温州市鞋业研究会", "footwear"),
        ("湘潭市中医药学会", "tcm"),
    ],
)
def test_classify_name(name, key):
    assert top(name=name) == key


def test_classify_evidence_and_confidence():
    matches = industry.classify(name="温州市鞋革行业协会", scope="皮鞋、运动鞋、休闲鞋制造")
    best = matches[0]
    assert best.industry.key == "footwear"
    assert {"鞋革", "皮鞋", "运动鞋", "休闲鞋"} <= set(best.evidence)
    assert best.confidence > industry.classify(name="温州市鞋革行业协会")[0].confidence
    assert all(0 <= m.confidence <= 1 for m in matches)
    assert sum(m.confidence for m in matches) <= 1
    assert [m.confidence for m in matches] == sorted((m.confidence for m in matches), reverse=True)


def test_more_evidence_means_more_confidence():
    name_only = industry.classify(name="温州市眼镜商会")[0].confidence
    with_scope = industry.classify(name="温州市眼镜商会", scope="眼镜、镜片、镜架、太阳镜销售")[0].confidence
    one_word = industry.classify(scope="眼镜")[0].confidence
    assert one_word < name_only < with_scope


def test_name_and_declared_outweigh_scope():
    apparel_scope = "服装、童装、女装、衬衫、西服、羽绒服制造"
    assert top(name="温州市鞋革行业协会", scope=apparel_scope) == "footwear"
    assert top(declared="制鞋业", scope=apparel_scope) == "footwear"


def test_import_export_boilerplate_does_not_win():
    matches = industry.classify(scope="皮鞋制造、销售；货物进出口、技术进出口")
    assert matches[0].industry.key == "footwear"
    assert all(m.confidence < 0.1 for m in matches if m.industry.key == "foreign_trade")


def test_non_industry_word_ranks_below_industry_word_in_name():
    keys = [m.industry.key for m in industry.classify(name="温州市鞋业研究会")]
    assert keys[:2] == ["footwear", "academic"]


def test_classify_without_evidence():
    assert industry.classify() == []
    assert industry.classify(name="株洲市江西商会", scope="定期开会交流") == []
    assert industry.classify(name=None, scope=float("nan")) == []  # type: ignore[arg-type]


# ─── relations and tokenisation ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("footwear", "footwear", industry.SAME),
        ("footwear", "tanning", industry.RELATED),
        ("tanning", "footwear", industry.RELATED),
        ("synthetic_leather", "footwear", industry.RELATED),
        ("car_dealers", "auto_parts", industry.RELATED),
        ("auto_parts", "car_dealers", industry.RELATED),
        ("footwear", "software", industry.DIFFERENT),
        ("eyewear", "pumps_valves", industry.DIFFERENT),
        ("footwear", None, industry.UNKNOWN),
        (None, "footwear", industry.UNKNOWN),
        ("", "", industry.UNKNOWN),
    ],
)
def test_relation(a, b, expected):
    assert industry.relation(a, b) == expected


def test_relation_unknown_key_is_an_error():
    with pytest.raises(DetectorError):
        industry.relation("footwear", "no_such_industry")


def test_jieba_words_cover_the_vocabulary():
    words = dict(industry.jieba_words())
    for word in ("鞋业", "鞋革", "汽摩配", "网商", "皮鞋", "断路器", "企业家"):
        assert words.get(word, 0) > 0, word


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("汽摩配制造及销售", "汽摩配"),
        ("鞋革行业协会", "鞋革"),
        ("合成革、人造革生产", "合成革"),
        ("服装辅料批发", "服装辅料"),
        ("低压电器、断路器制造", "低压电器"),
        ("打火机及烟具制造", "打火机"),
    ],
)
def test_tokenize_keeps_vocabulary_words(text, token):
    assert token in tokenize(text)


@pytest.mark.parametrize(("core", "key", "segment"), [
    ("出租汽车", "automobiles", "出租"),  # taxi operators within the car industry
    ("体育舞蹈", "sports", "舞蹈"),
    ("学生体育", "sports", "学生"),
    ("财政会计", "accounting", "财政"),
    ("鞋革", "footwear", ""),  # an alias is the industry itself
    ("服装服饰", "apparel", ""),  # words of the entry cover the whole core
    ("眼镜产业", "eyewear", ""),  # generic words do not narrow it
    ("新闻工作者", "news", ""),
    ("", "footwear", ""),
])
def test_segment(core, key, segment):
    assert industry.segment(core, key) == segment


@pytest.mark.parametrize(("a", "b"), [
    ("律师", "司法鉴定"), ("注册会计师", "内部审计师"), ("养猪", "蜂业"), ("石料", "砖瓦"), ("导游", "旅游"),
    ("医院", "基层卫生"), ("矿山装备", "机械工业"),
])
def test_distinct_professions_are_not_one_industry(a, b):
    """Real registries hold separate associations for these (湘潭市律师协会 and 湘潭市司法鉴定协会)."""
    ka, kb = industry.match_core(a).key, industry.match_core(b).key
    assert ka != kb and industry.relation(ka, kb) in (industry.RELATED, industry.DIFFERENT)


@pytest.mark.parametrize(("core", "key"), [
    ("饭店餐饮", "catering"),  # two related industries named together: a combined field
    ("婚庆礼仪", "photography_wedding"),
    ("融资性担保", "guarantee"),
    ("小额贷款公司", "finance"),
])
def test_no_segment_in_combined_or_generic_words(core, key):
    assert industry.match_core(core).key == key and industry.segment(core, key) == ""


# ─── GB/T 4754: every division, group and class ───────────────────────────────────────────


def test_every_gbt_unit_has_an_entry_except_the_organisations():
    from detector import gbt
    from detector.paths import models_dir

    units = gbt.load_units(models_dir() / "gbt4754_2017.csv")
    covered = {code for ind in industry.all_industries() for code in ind.gbt}
    curated_codes = {code for ind in industry.all_industries() if ind.curated for code in ind.gbt}
    for u in units:
        if u.code[:2] in {"91", "92", "93", "94", "95", "96", "97"}:  # 党政机关、社会团体 … are no trades
            assert f"gbt_{u.code}" not in industry.taxonomy().industries
            continue
        # its own entry, or a curated entry covering it (its code or a group/class code above it)
        assert u.code in covered or any(u.code.startswith(c) for c in curated_codes if len(c) >= 3), u.code


@pytest.mark.parametrize("core, key, name", [
    ("热处理", "gbt_3360", "金属表面处理及热处理加工"),
    ("金属热处理", "gbt_3360", "金属表面处理及热处理加工"),
    ("足浴", "gbt_8052", "足浴服务"),
    ("足浴保健", "gbt_8052", "足浴服务"),
    ("殡葬服务", "gbt_8080", "殡葬服务"),
    ("拍卖", "gbt_5182", "一般物品拍卖"),
    ("艺术品拍卖", "gbt_5183", "艺术品、收藏品拍卖"),
    ("洗浴", "gbt_8051", "洗浴服务"),
    ("轴承", "gbt_3451", "滚动轴承制造"),
    ("锻造", "gbt_3393", "锻件及粉末冶金制品制造"),
    ("快餐", "gbt_6220", "快餐服务"),
    ("豆类", "gbt_0121", "豆类种植"),  # the class that names it, not the group listing it with others
    ("锰业", "gbt_0820", "锰矿、铬矿采选"),
])
def test_registry_words_find_their_gbt_class(core, key, name):
    hit = industry.match_core(core)
    assert (hit.key, hit.name) == (key, name)
    assert not hit.curated and hit.kind == industry.INDUSTRY


def test_curated_entries_stay_on_top_of_the_standard():
    # a unit a curated entry lists adds its words to it (制鞋业 is 鞋业; 皮鞋制造 too) …
    assert industry.match_core("皮鞋制造").key == "footwear"
    assert industry.match_core("餐饮业").key == "catering"
    # … a unit named like a curated entry is that entry (印刷 of 印刷和记录媒介复制业) …
    assert "gbt_231" not in industry.taxonomy().industries
    # … curated words are never taken, and generic words (工程, 服务) are no trade of their own
    assert industry.match_core("出租汽车").key == "taxi"
    assert industry.match_core("机械工程").key == "machinery"
    assert industry.match_core("批发") is None


def test_a_specific_class_is_related_to_its_division_not_the_same():
    assert industry.relation("gbt_6220", "catering") == industry.RELATED  # 快餐 within 餐饮业
    assert industry.relation("gbt_3360", "hardware") == industry.RELATED  # 热处理 within 金属制品业
    assert industry.relation("gbt_8052", "gbt_805") == industry.RELATED  # 足浴 within 洗浴和保健养生
    assert industry.relation("gbt_8052", "gbt_8080") == industry.DIFFERENT  # 足浴 vs 殡葬


def test_classify_names_of_gbt_trades():
    assert top(name="长沙市足浴行业协会") == "gbt_8052"
    assert top(name="株洲市殡葬协会") == "gbt_8080"
    assert top(name="衡阳市拍卖行业协会", scope="文物艺术品拍卖、司法拍卖") in {"gbt_5182", "gbt_5183"}


def test_gbt_config_errors_are_named(tmp_path):
    table = Path(__file__).parents[1] / "models" / "gbt4754_2017.csv"
    (tmp_path / "gbt.csv").write_bytes(table.read_bytes())
    base = VALID_ENTRY + '\n[gbt]\ntable = "gbt.csv"\n'
    with pytest.raises(DetectorError, match="不是行业分类表中的代码"):
        load(tmp_path, base + '[gbt.aliases]\n"9999" = ["某业"]\n')
    with pytest.raises(DetectorError, match="未知字段"):
        load(tmp_path, base + 'tables = 1\n')
    with pytest.raises(DetectorError, match="至少 2 个字"):
        load(tmp_path, base + '[gbt.aliases]\n"3360" = ["镀"]\n')
    with pytest.raises(DetectorError, match="同时给了 3360 和 8052"):
        load(tmp_path, base + '[gbt.aliases]\n"3360" = ["热处理"]\n"8052" = ["热处理"]\n')
    tax = load(tmp_path, base + '[gbt.aliases]\n"3360" = ["热处理"]\n')
    assert tax.match_core("热处理").key == "gbt_3360"
    assert tax.match_core("皮鞋") is None  # a curated keyword: not taken as an alias
    assert tax.match_core("皮鞋制造").key == "footwear"  # 1952 lies in 195, which footwear lists
    assert "1952" in tax.get("footwear").gbt
    assert tax.match_core("鞋帽批发").key == "gbt_5133"  # not listed here: an entry of its own
    assert tax.relation("gbt_5133", "footwear") == industry.DIFFERENT


# ─── subjects of social groups that are not trade bodies ──────────────────────────────────


@pytest.mark.parametrize("core, key, group", [
    ("网球", "tennis", "sports"),
    ("篮球", "basketball", "sports"),
    ("太极拳", "tai_chi", "sports"),
    ("体育舞蹈", "dance_sport", "sports"),  # the sport, not 体育 + segment 舞蹈
    ("书法家", "calligraphy", "culture"),
    ("摄影家", "photo_art", "culture"),
    ("慈善", "charity", "charity"),
    ("佛教", "buddhism", "religion"),
    ("抗癌", "cancer", "health"),
    ("检察官", "prosecutors", "professional"),
    ("律师", "lawyers", "professional"),
    ("关心下一代", "next_generation", "elderly_youth"),
    ("校友", "alumni", "fellowship"),
])
def test_social_subjects(core, key, group):
    hit = industry.match_core(core)
    assert (hit.key, hit.group) == (key, group)


def test_social_subjects_are_compared_like_industries():
    assert industry.relation("tennis", "tennis") == industry.SAME
    assert industry.relation("tennis", "basketball") == industry.DIFFERENT


def test_social_tables_are_checked(tmp_path):
    with pytest.raises(DetectorError, match="应只有 group 和 subjects"):
        load(tmp_path, VALID_ENTRY + '\n[[social]]\ngroup = "sports"\n')
    with pytest.raises(DetectorError, match="已属于 footwear"):
        load(tmp_path, VALID_ENTRY + '\n[[social]]\ngroup = "sports"\nsubjects.shoes = ["鞋革"]\n')
    tax = load(tmp_path, VALID_ENTRY + '\n[[social]]\ngroup = "sports"\nsubjects.tennis = ["网球", "网球运动"]\n')
    assert (tax.match_core("网球运动").key, tax.get("tennis").group) == ("tennis", "sports")


def _evidence():
    from detector.industry import Evidence
    return Evidence(scope_confidence=0.25, scope_margin=2.0, member_share=0.5, member_min=5, support_share=0.2)


def test_decide_lets_scope_and_members_outweigh_a_misleading_name():
    """Issue 16: 温州市鼎盛装备行业协会 — the name says machinery, scope and members say auto parts."""
    from detector.industry import BY_MEMBERS, BY_NAME, BY_SCOPE, BY_SCOPE_AND_MEMBERS, MemberIndustry, classify, decide

    scope = "组织汽摩配企业参加汽车零部件博览会；推动汽配企业进入整车配套体系；开展制动器、转向器质量检测"
    name = "温州市鼎盛装备行业协会"
    named, text = classify(name=name, scope=scope), classify(scope=scope)
    parts = MemberIndustry("auto_parts", 0.9, 30, {"auto_parts": 0.9})
    d = decide("machinery", named, text, parts, _evidence())
    assert (d.key, d.source, d.doubt) == ("auto_parts", BY_SCOPE_AND_MEMBERS, "machinery")
    # members that do not say, and a scope in a field beside the name's: the name stands, in doubt
    none = MemberIndustry("", 0.0, 0, {})
    kept = decide("machinery", named, text, none, _evidence())
    assert (kept.key, kept.source, kept.doubt) == ("machinery", BY_NAME, "machinery")
    # another trade altogether: what the body says it does (its scope), at half confidence, the name in doubt
    fasteners = "推动紧固件产业集群升级；开展紧固件行业调研；组织紧固件、标准件产品质量检测和标准宣贯"
    name = "温州市眼镜产业发展促进会"
    other = classify(scope=fasteners)
    by_scope = decide("eyewear", classify(name=name, scope=fasteners), other, none, _evidence())
    assert (by_scope.key, by_scope.source, by_scope.doubt) == ("fasteners", BY_SCOPE, "eyewear")
    assert by_scope.confidence == round(other[0].confidence / 2, 4)
    # no telling scope: the members' trade, likewise
    bolts = MemberIndustry("fasteners", 0.9, 30, {"fasteners": 0.9})
    by_members = decide("eyewear", classify(name=name), [], bolts, _evidence())
    assert (by_members.key, by_members.source, by_members.doubt) == ("fasteners", BY_MEMBERS, "eyewear")
    # members of the name's trade: no doubt at all
    machines = MemberIndustry("machinery", 0.8, 30, {"machinery": 0.8})
    assert decide("machinery", named, text, machines, _evidence()).doubt == ""


def test_a_name_across_trades_stands_whatever_trades_its_scope_names():
    """泉州市进出口商会 lists the goods its members trade (贸易代理 among them) and 新昌县总商会 the training it gives
    its members: the first stays 进出口, the second — its form the subject — the county's general chamber."""
    from detector.industry import BY_NAME, MemberIndustry, classify, decide
    from detector.names import parse_name

    none = MemberIndustry("", 0.0, 0, {})
    scope = "开展贸易代理、进出口代理业务培训；组织会员企业参加广交会；提供报关、出口退税和外汇政策咨询"
    name = "泉州市进出口商会"
    d = decide(parse_name(name).industry, classify(name=name, scope=scope), classify(scope=scope), none, _evidence())
    assert (d.key, d.source, d.doubt) == ("foreign_trade", BY_NAME, "")
    name, scope = "新昌县总商会", "弘扬企业家精神，组织公益慈善活动，组织企业家研修培训，开展职业技能培训"
    assert parse_name(name).industry == "general_chamber"
    d = decide(parse_name(name).industry, classify(name=name, scope=scope), classify(scope=scope), none, _evidence())
    assert (d.key, d.source) == ("general_chamber", BY_NAME)


def test_decide_gives_a_silent_name_the_industry_its_members_show():
    from detector.industry import BY_MEMBERS, MemberIndustry, classify, decide

    eyewear = MemberIndustry("eyewear", 0.8, 26, {"eyewear": 0.8})
    d = decide("", classify(name="温州市瓯越联合会"), [], eyewear, _evidence())
    assert (d.key, d.source) == ("eyewear", BY_MEMBERS)
    assert decide("", [], [], MemberIndustry("eyewear", 0.8, 3, {"eyewear": 0.8}), _evidence()).key == ""


def test_a_name_or_alias_is_its_entry_s_alone():
    """紧固件 is 标准件's alias, though 机械 and 五金 list it as a keyword: a fastener firm states fasteners;
    鞋材 (shoe materials' alias) is no longer footwear's too."""
    top = industry.classify(name="宁波日鑫紧固件有限公司")
    assert [m.industry.key for m in top] == ["fasteners"]
    assert industry.classify(scope="鞋材批发")[0].industry.key == "shoe_materials"
    assert industry.classify(scope="组织紧固件产品质量检测和标准宣贯")[0].industry.key == "fasteners"


def test_an_association_s_own_services_name_no_industry():
    """编辑出版会刊 is what any association does: a fastener body's scope is not publishing."""
    scope = "推动紧固件产业集群升级、编辑出版紧固件行业刊物、开展紧固件行业发展情况调研、组织紧固件产品质量检测"
    assert [m.industry.key for m in industry.classify(scope=scope)][:1] == ["fasteners"]
    assert "publishing" not in {m.industry.key for m in industry.classify(scope=scope)}
    assert industry.classify(name="温州市出版工作者协会", scope="编辑出版图书，出版物发行")[0].industry.key == "publishing"


def test_credit_and_integrity_are_not_quality():
    """湘潭市诚信协会 / 湘潭市企业信用促进会 serve business integrity; 湘潭市质量协会 quality: related, not one field."""
    from detector.names import parse_name

    assert parse_name("湘潭市诚信协会").industry == parse_name("湘潭市企业信用促进会").industry == "credit_integrity"
    assert parse_name("湘潭市质量协会").industry == "quality_brand"
    assert industry.relation("credit_integrity", "quality_brand") == "related"


def test_a_scope_in_one_field_and_its_neighbours_is_about_that_field():
    """高明区化工联合会 whose charter is all tourism (旅游, 导游服务) and training: tourism and its neighbour add up,
    only an unrelated field competes, so the name's 化工 gives way."""
    from detector.industry import BY_SCOPE, MemberIndustry, classify, decide

    scope = ("举办导游服务、旅游营销培训班，提高会员企业技术和管理水平；承接政府部门委托的旅游行业管理事项；"
             "推广本地旅游资源和精品线路；组织会员企业赴外地学习考察")
    text = classify(scope=scope)
    assert {m.industry.key for m in text[:2]} >= {"tourism"}
    d = decide("chemicals", classify(name="佛山市高明区化工联合会", scope=scope), text, MemberIndustry("", 0.0, 0, {}),
               _evidence())
    assert (d.key, d.source, d.doubt) == ("tourism", BY_SCOPE, "chemicals")
