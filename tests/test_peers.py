"""Peer methods of benchmarks/peers.py on a tiny hand-made labelled registry (no network)."""
from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def peers():
    spec = importlib.util.spec_from_file_location("peers", ROOT / "benchmarks" / "peers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["peers"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("peers", None)


SHOE_SCOPE = "组织鞋革企业开展技术交流，举办鞋业展览会，开展制鞋行业培训，维护鞋革企业合法权益"
SHOE_PURPOSE = "团结全市鞋革企业，促进鞋革行业健康发展"
AUTO_SCOPE = "开展汽摩配行业调查研究，组织汽车摩托车配件企业参加展会，推广汽摩配新技术"
AUTO_PURPOSE = "服务汽摩配企业，推动汽车零部件产业转型升级"
PUMP_SCOPE = "组织泵阀企业技术攻关，开展阀门标准制定，举办泵阀产品展示会"
PUMP_PURPOSE = "促进泵阀产业发展"
TEA_SCOPE = "推广茶叶种植技术，组织茶文化节，开展茶叶品牌建设和质量检测"
TEA_PURPOSE = "弘扬茶文化，发展茶产业"
GLASS_SCOPE = "组织眼镜企业参加国际眼镜展，开展光学镜片质量检测，眼镜行业人才培训"
GLASS_PURPOSE = "促进眼镜产业发展"

# id, name, region, type, scope, purpose, services, status, group
ROWS = [
    ("A01", "温州市鞋革行业协会", "温州市", "行业协会", SHOE_SCOPE, SHOE_PURPOSE, "展会；培训", "正常", "g-shoe"),
    ("A02", "温州市鞋业商会", "温州市", "商会", SHOE_SCOPE + "，鞋类产品质量提升", SHOE_PURPOSE, "展会；维权", "正常", "g-shoe"),
    ("A03", "温州市制鞋行业协会", "温州市", "行业协会", "开展制鞋技术培训，举办鞋业展览会，组织鞋革企业交流", SHOE_PURPOSE, "培训", "正常", "g-shoe"),
    ("A04", "温州市汽摩配行业协会", "温州市", "行业协会", AUTO_SCOPE, AUTO_PURPOSE, "展会", "正常", "g-auto"),
    ("A05", "温州市汽车摩托车配件行业协会", "温州市", "行业协会", AUTO_SCOPE, AUTO_PURPOSE, "展会；标准", "正常", "g-auto"),
    ("A06", "温州市泵阀行业协会", "温州市", "行业协会", PUMP_SCOPE, PUMP_PURPOSE, "标准", "正常", "A06"),
    ("A07", "温州市茶叶行业协会", "温州市", "行业协会", TEA_SCOPE, TEA_PURPOSE, "培训", "正常", "A07"),
    ("A08", "温州市眼镜行业协会", "温州市", "行业协会", GLASS_SCOPE, GLASS_PURPOSE, "展会", "正常", "A08"),
    ("B01", "鹿城区鞋革行业协会", "鹿城区", "行业协会", SHOE_SCOPE, SHOE_PURPOSE, "展会；培训", "正常", "B01"),
    ("B02", "鹿城区茶叶协会", "鹿城区", "行业协会", TEA_SCOPE, TEA_PURPOSE, "培训", "正常", "B02"),
    ("C01", "瑞安市汽摩配行业协会", "瑞安市", "行业协会", AUTO_SCOPE, AUTO_PURPOSE, "展会", "正常", "g-ra-auto"),
    ("C02", "瑞安市汽车配件商会", "瑞安市", "商会", AUTO_SCOPE, AUTO_PURPOSE, "展会", "正常", "g-ra-auto"),
    ("C03", "瑞安市泵阀协会", "瑞安市", "行业协会", PUMP_SCOPE, PUMP_PURPOSE, "标准", "正常", "C03"),
    ("C04", "瑞安市眼镜商会", "瑞安市", "商会", GLASS_SCOPE, GLASS_PURPOSE, "展会", "注销", "C04"),
]
MEMBERS = {
    "A01": ["鞋企1", "鞋企2", "鞋企3", "鞋企4"],
    "A02": ["鞋企2", "鞋企3", "鞋企4", "鞋企5"],
    "A03": ["鞋企1", "鞋企5"],
    "A04": ["汽配1", "汽配2", "汽配3"],
    "A05": ["汽配1", "汽配2", "汽配4"],
    "A06": ["泵阀1", "泵阀2"],
    "A07": ["茶企1", "茶企2"],
    "A08": ["眼镜1", "眼镜2"],
    "B01": ["鞋企6", "鞋企7"],
    "B02": ["茶企3"],
    "C01": ["汽配5", "汽配6"],
    "C02": ["汽配5", "汽配7"],
    "C03": ["泵阀3"],
    "C04": ["眼镜3"],
}
# label-0 pairs that look alike: same industry in another region, different industry same region
NEAR_MISS = [("A01", "B01", "cross_region"), ("A07", "B02", "cross_region"), ("A06", "A08", "same_region")]


def _write(path: Path, header: list[str], rows: list[tuple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def make_tiny_dataset(root: Path) -> Path:
    """A labelled folder in detector.lab.synth.write's layout: registry/ + labels/."""
    _write(root / "registry" / "associations.csv",
           ["id", "name", "region", "type", "scope", "purpose", "services", "status"],
           [r[:8] for r in ROWS])
    _write(root / "registry" / "memberships.csv", ["association_id", "member_name"],
           [(aid, f"温州{m}有限公司") for aid, ms in MEMBERS.items() for m in ms])
    _write(root / "labels" / "groups.csv", ["id", "group"], [(r[0], r[8]) for r in ROWS])
    groups: dict[str, list[str]] = {}
    for r in ROWS:
        groups.setdefault(r[8], []).append(r[0])
    pos = [(a, b, 1, "duplicate") for g in groups.values() for i, a in enumerate(g) for b in g[i + 1:]]
    _write(root / "labels" / "pairs.csv", ["id_a", "id_b", "label", "kind"],
           pos + [(a, b, 0, k) for a, b, k in NEAR_MISS])
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return make_tiny_dataset(tmp_path_factory.mktemp("peers"))


IDS = {r[0] for r in ROWS}
ACTIVE = {r[0] for r in ROWS if r[7] == "正常"}


def _check_groups(groups) -> None:
    assert isinstance(groups, list)
    seen: set[str] = set()
    for g in groups:
        assert len(g) >= 2 and set(g) <= ACTIVE  # existing, active ids only
        assert not seen & set(g)  # a partition: no id in two groups
        seen |= set(g)


def test_features_cover_active_associations(peers, tiny):
    df = peers.features(tiny / "registry")
    assert set(df["unique_id"]) == ACTIVE
    row = df.set_index("unique_id").loc["A04"]
    assert row["region"] == "温州市" and row["members"] and row["scope_tokens"]
    assert "汽摩配" in row["core"]


def test_baseline_groups(peers, tiny):
    groups = peers.baseline_groups(tiny / "registry")
    _check_groups(groups)
    assert any({"A04", "A05"} <= set(g) for g in groups)  # same region, same scope, similar names
    assert not any({"A01", "B01"} <= set(g) for g in groups)  # different regions never compared


def test_splink_groups(peers, tiny):
    pytest.importorskip("splink")
    _check_groups(peers.splink_groups(tiny / "registry"))


def test_table_renders(peers, tiny):
    labels = peers.load_labels(tiny)
    assert len(labels.near_miss) == 3 and set(labels.items) == IDS
    results = [
        peers.run_method("baseline", peers.baseline_groups, tiny / "registry", labels),
        peers.run_method("perfect", lambda _: [["A01", "A02", "A03"], ["A04", "A05"], ["C01", "C02"]],
                         tiny / "registry", labels),
        peers.run_method("glued", lambda _: [sorted(ACTIVE)], tiny / "registry", labels),
        peers.run_method("missing", peers.detector_groups, tiny / "registry", labels)
        if importlib.util.find_spec("detector.study") is None
        else peers.Result("missing", note="not available yet"),
    ]
    perfect, glued = results[1], results[2]
    assert perfect.pairwise.f1 == 1.0 and perfect.bcubed.f1 == 1.0 and perfect.near_miss == 0
    assert glued.pairwise.recall == 1.0 and glued.near_miss == 3 and glued.near_miss_total == 3
    assert results[3].note == "not available yet"
    table = peers.render_table(results)
    lines = table.splitlines()
    assert lines[0].split() == ["method", "P", "R", "F1", "B3-F1", "near-miss", "grouped", "groups", "seconds"]
    assert "1.000" in lines[3] and "3/3" in lines[4]
    assert lines[5].startswith("missing") and "not available yet" in lines[5]
    # numeric columns right-aligned under their headers
    assert len({len(line) for line in lines[:5]}) == 1
    kinds = peers.render_kinds(results).splitlines()
    assert kinds[0].split() == ["label-0", "kind", "pairs", "baseline", "perfect", "glued"]
    assert kinds[2].split() == ["cross_region", "2", "0", "0", "2"]


def test_unknown_method_is_an_error(peers, tiny):
    with pytest.raises(SystemExit):
        peers.main([str(tiny), "--methods", "nope"])


def test_main_prints_table(peers, tiny, capsys):
    assert peers.main([str(tiny), "--methods", "baseline"]) == 0
    out = capsys.readouterr().out
    assert "baseline" in out and "B3-F1" in out


@pytest.mark.slow
def test_compare_on_generated_registry(peers, tmp_path):
    """Both peers on a 400-association generated registry (about 15 s)."""
    synth = pytest.importorskip("detector.lab.synth")
    data = peers.generate_dataset(tmp_path, seed=101, n=400, variation="standard")
    assert synth is not None and (data / "labels" / "groups.csv").exists()
    results = peers.compare(data, ["splink", "baseline"])
    for r in results:
        assert r.note is None, r.note
        assert r.n_groups > 0 and r.pairwise.tp > 0 and 0 < r.bcubed.f1 <= 1
    assert "splink" in peers.render_table(results)
