"""The merger-study report: one self-contained HTML page, an Excel workbook, SVG figures, the CLI options."""
import io
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SMALL
from detector.cli import cli
from detector.engine import Engine
from detector.policy import MEASURE_TITLES
from detector.report import (burden_svg, city_coverage_svg, county_members_svg, excel_bytes, group_network_svg,
                             industry_gaps_svg, liaison_svg, render_html, score_histogram_svg, strength_svg)
from detector.study import run_study

SCRIPT = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://example.com")温州市鞋革研究会'


@pytest.fixture(scope="module")
def small(small_engine):
    return run_study(small_engine), small_engine


@pytest.fixture(scope="module")
def synth(synth_engine):
    return run_study(synth_engine), synth_engine


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, embedder):
    """wz_small with a name carrying markup and one that looks like an Excel formula."""
    folder = tmp_path_factory.mktemp("hostile") / "registry"
    shutil.copytree(SMALL / "registry", folder)
    csv = folder / "associations.csv"
    text = csv.read_text(encoding="utf-8")
    for plain, hostile_name in (("R02,温州市鞋业商会,", f"温州市鞋业商会{SCRIPT}"), ("R13,温州市鞋革研究会,", FORMULA)):
        quoted = hostile_name.replace('"', '""')
        text = text.replace(plain, f'{plain[:4]}"{quoted}",', 1)
    csv.write_text(text, encoding="utf-8")
    engine = Engine.load(folder, embedder=embedder)
    return run_study(engine), engine


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def _section(html: str, sid: str) -> str:
    return html.split(f'<section id="{sid}"', 1)[1].split("</section>", 1)[0]


def test_layout_sections_name_their_evidence(synth):
    result, engine = synth
    html = render_html(result, engine.registry, engine.thresholds)
    liaison, gaps, burden, strength = (_section(html, s) for s in ("liaison", "gaps", "burden", "strength"))
    assert MEASURE_TITLES["liaison"] in liaison and all(g.province in liaison for g in result.liaison.groups)
    assert all(n in liaison for g in result.liaison.groups for n in g.names) and "牵头" in liaison
    assert result.liaison.groups and len(_svgs(liaison)) == 1
    assert "本表依据" in gaps and result.industry_gaps.basis in gaps
    assert all(r.industry in gaps for r in result.industry_gaps.rows)
    assert "企业会员共" in burden and len(_svgs(burden)) == 1
    assert all(e.name in burden for e in result.burden.above)
    assert "权重" in strength and len(_svgs(strength)) == 1
    assert all(r.name in strength for r in result.strength.rows[:10])
    for svg in (liaison_svg(result), burden_svg(result), strength_svg(result)):
        root = ET.fromstring(svg)
        texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert re.search(r"[\u4e00-\u9fff]", texts)
    assert (industry_gaps_svg(result) is None) == (not result.industry_gaps.rows)


def test_html_is_self_contained_and_complete(synth):
    result, engine = synth
    html = render_html(result, engine.registry, engine.thresholds)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, flags=re.I)
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert "合并研究报告" in html and "建议保留" in html and "方法说明" in html
    for group in result.groups:
        assert all(name in html for name in group.names)
    for rule in {f.rule for f in result.findings}:
        assert f"<code>{rule}</code>" in html
    assert _section(html, "rules").count("<details") == len({f.rule for f in result.findings})
    # network, score distribution, county members, city-level coverage
    assert len(_svgs(_section(html, "figures"))) == 4


def test_registry_text_is_escaped_everywhere(hostile):
    result, engine = hostile
    html = render_html(result, engine.registry, engine.thresholds)
    assert SCRIPT not in html and "<script" not in html
    assert "&lt;script&gt;" in html or "&lt;script>" in html
    for svg in _svgs(html):
        ET.fromstring(svg)


def test_figures_are_svg_with_chinese_text(synth):
    result, engine = synth
    figures = [group_network_svg(result), score_histogram_svg(result, engine.thresholds),
               county_members_svg(result), city_coverage_svg(result)]
    for svg in figures:
        root = ET.fromstring(svg)
        texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert re.search(r"[\u4e00-\u9fff]", texts), "Chinese labels must stay text"
        assert "Noto Sans CJK SC" in svg and "sans-serif" in svg
    assert "第 1 组" in figures[0] and "合并分组阈值" in figures[1]


def test_network_caps_the_groups_drawn(synth):
    result, _ = synth
    assert len(result.groups) > 3
    svg = group_network_svg(result, max_groups=3)
    assert svg.count("组 · ") == 3 and f"3/{len(result.groups)} 组" in svg


def test_names_only_registry_still_reports(tmp_path, embedder):
    (tmp_path / "associations.csv").write_text(
        "id,name\n1,温州市鞋业协会\n2,温州市鞋业商会\n3,温州市眼镜行业协会\n", encoding="utf-8")
    engine = Engine.load(tmp_path, embedder=embedder)
    result = run_study(engine)
    html = render_html(result, engine.registry)
    assert "仅有名称数据" in html and len(_svgs(_section(html, "figures"))) == 2  # no member regions: no county figures
    assert "没有企业加入超过 5 家协会商会（或没有企业会员数据）" in _section(html, "burden")
    assert county_members_svg(result) is None


def test_excel_sheets_rows_and_text_cells(tmp_path, hostile):
    result, engine = hostile
    path = tmp_path / "study.xlsx"
    path.write_bytes(excel_bytes(result, engine.registry))
    wb = load_workbook(path)
    assert wb.sheetnames == ["概要", "合并分组", "规则提示", "枢纽组织", "联合党支部", "异地商会联络", "未覆盖行业",
                             "新经济领域", "企业入会负担", "综合实力排名"]
    assert wb["异地商会联络"].max_row == 2 + sum(len(g.ids) for g in result.liaison.groups) + len(result.liaison.apart)
    assert wb["未覆盖行业"].max_row == 2 + len(result.industry_gaps.rows)
    assert wb["企业入会负担"].max_row == 2 + len(result.burden.above)
    assert wb["综合实力排名"].max_row == 2 + len(result.strength.rows)
    ranking = [c.value for c in wb["综合实力排名"][2]]  # title above the header
    assert ranking[:9] == ["排名", "组织名称", "统一社会信用代码/编号", "登记区域", "类型", "综合得分", "类别", "类别内排名",
                           "建议"]
    assert "县级覆盖（依据）" in ranking
    groups, findings = wb["合并分组"], wb["规则提示"]
    assert groups.max_row == 2 + sum(len(g.ids) for g in result.groups)  # title, header, rows
    assert findings.max_row == 2 + len(result.findings)
    assert wb["联合党支部"].max_row == 2 + sum(len(b) for b in result.party_branches)
    assert [c.value for c in groups[2]][:4] == ["组号", "组织名称", "统一社会信用代码/编号", "建议保留"]
    assert groups.column_dimensions["B"].width > 10
    names = [row[2] for row in findings.iter_rows(min_row=3)]
    assert any(SCRIPT in c.value for c in names)
    formulas = [c for c in names if c.value == FORMULA]
    assert formulas and all(c.data_type == "s" for c in formulas)  # registry text never becomes a formula


def test_excel_is_ready_to_hand_on(small):
    result, engine = small
    wb = load_workbook(io.BytesIO(excel_bytes(result, engine.registry)))
    for ws in wb:
        assert ws["A1"].font.bold and ws["A1"].value  # the title above the header
        assert all(c.font.bold for c in ws[2] if c.value)  # the header
        assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")  # frozen header, filters
        assert ws.print_title_rows == "$2:$2" and ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.sheet_properties.pageSetUpPr.fitToPage
    overview = {r[0].value: r[1] for r in wb["概要"].iter_rows(min_row=3)}
    assert overview["协会商会"].value == len(result.profiles) and overview["协会商会"].number_format == "#,##0"
    assert overview["建议合并"].value == len(result.groups)  # counts as numbers, not "2 组"
    groups = wb["合并分组"]
    header = [c.value for c in groups[2]]
    row = groups[3]
    score = row[header.index("组内平均重复可能性")]
    assert 0 < score.value <= 1 and score.number_format == "0%"
    assert row[header.index("合并后会员年销售额（万元）")].number_format == "#,##0"
    assert row[header.index("合并理由")].alignment.wrap_text  # wrapped reason columns
    findings = wb["规则提示"]
    assert findings[3][[c.value for c in findings[2]].index("说明")].alignment.wrap_text
    assert wb["枢纽组织"][3][2].number_format == "0.0000"


@pytest.fixture
def run(embedder, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE", str(embedder.cache.path.parent))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_cli_writes_report_and_workbook(run, tmp_path):
    out, report, excel = tmp_path / "s.json", tmp_path / "r" / "report.html", tmp_path / "study.xlsx"
    r = run("study", SMALL / "registry", "--out", out, "--report", report, "--excel", excel)
    assert r.exit_code == 0, r.output
    assert out.is_file() and "温州市江西商会" in report.read_text(encoding="utf-8")
    assert load_workbook(excel).sheetnames[0] == "概要"
    assert f"结果已写入 {report}" in r.output
    assert not list(tmp_path.rglob("*.tmp"))


def test_cli_unwritable_output_fails_before_the_work(run, tmp_path):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    out = tmp_path / "s.json"
    r = run("study", SMALL / "registry", "--out", out, "--report", tmp_path / "a-file" / "report.html")
    assert r.exit_code == 2 and "无法写入输出文件" in r.output and "不是文件夹" in r.output
    assert "Traceback" not in r.output and not out.exists()


def test_cli_write_failure_leaves_old_files_whole(run, tmp_path, monkeypatch):
    import detector.io.write

    out, report, excel = tmp_path / "s.json", tmp_path / "report.html", tmp_path / "study.xlsx"
    report.write_text("old report", encoding="utf-8")

    def fail(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(detector.io.write.os, "replace", fail)
    r = run("study", SMALL / "registry", "--out", out, "--report", report, "--excel", excel)
    assert r.exit_code == 2 and "无法写入输出文件" in r.output and "Permission denied" in r.output
    assert report.read_text(encoding="utf-8") == "old report"
    assert not out.exists() and not excel.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_report_shows_accuracy_on_labels_with_its_curve(synth, synth_dir):
    import pandas as pd

    from detector.learn import LabelledPairs
    from detector.measure import measure

    result, engine = synth
    groups = pd.read_csv(synth_dir / "labels" / "groups.csv", dtype=str)
    group = dict(zip(groups["id"], groups["group"]))
    rows = result.pairs.head(12)
    labelled = LabelledPairs(rows.assign(label=[int(group[a] == group[b]) for a, b in zip(rows["id_a"], rows["id_b"])],
                                         source="标注文件", reviewer="", labelled_at="", name_a="甲", name_b="乙"))
    m = measure(labelled, result, engine.thresholds, "内置模型")
    assert m.few and m.study_pairs == 12 and sum(k.pairs for k in m.by_kind) == 12
    html = render_html(result, engine.registry, engine.thresholds, accuracy=m)
    section = html[html.index('<section id="accuracy">'):]
    assert "在本登记库标注上的准确率" in section and "95% 区间" in section and "<svg" in section
    assert "标注较少" in section
    assert '<section id="accuracy">' not in render_html(result, engine.registry, engine.thresholds)
