"""The member table: one definition of member identity, leaders, member sales and county coverage."""
from datetime import date

import pandas as pd

from detector import regions
from detector.engine import Engine
from detector.members import Post, member_table, vocabulary
from detector.rules import check_rules
from detector.study import member_sales, run_study

WZ = regions.lookup("温州市")


def _keys(frame: pd.DataFrame, vocab=None) -> list[str]:
    return member_table(frame.assign(association_id="A"), WZ, vocab).key.tolist()


def test_member_keys_join_ids_and_names():
    ms = pd.DataFrame({"member_name": ["温州市康华鞋业有限公司", "溫州市康華鞋業有限公司", "温州市红星皮鞋有限公司"],
                       "member_id": ["91330301MA285X0011", "", ""]})
    keys = _keys(ms)
    assert keys[0] == keys[1] == "id:91330301MA285X0011"  # a row without id borrows it via the name
    assert keys[2] == "nm:温州市红星皮鞋有限公司"


def test_member_keys_in_another_registrys_vocabulary():
    """A member matches the registry's record of it whichever side left out the credit code."""
    registry = pd.DataFrame({"member_name": ["温州市康华鞋业有限公司", "温州市明特纸品有限公司"],
                             "member_id": ["91330300MA2AAAAA1X", ""]})
    app = pd.DataFrame({"member_name": ["温州市康华鞋业有限公司", "温州市明特纸品有限公司", "温州市新星鞋业有限公司"],
                        "member_id": ["", "91330300MA2BBBBB2Y", ""]})
    assert _keys(app) == ["nm:温州市康华鞋业有限公司", "id:91330300MA2BBBBB2Y", "nm:温州市新星鞋业有限公司"]
    vocab = vocabulary(member_table(registry.assign(association_id="R"), WZ))
    keyed = _keys(app, vocab)
    assert keyed == ["id:91330300MA2AAAAA1X", "nm:温州市明特纸品有限公司", "nm:温州市新星鞋业有限公司"]
    assert set(keyed[:2]) <= set(_keys(registry))


def test_table_resolves_kinds_places_and_leaders():
    ms = pd.DataFrame({
        "association_id": ["A", "A", "A", "B"],
        "member_name": ["温州市康华鞋业有限公司", "张三", "瑞安市红星鞋业有限公司", "温州市康华鞋业有限公司"],
        "member_region": ["乐清", "", "浙江省温州市瑞安市", "杭州市"],
        "role": ["会长", "会员", "副会长", "副会长"],
        "person": ["王 建国", "", "", "王建国"],
        "annual_sales": ["1,000", "", "250", "1000"],
    })
    t = member_table(ms, WZ)
    assert t.kind.tolist() == ["企业", "个人", "企业", "企业"]
    assert t.county.tolist() == ["330382", "", "330381", ""]
    assert t.place.tolist()[3] == "330100"
    assert t.leader_sets(["A", "B", "C"]) == [frozenset({"王建国"}), frozenset({"王建国"}), frozenset()]
    holder = "王建国@nm:温州市康华鞋业有限公司"  # one name at one enterprise: one person
    assert t.posts(["A", "B"]) == [Post("A", "王建国", holder, 0, "温州市康华鞋业有限公司"),  # ranks in leader_roles
                                   Post("B", "王建国", holder, 3, "温州市康华鞋业有限公司")]
    assert t.sales(["A"]) == (2, 1250.0)
    assert t.counties(["A"]) == {"330382", "330381"}


def _registry(tmp_path, rows: list[tuple]) -> Engine:
    (tmp_path / "associations.csv").write_text(
        "id,name,region,type\n"
        "A1,温州市鞋业协会,市本级,行业协会\n"
        "A2,温州市鞋革行业协会,市本级,行业协会\n", encoding="utf-8")
    lines = ["association_id,member_name,member_id,member_region,annual_sales"]
    lines += [",".join(map(str, r)) for r in rows]
    (tmp_path / "memberships.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_a_member_listed_twice_counts_once(tmp_path, embedder):
    """Sales, coverage and member counts come from one table: a member listed twice counts once."""
    firms = [("A1", f"温州市第{k}鞋业有限公司", f"9133030{k}MA2AAAAA1X", "鹿城区", 100) for k in range(1, 6)]
    twice = ("A1", "温州市第1鞋业有限公司", "", "鹿城区", 100)  # the same firm again, without its code
    other = [("A2", f"温州市第{k}鞋业有限公司", "", "瑞安", 100) for k in range(1, 6)]
    engine = Engine.load(_registry(tmp_path, [*firms, twice, *other]), embedder=embedder)
    p = engine.profiles
    assert len(p.members[p.row_of["A1"]]) == 5
    assert member_sales(p)["A1"] == 500.0  # not 600
    assert p.member_table.counties(["A1"]) == {"330302"}
    result = run_study(engine, today=date(2026, 1, 1))
    group = next(g for g in result.groups if set(g.ids) == {"A1", "A2"})
    assert group.coverage["members"] == 5 and group.coverage["sales"] == 500.0
    assert group.coverage["counties"] == 2
    assert "会员年销售额 500 万元" in group.rationale
    findings = check_rules(p.frame, p.member_table, None, p.home, as_of=date(2026, 1, 1))
    coverage = next(f for f in findings if f.id == "A1" and f.rule == "coverage_counties")
    assert coverage.evidence["covered"] == ["鹿城区"]
