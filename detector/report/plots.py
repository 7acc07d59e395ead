"""Study figures as SVG strings (matplotlib, no pyplot): text stays text, set in a CJK font stack.

The browser renders the Chinese labels with its own fonts; matplotlib only measures them, with the
first CJK font of :data:`CJK_FONTS` it finds on this machine (any font when there is none).
"""
from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Mapping
from functools import lru_cache

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import regions
from ..policy import PROBABILITY_ZH, RECTIFY, STRENGTH_COMPONENTS, SUPPORT, percent, rule_title, settings
from ..regions import COUNTY, LEVEL_ZH, PREFECTURE, PROVINCE
from ..scoring import load_thresholds
from ..study import StudyResult, member_counties
from .tables import drawn_groups

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
             "WenQuanYi Micro Hei")
MAX_GROUPS = 40  # groups drawn per figure: a 10,000-association study still renders in seconds
GROUP_COLOURS = matplotlib.colormaps["tab10"].colors
LABEL_CHARS = 9
_NO_METADATA = dict.fromkeys(("Creator", "Date", "Format", "Type"))  # no dates, no links in the SVG


@lru_cache(maxsize=1)
def _rc() -> dict:
    """Matplotlib settings: SVG text as text, the first installed CJK font first in the family stack, and
    no markup: a name such as ``$\\x$`` is drawn as written, never parsed as mathtext or TeX."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    stack = sorted(CJK_FONTS, key=lambda name: name not in installed)  # stable: the first installed leads
    return {"svg.fonttype": "none", "font.family": ["sans-serif"],
            "font.sans-serif": [*stack, "DejaVu Sans"], "axes.unicode_minus": False, "font.size": 9,
            "text.parse_math": False, "text.usetex": False}


def _render(draw, *args) -> str:
    """Build a figure with ``draw(fig, *args)`` under the report's settings; its SVG without the XML prolog."""
    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # no CJK font: the browser has one
        fig = Figure()
        draw(fig, *args)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata=_NO_METADATA)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def short_name(name: str, home: regions.Division | None, limit: int = LABEL_CHARS) -> str:
    """A plot label: blanks and the leading place of registration dropped (温州市鞋革行业协会 → 鞋革行业协会,
    鹿城区鞋业协会 → 鞋业协会; a 异地商会's origin stays), at most ``limit`` characters."""
    text = re.sub(r"\s+", "", name)
    found = regions.match_prefix(text, home)
    if found is not None and home is not None and regions.contains(home, found[0]) and len(text) > len(found[1]) + 1:
        text = text[len(found[1]):]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cap_note(shown: int, total: int) -> str:
    return f"（显示规模与重复可能性居前的 {shown}/{total} 组）" if shown < total else ""


# ----------------------------------------------------------------------------------------- group network


def _within_pairs(result: StudyResult, ids: set[str]) -> pd.DataFrame:
    pairs = result.pairs
    inner = pairs[pairs["id_a"].isin(ids) & pairs["id_b"].isin(ids) & (pairs["score"] > 0)]
    return inner[["id_a", "id_b", "score"]]


def _draw_network(fig: Figure, result: StudyResult, max_groups: int) -> None:
    shown = drawn_groups(result, max_groups)
    home = result.profiles.home
    cols = min(4, len(shown))
    rows = math.ceil(len(shown) / cols)
    cell_w, cell_h, header = 3.4, 2.3, 0.7
    fig.set_size_inches(cols * cell_w, rows * cell_h + header)
    ax = fig.add_axes((0, 0, 1, rows * cell_h / (rows * cell_h + header)))
    ax.set_xlim(0, cols * cell_w)
    ax.set_ylim(-rows * cell_h, 0)
    ax.set_axis_off()
    fig.suptitle(f"建议合并分组网络{_cap_note(len(shown), len(result.groups))}\n"
                 "粗黑边、粗体：建议保留；连线越粗，两家重复可能性越高", fontsize=10, linespacing=1.8,
                 y=1 - 0.1 / fig.get_figheight(), va="top")
    region = result.profiles.column("region_name")
    edges = _within_pairs(result, {i for _, g in shown for i in g.ids})
    nodes, segments, widths, edge_colours = [], [], [], []  # drawn at once: one collection each
    for n, (number, g) in enumerate(shown):
        colour = GROUP_COLOURS[n % len(GROUP_COLOURS)]
        cx, cy = (n % cols + 0.5) * cell_w, -(n // cols + 0.55) * cell_h
        where = region[result.profiles.row_of[g.survivor]]
        ax.text(cx - cell_w / 2 + 0.1, cy + cell_h / 2 - 0.05,
                f"第 {number} 组 · {where + ' · ' if where else ''}{PROBABILITY_ZH} {percent(g.score)}",
                fontsize=9, color=colour, fontweight="bold", va="top")
        big = len(g.ids) > 6  # a wider ring, smaller and shorter labels
        radius = min(0.7, 0.42 + 0.05 * max(0, len(g.ids) - 4))
        angles = np.pi / 2 + 2 * np.pi * np.arange(len(g.ids)) / len(g.ids)
        pos = {i: (cx + radius * math.cos(a), cy - 0.1 + radius * math.sin(a)) for i, a in zip(g.ids, angles)}
        inner = edges[edges["id_a"].isin(pos) & edges["id_b"].isin(pos)]
        segments += [(pos[a], pos[b]) for a, b in zip(inner["id_a"], inner["id_b"])]
        widths += (0.5 + 3.5 * inner["score"]).tolist()
        edge_colours += [colour] * len(inner)
        for aid, name, a in zip(g.ids, g.names, angles):
            keep = aid == g.survivor
            nodes.append((*pos[aid], colour, keep))
            dx, dy = math.cos(a), math.sin(a)
            label = short_name(name, home, 7 if big else LABEL_CHARS)
            ax.text(pos[aid][0] + 0.14 * dx, pos[aid][1] + 0.12 * dy, label, fontsize=7 if big else 8.5,
                    fontweight="bold" if keep else "normal", zorder=3,
                    ha="left" if dx > 0.2 else "right" if dx < -0.2 else "center",
                    va="bottom" if dy > 0.2 else "top" if dy < -0.2 else "center")
    ax.add_collection(LineCollection(segments, linewidths=widths, colors=edge_colours, alpha=0.6, zorder=1))
    x, y, colours, keep = zip(*nodes)
    keep = np.array(keep)
    ax.scatter(x, y, s=np.where(keep, 200, 90), c=colours, edgecolors=np.where(keep, "black", "white"),
               linewidths=np.where(keep, 2.0, 0.8), zorder=2)


def _draw_message(fig: Figure, message: str) -> None:
    fig.set_size_inches(6, 0.6)
    fig.text(0.5, 0.5, message, ha="center", va="center", fontsize=11)


def group_network_svg(result: StudyResult, max_groups: int = MAX_GROUPS) -> str:
    """Network of the proposed groups: associations as nodes (survivor outlined), scored pairs as edges."""
    if not result.groups:
        return _render(_draw_message, "未发现建议合并的组织")
    return _render(_draw_network, result, max_groups)


# ------------------------------------------------------------------------------------ score distribution


def _draw_histogram(fig: Figure, scores: np.ndarray, thresholds: Mapping[str, float]) -> None:
    fig.set_size_inches(8, 3.6)
    ax = fig.add_subplot()
    ax.hist(scores, bins=np.linspace(0, 1, 51), color="#4c78a8", edgecolor="white", linewidth=0.4)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlim(0, 1)
    ax.set_xlabel(PROBABILITY_ZH)
    ax.set_ylabel("候选对数（对数刻度）")
    ax.set_title(f"候选对{PROBABILITY_ZH}分布（共 {len(scores):,} 对）", fontsize=10)
    marks = (("group", "合并分组阈值", "#d62728", "-"), ("duplicate", "重复阈值（筛查）", "#ff7f0e", "--"))
    for n, (key, label, colour, style) in enumerate(marks):
        if key in thresholds:
            t = float(thresholds[key])
            ax.axvline(t, color=colour, linestyle=style, linewidth=1.5)
            ax.text(t + 0.01 if n else t - 0.01, 0.97 - 0.1 * n, f"{label} {t:.2f}", color=colour,
                    transform=ax.get_xaxis_transform(), ha="left" if n else "right", va="top", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)


def score_histogram_svg(result: StudyResult, thresholds: Mapping[str, float] | None = None) -> str:
    """Histogram of all scored candidate pairs, the group and duplicate thresholds marked
    (default: the shipped ``models/thresholds.json``)."""
    scores = result.pairs["score"].to_numpy(dtype=float) if len(result.pairs) else np.zeros(0)
    return _render(_draw_histogram, scores, thresholds if thresholds is not None else load_thresholds())


# ------------------------------------------------------------------------------------------ county views


def _county_members(result: StudyResult, shown: list, units: list) -> np.ndarray:
    """Distinct members per (drawn group, county unit) after the merger."""
    table = result.profiles.member_table
    column = {u.code: c for c, u in enumerate(units)}
    counts = np.zeros((len(shown), len(units)), dtype=int)
    for r, (_, g) in enumerate(shown):
        for code in table.county[table.distinct_rows(g.ids)].tolist():
            if code in column:
                counts[r, column[code]] += 1
    return counts


def _draw_county_members(fig: Figure, result: StudyResult, shown: list, units: list, counts: np.ndarray) -> None:
    home = result.profiles.home
    fig.set_size_inches(3.0 + 0.55 * len(units), 1.2 + 0.3 * len(shown))
    ax = fig.add_subplot()
    ax.imshow(np.where(counts > 0, counts, np.nan), cmap="Blues", aspect="auto", vmin=0,
              vmax=max(1, counts.max()) * 1.2)
    for (r, c), n in np.ndenumerate(counts):
        if n:
            ax.text(c, r, str(n), ha="center", va="center", fontsize=7,
                    color="white" if n > counts.max() * 0.6 else "black")
    ax.set_xticks(range(len(units)), [u.short for u in units], fontsize=8)
    ax.xaxis.tick_top()
    region = result.profiles.column("region_name")

    def label(k: int, g) -> str:
        where = regions.lookup(region[result.profiles.row_of[g.survivor]], home)
        name = short_name(g.names[g.ids.index(g.survivor)], home)
        return f"第 {k} 组 {where.short + '·' if where else ''}{name}"

    labels = [label(k, g) for k, g in shown]
    ax.set_yticks(range(len(shown)), labels, fontsize=8)
    for r, row in enumerate(counts):
        ax.text(len(units) - 0.4, r, f"{int((row > 0).sum())}/{len(units)}", va="center", fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(units)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(shown)), minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.5)
    ax.tick_params(which="both", length=0)
    ax.set_title(f"合并后各县级单位会员数（组名为建议保留的组织；右列：覆盖县级单位数）"
                 f"{_cap_note(len(shown), len(result.groups))}", fontsize=10, pad=24)


def _units(result: StudyResult) -> list[regions.Division]:
    """The home city's county-level units, when there are member regions to place in them."""
    home = result.profiles.home
    if home is None or home.level != PREFECTURE or not (result.profiles.member_table.region != "").any():
        return []
    return regions.county_units(home)


def county_members_svg(result: StudyResult, max_groups: int = MAX_GROUPS) -> str | None:
    """Heat map of members per county-level unit for each proposed group after the merger (None without
    groups or member regions)."""
    units = _units(result)
    if not units or not result.groups:
        return None
    shown = drawn_groups(result, max_groups)
    return _render(_draw_county_members, result, shown, units, _county_members(result, shown, units))


def _draw_city_coverage(fig: Figure, covered: np.ndarray, n_units: int, share: float) -> None:
    fig.set_size_inches(8, 3.4)
    ax = fig.add_subplot()
    counts = np.bincount(covered, minlength=n_units + 1)
    low = np.arange(n_units + 1) <= share * n_units
    ax.bar(np.arange(n_units + 1), counts, color=np.where(low, "#e45756", "#4c78a8"))
    ax.legend(handles=[Patch(color="#e45756", label=f"未超过 {share:.0%}（{rule_title('coverage_counties')}）"),
                       Patch(color="#4c78a8", label=f"超过 {share:.0%}")], loc="upper left", fontsize=8, frameon=False)
    ax.set_xticks(range(n_units + 1))
    ax.set_xlabel("会员覆盖的县级单位数")
    ax.set_ylabel("组织数")
    ax.set_title(f"市本级组织的会员覆盖县级单位情况（共 {len(covered)} 家，县级单位 {n_units} 个）", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)


def city_coverage_svg(result: StudyResult) -> str | None:
    """Bar chart: active city-level associations with members, by number of county-level units covered."""
    units = _units(result)
    if not units:
        return None
    frame = result.profiles.frame
    city = frame[(frame["region_level"] == PREFECTURE) & frame["active"] & (frame["n_members"] > 0)]
    if not len(city):
        return None
    covered = member_counties(result.profiles)
    counts = np.array([len(covered.get(aid, ())) for aid in city["id"].astype(str)], dtype=int)
    return _render(_draw_city_coverage, counts, len(units), float(settings()["coverage_counties_share"]))


# ------------------------------------------------------------------------------------ layout measures

MAX_BARS = 25  # bars per layout figure
LEVEL_COLOURS = {PROVINCE: "#1f5fa8", PREFECTURE: "#72a3d9", COUNTY: "#c6dbef"}


def _draw_liaison(fig: Figure, groups: list) -> None:
    fig.set_size_inches(8, 1.0 + 0.32 * len(groups))
    ax = fig.add_subplot()
    y = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for level, colour in LEVEL_COLOURS.items():
        counts = np.array([sum(x == level for x in g.origin_levels) for g in groups])
        ax.barh(y, counts, left=left, color=colour, label=f"籍贯{LEVEL_ZH[level]}", height=0.7)
        left += counts
    for yy, g, total in zip(y, groups, left):
        ax.text(total + 0.1, yy, f"共有会员 {g.n_shared_members} 家 · 共同负责人 {len(g.shared_leaders)} 人",
                va="center", fontsize=8, color="#616e7c")
    ax.set_yticks(y, [g.province for g in groups], fontsize=8)
    ax.set_xlim(0, left.max() * 1.9 + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("异地商会数（家）")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title("同省异地商会联络组：各组商会数（按籍贯级别）与组内共有会员、共同负责人", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)


def liaison_svg(result: StudyResult) -> str | None:
    """Chambers per liaison group by origin level, with what they share (None without groups)."""
    groups = result.liaison.groups[:MAX_BARS]
    return _render(_draw_liaison, groups) if groups else None


def _draw_gaps(fig: Figure, rows: list) -> None:
    fig.set_size_inches(8, 1.0 + 0.3 * len(rows))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    new = np.array([bool(r.new_economy) for r in rows])
    ax.barh(y, [100 * r.share for r in rows], color=np.where(new, "#e45756", "#4c78a8"), height=0.7)
    for yy, r in zip(y, rows):
        size = f"{r.units:,} 家企业" if r.units is not None else f"{r.member_enterprises} 家会员企业"
        ax.text(100 * r.share, yy, f" {size} · 应在{r.expected}", va="center", fontsize=7.5, color="#616e7c")
    ax.set_yticks(y, [f"{r.rank}. {r.industry}" for r in rows], fontsize=8)
    ax.set_xlim(0, 100 * max(r.share for r in rows) * 1.8)
    ax.set_xlabel("规模占比（%）：行业统计为企业数或销售额占全市的较大者，其余为会员企业占比")
    ax.legend(handles=[Patch(color="#e45756", label="新经济领域"), Patch(color="#4c78a8", label="其他行业")],
              loc="lower right", fontsize=8, frameon=False)
    ax.set_title("集中地没有协会商会的行业（按规模排序）", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)


def industry_gaps_svg(result: StudyResult) -> str | None:
    """The largest uncovered industries, new-economy ones marked (None when there are none)."""
    rows = result.industry_gaps.rows[:MAX_BARS]
    return _render(_draw_gaps, rows) if rows else None


def _draw_burden(fig: Figure, distribution: dict[int, int], threshold: int) -> None:
    fig.set_size_inches(8, 3.4)
    ax = fig.add_subplot()
    k = np.array(list(distribution))
    n = np.array(list(distribution.values()))
    ax.bar(k, n, color=np.where(k > threshold, "#e45756", "#4c78a8"), width=0.8)
    for x, v in zip(k, n):
        ax.text(x, v, f"{v:,}", ha="center", va="bottom", fontsize=7.5)
    ax.set_yscale("log")
    ax.set_ylim(0.5, n.max() * 2)  # a bar of one enterprise stays visible
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.axvline(threshold + 0.5, color="#d62728", linestyle="--", linewidth=1.2)
    ax.text(threshold + 0.6, 0.95, f"超过 {threshold} 家即提示", color="#d62728", transform=ax.get_xaxis_transform(),
            fontsize=8, va="top")
    ax.set_xticks(k)
    ax.set_xlabel("加入的协会商会数（家，正常状态）")
    ax.set_ylabel("企业数（户，对数刻度）")
    ax.set_title(f"企业会员加入协会商会数量分布（共 {int(n.sum()):,} 户企业）", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)


def burden_svg(result: StudyResult) -> str | None:
    """Enterprises by number of associations joined, the member_burden threshold marked (None without members)."""
    b = result.burden
    return _render(_draw_burden, b.distribution, b.threshold) if b.distribution else None


COMPONENT_COLOURS = dict(zip(STRENGTH_COMPONENTS, ("#4c78a8", "#f58518", "#eeca3b", "#54a24b", "#b279a2", "#9d755d")))


def _draw_strength(fig: Figure, panels: list[tuple[str, list]], home) -> None:
    heights = [len(rows) for _, rows in panels]
    fig.set_size_inches(8.5, 1.2 + 0.26 * sum(heights) + 0.5 * len(panels))
    axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    for ax, (title, rows) in zip(axes, panels):
        y = np.arange(len(rows))[::-1]
        left = np.zeros(len(rows))
        for c, label in STRENGTH_COMPONENTS.items():
            points = np.array([r.contributions.get(c, 0.0) for r in rows])
            ax.barh(y, points, left=left, color=COMPONENT_COLOURS[c], label=label, height=0.72)
            left += points
        for yy, r in zip(y, rows):
            ax.text(r.score + 0.5, yy, f"{r.score:.1f}", va="center", fontsize=7.5)
        ax.set_yticks(y, [f"{r.rank}. {short_name(r.name, home, 12)}（{r.group[:2]}）" for r in rows], fontsize=7.5)
        ax.set_xlim(0, 108)
        ax.set_title(title, fontsize=9.5, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1].set_xlabel("综合得分（0–100，各色为分项得分）")
    axes[0].legend(loc="lower center", bbox_to_anchor=(0.5, 1.12), ncol=len(STRENGTH_COMPONENTS), fontsize=8,
                   frameon=False)


def strength_svg(result: StudyResult, shown: int = 15) -> str | None:
    """Stacked component points of the strongest and the weakest associations (None when none is ranked)."""
    s = result.strength
    if not s.rows:
        return None
    top = s.band(SUPPORT)[:shown]
    bottom = s.band(RECTIFY)[:shown][::-1]
    panels = [(f"扶持培育候选（得分最高的 {len(top)} 家）", top)] if top else []
    panels += [(f"整改候选（得分最低的 {len(bottom)} 家）", bottom)] if bottom else []
    return _render(_draw_strength, panels or [("参评组织", s.rows[:shown])], result.profiles.home)
# ------------------------------------------------------------------------------------- accuracy on labels


def _draw_pr_curve(fig: Figure, points: list, threshold: float) -> None:
    fig.set_size_inches(8, 3.6)
    ax = fig.add_subplot()
    t = np.array([p.threshold for p in points])
    for key, label, colour in (("precision", "精确率", "#4c78a8"), ("recall", "召回率", "#f58518")):
        values = np.array([np.nan if getattr(p, key) is None else getattr(p, key) for p in points], dtype=float)
        ax.plot(t, values, marker="o", markersize=3, color=colour, label=label)
    ax.axvline(threshold, color="#d62728", linewidth=1.2)
    ax.text(threshold + 0.01, 0.04, f"合并分组阈值 {threshold:.2f}", color="#d62728", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.05)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("阈值（重复可能性）")
    ax.set_title("标注组织对上的精确率与召回率（重复可能性不低于阈值即判为重复）", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)


def pr_curve_svg(points: list, threshold: float) -> str:
    """Precision and recall over the threshold on labelled pairs (``accuracy.pr_curve`` points)."""
    return _render(_draw_pr_curve, points, threshold)
