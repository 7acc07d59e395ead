"""The merger-study report as one self-contained HTML file (inline CSS and SVG, nothing fetched)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ..io import Registry
from ..policy import (BAND_ZH, MEASURE_TITLES, PROBABILITY_ZH, RECTIFY, SIMILARITY_NOTE, SIMILARITY_ZH, STRENGTH_COMPONENTS,
                      SUPPORT, percent, rule_title)
from ..regions import LEVEL_ZH
from ..measure import LEARNED_NOTE, Measurement
from ..scoring import load_thresholds
from ..study import StudyResult
from . import plots, tables

MAX_LISTED = 500  # findings listed per rule: the page stays light for a city-wide registry
SHARED_SHOWN = 10  # shared members named per liaison group (all are in the workbook)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("detector.report", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = percent
    env.globals.update(PROBABILITY=PROBABILITY_ZH, SIMILARITY=SIMILARITY_ZH, SIMILARITY_NOTE=SIMILARITY_NOTE)
    return env


def _groups(result: StudyResult) -> list[dict]:
    return [{"number": k, "score": g.score, "reasons": g.reasons, "rationale": g.rationale,
             "coverage": tables.coverage_text(g),
             "members": [{"id": i, "name": n, "survivor": i == g.survivor}
                         for i, n in zip(g.ids, g.names, strict=True)]}
            for k, g in enumerate(result.groups, 1)]


def _findings_by_rule(result: StudyResult, max_listed: int) -> list[dict]:
    """Each rule with findings: code, title, severity, count and the first ``max_listed`` findings."""
    names = tables.names_by_id(result)
    listed = {r["rule"]: {**r, "items": []} for r in tables.rule_counts(result)}
    for f in result.findings:
        items = listed[f.rule]["items"]
        if len(items) < max_listed:
            items.append({"id": f.id, "name": tables.subject_name(f, names), "message": f.message})
    return list(listed.values())


def _figures(result: StudyResult, registry: Registry, thresholds: Mapping[str, float], max_groups: int) -> list[dict]:
    """The report's figures (title, caption, inline SVG); those without data are left out."""
    capped = len(result.groups) > max_groups
    cap = f"组数较多，图中只画出规模与重复可能性居前的 {max_groups} 组（共 {len(result.groups)} 组），全部分组见下文列表。" if capped else ""
    figures = [
        ("建议合并分组网络", "每组占一格；圆点为组织，连线为两家组织的重复可能性（越粗越高）；粗黑边、粗体名称为建议保留的组织。"
         + cap, plots.group_network_svg(result, max_groups) if result.groups else None),
        (f"候选对{PROBABILITY_ZH}分布", f"全部候选对的{PROBABILITY_ZH}（纵轴为对数刻度）。不低于合并分组阈值 {thresholds.get('group', 0):.2f} "
         "的组织对连成合并分组；重复阈值用于新申请筛查。", plots.score_histogram_svg(result, thresholds)),
        ("合并后各县级单位会员数", "每行一组（以建议保留的组织命名），每格为合并后在该县级单位登记的不同会员数，右列为覆盖的县级单位数。"
         + cap, plots.county_members_svg(result, max_groups)),
        ("市本级组织的县级覆盖面", "正常状态、有会员数据的市本级组织，按会员覆盖的县级单位数统计；红色为未超过一半"
         f"（行业类组织即触发「{rule_title('coverage_counties')}」提示）。", plots.city_coverage_svg(result)),
    ]
    return [{"title": t, "caption": c, "svg": Markup(svg)} for t, c, svg in figures if svg]


def _svg(svg: str | None) -> Markup | None:
    return Markup(svg) if svg else None


def _liaison(result: StudyResult) -> dict:
    groups = []
    for k, g in enumerate(result.liaison.groups, 1):
        shared = g.shared_members
        groups.append({
            "number": k, "province": g.province, "reason": g.convener_reason,
            "chambers": [{"id": i, "name": n, "origin": o, "level": LEVEL_ZH.get(lv, ""), "region": r, "members": m,
                          "convener": i == g.convener}
                         for i, n, o, lv, r, m in zip(g.ids, g.names, g.origins, g.origin_levels, g.regions,
                                                      g.members)],
            "shared": g.n_shared_members, "shared_names": [m["name"] for m in shared[:SHARED_SHOWN]],
            "leaders": [f"{x['person']}（{len(x['posts'])} 家）" for x in g.shared_leaders]})
    return {"title": MEASURE_TITLES["liaison"], "groups": groups, "apart": result.liaison.apart,
            "svg": _svg(plots.liaison_svg(result))}


def _gaps(result: StudyResult, max_listed: int) -> dict:
    gaps = result.industry_gaps
    return {"title": MEASURE_TITLES["industry_gaps"], "basis": gaps.basis, "rows": gaps.rows[:max_listed],
            "total": len(gaps.rows), "checked": gaps.checked, "covered": gaps.covered, "unmatched": gaps.unmatched,
            "fields": gaps.fields, "svg": _svg(plots.industry_gaps_svg(result))}


def _burden(result: StudyResult, max_listed: int) -> dict:
    b = result.burden
    return {"title": MEASURE_TITLES["member_burden"], "threshold": b.threshold, "enterprises": b.enterprises,
            "distribution": tables.burden_distribution_text(result), "rows": b.above[:max_listed],
            "total": len(b.above), "svg": _svg(plots.burden_svg(result))}


def _strength(result: StudyResult) -> dict:
    s = result.strength
    return {"title": MEASURE_TITLES["strength_ranking"], "n": len(s.rows),
            "weights": tables.strength_weights_text(result),
            "components": STRENGTH_COMPONENTS, "bands": BAND_ZH, "support": s.band(SUPPORT), "rectify": s.band(RECTIFY),
            "top": s.top, "bottom": s.bottom, "places": tables.strength_places_text(result),
            "svg": _svg(plots.strength_svg(result))}


def _accuracy(m: Measurement | None) -> dict | None:
    """The report's section on the registry's labels (when there are labels)."""
    if m is None:
        return None
    rows = [("合并研究：精确率", m.study.precision.text()), ("合并研究：召回率", m.study.recall.text()),
            ("合并研究：F1", f"{m.study.f1:.3f}（误并 {m.study.fp} 对，漏并 {m.study.fn} 对）"),
            ("筛查判为重复设立：精确率", m.screen_duplicate.precision.text()),
            ("筛查判为重复设立：召回率", m.screen_duplicate.recall.text()),
            ("筛查判为重复或需复核：召回率", m.screen_flagged.recall.text()),
            ("重复可能性的校准误差（ECE）", f"{m.calibration.ece:.3f}")]
    note = (f"标注较少（重复 {m.positives} 对、不重复 {m.negatives} 对），95% 区间很宽，数字仅供参考。" if m.few else "")
    note += LEARNED_NOTE if m.learned else ""
    return {"model": m.model, "pairs": m.pairs, "positives": m.positives, "negatives": m.negatives, "rows": rows,
            "note": note, "kinds": m.by_kind, "svg": Markup(plots.pr_curve_svg(m.curve, m.thresholds["group"]))}


def render_html(result: StudyResult, registry: Registry, thresholds: Mapping[str, float] | None = None, *,
                generated: datetime | None = None, max_groups: int = plots.MAX_GROUPS,
                max_listed: int = MAX_LISTED, accuracy: Measurement | None = None) -> str:
    """The merger-study report of ``registry`` (the one studied) as a single HTML page, in Chinese.

    ``thresholds``: the engine's (default: the shipped ``models/thresholds.json``). Figures draw at most
    ``max_groups`` groups and each rule lists at most ``max_listed`` findings (all are counted; the Excel
    workbook and the JSON result have them all); every group, hub, party branch and liaison group is listed,
    uncovered industries and burdened enterprises up to ``max_listed``, the ranking's two bands in full. ``accuracy``: the figures on the registry's
    labels (:func:`detector.measure.measure`), shown with their PR curve.
    """
    thresholds = thresholds if thresholds is not None else load_thresholds()
    names = tables.names_by_id(result)
    return _env().get_template("report.html.j2").render(
        title=tables.title(result),
        generated=(generated or datetime.now()).strftime("%Y年%m月%d日 %H:%M"),
        source=registry.source,
        summary=tables.summary_items(result, registry),
        severities=tables.severity_counts(result),
        n_groups=len(result.groups),
        n_involved=sum(len(g.ids) for g in result.groups),
        n_associations=len(result.profiles),
        groups=_groups(result),
        figures=_figures(result, registry, thresholds, max_groups),
        rules=_findings_by_rule(result, max_listed),
        hubs=result.hubs,
        branches=[[{"id": i, "name": names.get(i, "")} for i in ids] for ids in result.party_branches],
        thresholds=thresholds,
        names_only=registry.names_only,
        liaison=_liaison(result),
        gaps=_gaps(result, max_listed),
        burden=_burden(result, max_listed),
        strength=_strength(result),
        accuracy=_accuracy(accuracy),
    )
