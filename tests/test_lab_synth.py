"""The labelled-registry generator: determinism, FORMAT.md layout, label consistency, rule cases."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest

from detector import regions
from detector.io import ASSOCIATIONS, COLUMNS, INDUSTRY_STATS, MEMBERSHIPS
from detector.lab.synth import FILES, VERDICTS, SynthConfig, generate, load_vocab, write
from detector.lab.synth.geo import city_geo

# every FORMAT.md column but the optional ones the generator makes none of (曾用名, 负责人编号)
ASSOCIATION_COLUMNS = tuple(c for c in COLUMNS[ASSOCIATIONS] if c != "former_names")
MEMBERSHIP_COLUMNS = tuple(c for c in COLUMNS[MEMBERSHIPS] if c != "person_id")

FRAMES = ("associations", "memberships", "industry_stats", "applications", "application_members",
          "groups", "pairs", "screen_labels")
NEAR_KINDS = {"near_origin", "near_level", "near_form", "near_industry", "shared_members"}
TRADITIONAL = set("會業協溫區縣貿線電導廣東圍")


def credit_code_ok(code: str) -> bool:
    """GB 32100-2015 check, written independently of detector.lab.synth."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if len(code) != 18 or any(c not in chars for c in code):
        return False
    total = sum(chars.index(c) * (3 ** i % 31) for i, c in enumerate(code[:17]))
    return chars[(31 - total % 31) % 31] == code[17]


@pytest.fixture(scope="module")
def clean():
    return generate(SynthConfig(seed=7, n_associations=300, variation="clean"))


@pytest.fixture(scope="module")
def standard():
    return generate(SynthConfig(seed=7, n_associations=300))


@pytest.fixture(scope="module")
def noisy():
    return generate(SynthConfig(seed=11, n_associations=250, variation="noisy"))


def group_of(data) -> dict[str, str]:
    return dict(zip(data.groups["id"], data.groups["group"]))


# ------------------------------------------------------------------ determinism


def test_same_config_gives_identical_frames_and_bytes(tmp_path: Path):
    cfg = SynthConfig(seed=5, n_associations=120, n_applications=15, variation="noisy")
    a, b = generate(cfg), generate(cfg)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    write(a, tmp_path / "a")
    write(b, tmp_path / "b")
    for rel in FILES:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_different_seeds_give_different_registries(standard):
    other = generate(SynthConfig(seed=8, n_associations=300))
    names_a, names_b = set(standard.associations["name"]), set(other.associations["name"])
    assert len(names_a & names_b) / len(names_a | names_b) < 0.4
    assert not standard.memberships["member_name"].head(50).equals(other.memberships["member_name"].head(50))


def test_seed_changes_alias_preferences():
    """Popular surface forms (鞋业 vs 鞋革, 行业协会 vs 商会) are part of a registry's style."""
    def forms(seed):
        d = generate(SynthConfig(seed=seed, n_associations=300, variation="clean"))
        return d.associations["name"].str.extract(r"(行业协会|商会|促进会|联合会)$")[0].value_counts(normalize=True)

    a, b = forms(1), forms(2)
    assert (a.reindex(b.index, fill_value=0) - b).abs().max() > 0.03


# ------------------------------------------------------------------ FORMAT.md layout


def test_clean_registry_has_every_format_column(clean):
    assert tuple(clean.associations.columns) == ASSOCIATION_COLUMNS
    assert tuple(clean.memberships.columns) == MEMBERSHIP_COLUMNS
    assert tuple(clean.industry_stats.columns) == COLUMNS[INDUSTRY_STATS]
    assert tuple(clean.applications.columns) == ASSOCIATION_COLUMNS
    assert tuple(clean.application_members.columns) == MEMBERSHIP_COLUMNS
    a = clean.associations
    assert a["id"].is_unique and a["name"].is_unique
    assert set(a["type"]) <= {"行业协会", "商会", "异地商会", "联合会", "促进会", "研究会", "学会"}
    assert set(a["status"]) <= {"正常", "注销", "撤销"}
    assert set(a["inspection"]) <= {"合格", "基本合格", "不合格", "未参检"}
    assert set(clean.memberships["role"]) == {"会长", "常务副会长", "副会长", "监事长", "秘书长", "理事", "会员"}
    assert set(clean.memberships["member_kind"]) == {"企业", "个人"}
    assert set(clean.memberships["association_id"]) <= set(a["id"])
    assert set(clean.application_members["association_id"]) <= set(clean.applications["id"])
    pd.to_datetime(a["founded"], format="%Y-%m-%d")
    pd.to_datetime(a["last_election"], format="%Y-%m-%d")
    assert (a["founded"] <= a["last_election"]).all()


def test_every_association_has_one_president_and_services_are_split_by_semicolon(clean):
    m = clean.memberships
    presidents = m[m["role"] == "会长"].groupby("association_id").size()
    assert presidents.reindex(clean.associations["id"]).fillna(0).eq(1).all()
    assert clean.associations["services"].str.contains("；").mean() > 0.9


def test_columns_are_a_format_subset_in_every_variation(standard, noisy):
    for data in (standard, noisy):
        for frame, cols in (("associations", ASSOCIATION_COLUMNS), ("applications", ASSOCIATION_COLUMNS),
                            ("memberships", MEMBERSHIP_COLUMNS), ("application_members", MEMBERSHIP_COLUMNS)):
            got = list(getattr(data, frame).columns)
            assert got == [c for c in cols if c in got], frame
            assert got[:2] == list(cols[:2]), frame  # id, name / association_id, member_name


# ------------------------------------------------------------------ labels


def test_groups_partition_the_registry(standard):
    g = standard.groups
    assert list(g.columns) == ["id", "group"]
    assert g["id"].is_unique
    assert set(g["id"]) == set(standard.associations["id"])
    sizes = g["group"].value_counts()
    assert (sizes >= 2).sum() >= 15 and sizes.max() <= 6


def test_pairs_are_consistent_with_groups(clean):
    p, grp = clean.pairs, group_of(clean)
    a = clean.associations.set_index("id")
    assert list(p.columns) == ["id_a", "id_b", "label", "kind"]
    assert set(p["id_a"]) | set(p["id_b"]) <= set(a.index)
    assert not p.duplicated(["id_a", "id_b"]).any()
    assert (p["id_a"] < p["id_b"]).all()
    dup = p[p["label"] == 1]
    assert set(dup["kind"]) == {"duplicate"} and len(dup) >= 20
    assert (dup["id_a"].map(grp) == dup["id_b"].map(grp)).all()
    assert (dup["id_a"].map(a["region"]) == dup["id_b"].map(a["region"])).all()
    neg = p[p["label"] == 0]
    assert (neg["id_a"].map(grp) != neg["id_b"].map(grp)).all()
    assert NEAR_KINDS <= set(neg["kind"])
    assert {"near_region", "inactive", "random"} <= set(neg["kind"])


def test_near_misses_look_like_their_kind(clean):
    p = clean.pairs
    a = clean.associations.set_index("id")

    def rows(kind):
        sub = p[p["kind"] == kind]
        return a.loc[sub["id_a"]].reset_index(), a.loc[sub["id_b"]].reset_index()

    x, y = rows("near_level")
    assert ((x["region"] == "温州市") != (y["region"] == "温州市")).all()
    x, y = rows("near_form")
    assert (x["region"] == y["region"]).all()
    assert (x["type"].isin(["学会", "研究会"]) != y["type"].isin(["学会", "研究会"])).all()
    x, y = rows("near_origin")
    assert (x["type"] == "异地商会").all() and (y["type"] == "异地商会").all()
    assert (x["region"] == y["region"]).all()
    x, y = rows("near_industry")
    assert (x["region"] == y["region"]).all() and (x["industry"] != y["industry"]).all()
    m = clean.memberships
    for ia, ib in zip(*[p[p["kind"] == "shared_members"][c] for c in ("id_a", "id_b")]):
        common = set(m[m["association_id"] == ia]["member_name"]) & set(m[m["association_id"] == ib]["member_name"])
        assert len(common) >= 3


def test_dissolved_associations_are_never_duplicates(standard):
    a = standard.associations
    dead = a[a["status"].isin(["注销", "撤销"])]["id"]
    assert len(dead) >= 3
    sizes = standard.groups["group"].value_counts()
    assert (dead.map(group_of(standard)).map(sizes) == 1).all()
    assert not standard.pairs[(standard.pairs["label"] == 1)
                              & (standard.pairs["id_a"].isin(dead) | standard.pairs["id_b"].isin(dead))].any(axis=None)


def test_screen_labels_cover_all_verdicts(clean):
    s, apps, reg = clean.screen_labels, clean.applications, clean.associations
    assert list(s.columns) == ["id", "verdict", "expected_match", "kind"]
    assert set(s["id"]) == set(apps["id"]) and len(apps) == 40
    assert set(s["verdict"]) == set(VERDICTS)
    dup = s[s["verdict"] == "duplicate"]
    assert dup["expected_match"].isin(reg["id"]).all()
    by_id = reg.set_index("id")
    app = apps.set_index("id")
    assert (app.loc[dup["id"], "region"].to_numpy() == by_id.loc[dup["expected_match"], "region"].to_numpy()).all()
    assert (s[s["verdict"] == "clear"]["expected_match"] == "").all()
    rej_dup = s[(s["verdict"] == "reject") & (s["expected_match"] != "")]
    assert set(rej_dup["kind"]) <= {"duplicate_origin"} and rej_dup["expected_match"].isin(reg["id"]).all()
    rej = app.loc[s[s["verdict"] == "reject"]["id"]]
    assert (rej["type"] == "异地商会").all() and (rej["region"] == "温州市").all()
    batch = s[s["kind"] == "duplicate_in_batch"]
    assert len(batch) == 2 and set(batch["expected_match"]) == set(batch["id"])
    assert {"related_industry", "member_overlap", "new_industry", "new_origin_near", "duplicate_exact"} <= set(s["kind"])


# ------------------------------------------------------------------ labels a reader can see


def reader_view(frame: pd.DataFrame, city: str) -> dict[str, tuple]:
    """What a reader takes from a row: (region, kind, subject, active); the region cell wins over
    the region written in the name, a 异地商会 is its origin, anything else its type and core."""
    from detector.names import parse_name

    home = regions.lookup(city)
    out = {}
    for row in frame.fillna("").to_dict("records"):
        p = parse_name(row["name"], home)
        cell = regions.lookup(row["region"], home) if row.get("region") else None
        region = cell.code if cell is not None else p.region_code
        if p.origin_code:
            kind, subject = "异地商会", p.origin_code
        else:
            kind, subject = ("学术" if p.type in ("学会", "研究会") else "行业"), p.industry_core
        out[row["id"]] = (region, kind, subject, row.get("status", "正常") in ("", "正常"))
    return out


@pytest.mark.parametrize("cfg", [
    SynthConfig(seed=900, city="湘潭市", variation="noisy"),
    SynthConfig(seed=902, city="温州市", variation="noisy", n_associations=400),
    SynthConfig(seed=903, city="宁波市", variation="clean"),
])
def test_non_duplicate_pairs_look_different_to_a_reader(cfg):
    """No label-0 pair is two active bodies of one (region, kind, industry core or origin) as written."""
    d = generate(cfg)
    seen = reader_view(d.associations, cfg.city)
    neg = d.pairs[d.pairs["label"] == 0]
    same = [(a, b, k) for a, b, k in zip(neg["id_a"], neg["id_b"], neg["kind"])
            if seen[a][3] and seen[b][3] and seen[a][:3] == seen[b][:3]]
    assert not same
    dup = d.pairs[d.pairs["label"] == 1]
    assert all(seen[a][0] == seen[b][0] for a, b in zip(dup["id_a"], dup["id_b"]))


def test_registry_never_drops_its_status_column():
    """注销/撤销 rows must stay visible: the inactive pairs and singleton groups depend on it."""
    dropped = set()
    for seed in range(3):
        d = generate(SynthConfig(seed=seed, n_associations=80, n_applications=4, variation="noisy",
                                 missing_column_prob=1.0))
        a = d.associations
        assert "status" in a.columns
        dropped |= set(ASSOCIATION_COLUMNS) - set(a.columns)
        dead = set(a[a["status"].isin(["注销", "撤销"])]["id"])
        assert dead
        inactive = d.pairs[d.pairs["kind"] == "inactive"]
        assert (inactive["id_a"].isin(dead) | inactive["id_b"].isin(dead)).all()
    assert {"founded", "funding", "inspection"} <= dropped  # other optional columns still go


def test_short_region_names_are_unambiguous():
    from detector.lab.synth import short_is_unambiguous

    def div(name, level=regions.COUNTY):
        return next(d for d in regions.divisions() if d.name == name and d.level == level)

    assert short_is_unambiguous(div("湘潭市", regions.PREFECTURE))  # 湘潭 reads as the city
    assert not short_is_unambiguous(div("湘潭县"))  # … so 湘潭县 is never written 湘潭
    assert not short_is_unambiguous(div("伊宁市")) and not short_is_unambiguous(div("伊宁县"))
    assert not short_is_unambiguous(div("吉林市", regions.PREFECTURE))  # 吉林 is the province
    assert short_is_unambiguous(div("瑞安市")) and short_is_unambiguous(div("湘乡市"))

    from detector.names import parse_name

    city = "湘潭市"
    home = regions.lookup(city)
    d = generate(SynthConfig(seed=900, city=city, n_associations=200, n_applications=20, variation="noisy",
                             short_city_rate=1.0, blank_region_rate=0.0, missing_column_prob=0.0))
    a = d.associations
    assert a["name"].str.match(r"^湘潭(?![市县縣])").any() and a["name"].str.match(r"^湘乡(?!市)").any()
    for aid, name, region in zip(a["id"], a["name"], a["region"]):  # the id carries the true adcode
        assert parse_name(name, home).region_code == aid[2:8], name
        assert regions.lookup(region, home).code == aid[2:8], region
    assert (a["id"].str[2:8] == "430321").any()
    apps = d.applications
    for name, region in zip(apps["name"], apps["region"]):
        assert parse_name(name, home).region_code == regions.lookup(region, home).code, name
    units = {u.code for u in regions.county_units(home)}
    m = d.memberships
    local = m[(m["member_kind"] == "企业") & ~m["member_region"].isin([x.name for x in regions.divisions()
                                                                       if x.code[:4] != home.code[:4]])]
    assert local["member_region"].map(lambda r: regions.lookup(r, home).code in units).all()
    assert "湘潭" not in set(m["member_region"]) and (m["member_region"] == "湘乡").any()


@pytest.mark.parametrize("city", ["宁波市", "湘潭市"])
def test_each_written_origin_names_one_place(city):
    from detector.names import parse_name
    from detector.text import normalize_name

    home = regions.lookup(city)
    places = city_geo(city).origins
    texts = [t for p in places for t in p.texts]
    assert len(texts) == len(set(texts))
    by_name = {p.division.name: p.texts for p in places}
    assert by_name["大理白族自治州"] == ("云南大理",) and by_name["大理市"] == ("云南大理市",)
    assert by_name["伊宁市"] == ("新疆伊宁市",) and by_name["伊宁县"] == ("新疆伊宁县",)
    for p in places:
        for t in p.texts:
            if normalize_name(t) != t:
                continue  # 乾安 → 干安 is the reader's normaliser at work, not a label question
            assert parse_name(f"{city}{t}商会", home).origin_code == p.division.code, t


def test_general_and_origin_bodies_take_no_modifier():
    """温州市新兴企业家联合会 reads as a 新兴县 chamber, 温州市民营安徽商会 as no 异地商会 at all."""
    import random

    import numpy as np

    from detector.lab.synth.associations import Builder
    from detector.lab.synth.slots import GEN, IND, ORIG
    from detector.lab.synth.style import draw_style

    vocab, geo, cfg = load_vocab(), city_geo("温州市"), SynthConfig(seed=1)
    assert all(regions.lookup(m) is None for m in vocab.modifiers)
    b = Builder(vocab, geo, draw_style(np.random.default_rng(1), vocab, geo, cfg), cfg, cfg.rates(), random.Random(1))
    anhui = next(p for p in geo.origins if p.division.name == "安徽省")
    for kind, subject in ((GEN, "entrepreneurs"), (ORIG, str(anhui.code))):
        plain = {body + form for body, form, _ in b.name_options(kind, subject)}
        assert {"".join(b.pick_name(kind, subject, 0, reuse=True)) for _ in range(30)} <= plain
    picked = {"".join(b.pick_name(IND, "footwear", 0, reuse=True)) for _ in range(80)}
    assert any(n.startswith(vocab.modifiers) for n in picked)  # industry bodies still may
    general = dict(vocab.general)
    assert set(general["entrepreneurs"]) == {"企业家协会", "企业家联合会"}  # one slot: duplicates
    assert "青年企业家协会" in general["young_entrepreneurs"] and "女企业家协会" in general["women_entrepreneurs"]


def test_county_origin_chamber_at_city_level_is_rejected_even_as_a_duplicate(clean):
    from detector.names import parse_name

    home = regions.lookup("温州市")
    s = clean.screen_labels.set_index("id")
    apps = clean.applications.set_index("id")
    reg = clean.associations.set_index("id")
    for aid, row in s.iterrows():
        p = parse_name(apps.loc[aid, "name"], home)
        rule = apps.loc[aid, "region"] == "温州市" and p.origin_level == regions.COUNTY
        assert (row["verdict"] == "reject") == rule, apps.loc[aid, "name"]
    dup = s[(s["kind"] == "duplicate_origin") & (s["verdict"] == "reject")]
    assert len(dup) >= 1
    for aid, row in dup.iterrows():  # expected_match still names the chamber it duplicates
        assert parse_name(reg.loc[row["expected_match"], "name"], home).origin_code == \
            parse_name(apps.loc[aid, "name"], home).origin_code


def test_industry_aliases_name_one_industry_each():
    vocab = load_vocab()
    owner: dict[str, str] = {}
    for ind in vocab.industries:
        for word in {ind.label, *ind.declared, *ind.cores}:
            assert owner.setdefault(word, ind.key) == ind.key, word
    products = [w for ind in vocab.industries for w in ind.products]
    assert len(products) == len(set(products))  # 拉链 is not both a 纽扣 and a 服装辅料 product
    assert owner["纽扣"] == owner["纽扣拉链"] == owner["钮扣"] == owner["服装辅料"]
    assert owner["饭店"] == owner["酒店"] == owner["旅游饭店"] == "hotels"
    assert owner["食品"] == owner["食品加工"] == owner["食品工业"]
    assert not {"汽车流通", "汽车商业", "纺织服装", "网络零售", "文具"} & set(owner)  # they name a wider trade


# ------------------------------------------------------------------ members and codes


def test_credit_codes_are_valid(standard):
    ids = standard.associations["id"]
    assert ids.map(credit_code_ok).all() and ids.str.startswith("51").all()
    member_ids = standard.memberships["member_id"]
    assert member_ids[member_ids != ""].map(credit_code_ok).all()


def test_one_enterprise_is_one_code_name_and_person(clean):
    ent = clean.memberships[clean.memberships["member_kind"] == "企业"]
    assert (ent["member_id"] != "").all()
    for col in ("member_name", "person", "member_region", "annual_sales"):
        assert ent.groupby("member_id")[col].nunique().max() == 1, col
    assert ent.groupby("member_name")["member_id"].nunique().max() == 1
    assert ent.groupby("member_id")["association_id"].nunique().mean() > 1.2  # firms join several


def test_city_level_codes_carry_the_city_adcode(clean):
    a = clean.associations
    assert a[a["region"] == "温州市"]["id"].str[2:8].eq("330300").all()
    assert a[a["region"] == "瑞安市"]["id"].str[2:8].eq("330381").all()


@pytest.mark.parametrize("city", ["湘潭市", "苏州市"])
def test_any_city_uses_its_own_counties(city):
    d = generate(SynthConfig(seed=3, city=city, n_associations=150, n_applications=12, variation="clean"))
    home = regions.lookup(city)
    units = {c.name for c in regions.county_units(home)}
    a = d.associations
    assert set(a["region"]) <= units | {city}
    assert (a["region"] == city).mean() > 0.2 and a["region"].isin(units).mean() > 0.3
    assert a.apply(lambda r: r["name"].startswith(r["region"]), axis=1).all()
    assert not a["name"].str.contains("温州|瑞安|乐清").any()
    m = d.memberships
    assert m["member_region"].isin(units).mean() > 0.9
    assert set(d.industry_stats["region"]) <= units | {city}
    assert set(d.screen_labels["verdict"]) == set(VERDICTS)


def test_rule_cases_are_present(clean):
    a, m = clean.associations, clean.memberships
    units = {c.name for c in regions.county_units(regions.lookup("温州市"))}
    academic = a[a["type"].isin(["学会", "研究会"])]["id"]
    share = m[m["association_id"].isin(academic)].groupby("association_id")["member_kind"].apply(
        lambda s: (s == "企业").mean())
    assert (share > 0.1).any() and (share <= 0.1).any()  # research_enterprise_share
    city_level = a[(a["region"] == "温州市") & (a["type"] != "异地商会")]["id"]
    cover = m[m["association_id"].isin(city_level)].groupby("association_id")["member_region"].apply(
        lambda s: len(set(s) & units))
    assert (cover <= len(units) / 2).any() and (cover > len(units) / 2).any()  # coverage_counties
    assert (~m["member_region"].isin(units)).any()  # member_outside_region
    leaders = m[m["role"].isin(["会长", "常务副会长", "副会长"])].groupby("person")["association_id"].nunique()
    assert (leaders >= 3).sum() >= 3  # leader_overlap
    assert (a["staff_fulltime"] == "0").any() and (a["has_office"] == "否").any()
    assert (a["funding"] == "").any() and a["inspection"].isin(["不合格", "未参检"]).any()
    assert (a["party_members"].astype(int) < 3).any()
    age = (pd.Timestamp("2024-12-31") - pd.to_datetime(a["last_election"])).dt.days / 365.25
    assert (age > a["term_years"].astype(int)).any() and (age <= a["term_years"].astype(int)).any()


def test_county_level_origin_chamber_at_city_level_exists(clean):

    counties = [t for p in city_geo("温州市").origins if p.level == regions.COUNTY for t in p.texts]
    city_chambers = clean.associations.query("type == '异地商会' and region == '温州市'")["name"]
    assert city_chambers.map(lambda n: any(n.startswith("温州市" + t) for t in counties)).any()


def test_coverage_share_fires_for_some_industries_only(clean):
    a, m, st = clean.associations, clean.memberships, clean.industry_stats
    sales = m.assign(s=pd.to_numeric(m["annual_sales"], errors="coerce")).groupby("association_id").agg(
        n=("member_name", "size"), s=("s", "sum"))
    x = a[a["type"] != "异地商会"].merge(sales, left_on="id", right_index=True).merge(
        st.assign(units=st["units"].astype(int), sales=st["sales"].astype(float)), on=["industry", "region"])
    fires = (x["n"] < 0.3 * x["units"]) & (x["s"] < 0.5 * x["sales"])
    assert len(x) > 50 and 0.1 < fires.mean() < 0.9


# ------------------------------------------------------------------ variations


def test_clean_has_no_noise(clean):
    text = "".join(clean.associations["name"]) + "".join(clean.associations["scope"])
    assert not (set(text) & TRADITIONAL)
    assert not clean.associations["name"].str.contains(r"[\s（(]").any()
    assert (clean.associations["region"] != "").all() and (clean.associations["type"] != "").all()


def test_noisy_has_traditional_characters_and_missing_columns(noisy):
    a = noisy.associations
    assert a["name"].map(lambda n: bool(set(n) & TRADITIONAL)).mean() > 0.05
    assert a["name"].str.contains(r"\s|（|\(").any()
    assert a["name"].str.match(r"^温州(?!市)").any()  # 温州 instead of 温州市
    dropped = (set(ASSOCIATION_COLUMNS) - set(a.columns)) | (set(MEMBERSHIP_COLUMNS) - set(noisy.memberships.columns))
    assert dropped
    for col in ("region", "type"):
        if col in a.columns:
            assert (a[col] == "").mean() > 0.05


def test_missing_columns_vary_with_seed():
    dropped = {frozenset(set(ASSOCIATION_COLUMNS) - set(generate(SynthConfig(
        seed=s, n_associations=40, n_applications=4, variation="noisy")).associations.columns)) for s in range(4)}
    assert len(dropped) > 1


# ------------------------------------------------------------------ files and vocabulary


def test_write_produces_files_pandas_reads_back(tmp_path: Path, standard):
    out = write(standard, tmp_path / "demo")
    for rel, attr in FILES.items():
        path = out / rel
        assert path.is_file(), rel
        back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frame = getattr(standard, attr).astype(str)
        pd.testing.assert_frame_equal(back, frame.reset_index(drop=True), check_dtype=False)
    assert not list(tmp_path.rglob("*.tmp"))


def test_vocabulary_is_independent_and_consistent():
    package = Path(__file__).resolve().parents[1] / "detector" / "lab" / "synth"
    imports = [line for f in package.glob("*.py") for line in f.read_text(encoding="utf-8").splitlines()
               if line.startswith(("from ", "import "))]
    assert len(imports) > 50
    assert not [line for line in imports if re.search(r"\b(industry|names)\b", line)]  # not the detector's words
    vocab = load_vocab()
    keys = {i.key for i in vocab.industries}
    assert len(keys) >= 40
    cores = [c for i in vocab.industries for c in i.cores]
    assert len(cores) == len(set(cores))
    for ind in vocab.industries:
        assert set(ind.related) <= keys and ind.key not in ind.related
        for other in ind.related:
            assert ind.key in vocab.by_key[other].related


def test_invalid_config_is_rejected():
    from detector.errors import DetectorError

    with pytest.raises(DetectorError):
        SynthConfig(seed=1, variation="wild")
    with pytest.raises(DetectorError):
        generate(SynthConfig(seed=1, city="不存在市"))


@pytest.mark.slow
def test_scales_to_ten_thousand_associations():
    start = time.perf_counter()
    d = generate(SynthConfig(seed=1, n_associations=10_000, n_applications=200))
    seconds = time.perf_counter() - start
    assert len(d.associations) == 10_000 and len(d.groups) == 10_000
    assert len(d.memberships) >= 250_000
    assert d.associations["id"].is_unique and d.associations["name"].is_unique
    assert seconds < 45, seconds
