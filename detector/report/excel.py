"""Excel workbooks ready to hand on: the merger study (概要, 合并分组, 规则提示, 枢纽组织, 联合党支部, and the layout
measures 异地商会联络, 未覆盖行业, 新经济领域, 企业入会负担, 综合实力排名) and the
shared sheet layout the workbench's exports use too.

Every table sheet: a title above the header, bold header with a filter, frozen panes below it, columns sized
to their content, number formats (thousands separators, percentages, dates), long text wrapped, A4 landscape
print setup with the header repeated on every page. Text never becomes a formula.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..io import Registry, summary, write_files
from ..policy import ALL_RULES, PROBABILITY_ZH, SEVERITY, SEVERITY_ZH, rule_title
from ..study import StudyResult
from . import tables

MAX_WIDTH = 60  # characters; longer text wraps
WRAP_FROM = 40  # a column whose content is wider than this wraps
MAX_CELL = 32_000  # Excel holds at most 32,767 characters per cell
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)

INTEGER, NUMBER, PERCENT, DATETIME, DECIMAL4 = "#,##0", "#,##0.0", "0%", "yyyy-mm-dd hh:mm", "0.0000"


@dataclass(frozen=True)
class Column:
    """A column of a table sheet: header, number format (None: general), wrapped or not, width (None: fitted)."""

    title: str
    format: str | None = None
    wrap: bool | None = None  # None: wrap when the content is wide
    width: float | None = None


def _width(value: object) -> int:
    """Display width of a cell value: CJK characters (3 bytes in UTF-8) count double."""
    text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, (date, datetime)) else str(value)
    return (len(text.encode()) + len(text)) // 2


def _put(ws: Worksheet, row: int, column: int, value: object, fmt: str | None = None) -> None:
    """One cell; text is always text (a name starting with = is no formula) and cut to Excel's limit."""
    if isinstance(value, str) and len(value) > MAX_CELL:
        value = value[:MAX_CELL] + "…（已截断）"
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if fmt and not isinstance(value, str):
        cell.number_format = fmt


def table_sheet(ws: Worksheet, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]],
                links: Mapping[int, Sequence[str | None]] | None = None) -> None:
    """Fill ``ws``: ``title`` in row 1, header in row 2, then ``rows``. ``links``: column index → one URL per
    row (or None), made into hyperlinks on that column's cells."""
    rows = [list(r) for r in rows]
    ws.cell(row=1, column=1, value=title).font = _TITLE_FONT
    for c, column in enumerate(columns, 1):
        cell = ws.cell(row=2, column=c, value=column.title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, values in enumerate(rows, 3):
        for c, (column, value) in enumerate(zip(columns, values, strict=True), 1):
            _put(ws, r, c, value, column.format)
    for c, urls in (links or {}).items():
        for r, url in enumerate(urls, 3):
            if url:
                cell = ws.cell(row=r, column=c + 1)
                cell.hyperlink, cell.style = url, "Hyperlink"
    for c, column in enumerate(columns, 1):
        widest = max([_width(column.title), *(_width(v[c - 1]) for v in rows[:1000] if v[c - 1] is not None)])
        wrap = column.wrap if column.wrap is not None else widest > WRAP_FROM
        ws.column_dimensions[get_column_letter(c)].width = column.width or min(MAX_WIDTH, widest + 2)
        if wrap:
            for r in range(3, len(rows) + 3):
                ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(len(columns))
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(book: Workbook) -> bytes:
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def new_workbook() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


# ------------------------------------------------------------------------------------------ the study


def _overview_rows(result: StudyResult, registry: Registry | None) -> list[tuple[str, object, str]]:
    """(item, value, unit or note): counts as numbers."""
    p = result.profiles
    rows: list[tuple[str, object, str]] = []
    if registry is not None:
        rows.append(("数据来源", registry.source, ""))
    rows += [("所在城市", p.home.name if p.home else "未能从名称推断", ""),
             ("协会商会", len(p), "家"), ("其中正常状态", int(p.frame["active"].sum()), "家")]
    if registry is not None:
        s = summary(registry)
        rows += [("会员记录", s["memberships"], "条"), ("不同会员", s["distinct_members"], "个")]
    rows += [("建议合并", len(result.groups), "组"), ("涉及组织", sum(len(g.ids) for g in result.groups), "家")]
    rows += [(f"政策规则提示：{SEVERITY_ZH[k]}", v, "条") for k, v in tables.severity_counts(result).items()]
    rows += [("枢纽型组织", len(result.hubs), "家"), ("建议联合党支部", len(result.party_branches), "个")]
    counts = {r["rule"]: r["count"] for r in tables.rule_counts(result)}
    rows += [(f"规则：{rule_title(r)}", counts[r], f"条（{SEVERITY_ZH[SEVERITY[r]]}）") for r in ALL_RULES if r in counts]
    if result.burden.distribution:
        rows.append(("企业入会数量分布（加入家数 户数）", tables.burden_distribution_text(result), ""))
    if result.strength.weights:
        rows.append(("综合实力排名权重", tables.strength_weights_text(result), ""))
    if registry is not None and registry.names_only:
        rows.append(("说明", "仅有名称数据：只按名称结构与语义比对，覆盖面与多数规则无法检查", ""))
    return rows


def excel_bytes(result: StudyResult, registry: Registry | None = None) -> bytes:
    """The study workbook as .xlsx bytes (``registry`` adds the data source and member counts to 概要)."""
    book = new_workbook()
    title = tables.title(result)
    names = tables.names_by_id(result)
    table_sheet(book.create_sheet("概要"), title, [Column("项目"), Column("数值", INTEGER), Column("单位/说明")],
                _overview_rows(result, registry))
    table_sheet(book.create_sheet("合并分组"), f"{title}：建议合并的组织（{len(result.groups)} 组）", [
        Column("组号", INTEGER), Column("组织名称"), Column("统一社会信用代码/编号"), Column("建议保留"),
        Column(f"组内平均{PROBABILITY_ZH}", PERCENT), Column("合并理由", wrap=True, width=50),
        Column("保留理由", wrap=True, width=50), Column("合并后会员数", INTEGER), Column("合并后覆盖县级单位", INTEGER),
        Column("县级单位总数", INTEGER), Column("合并后会员年销售额（万元）", INTEGER),
    ], ([k, name, aid, "是" if aid == g.survivor else "", g.score, "；".join(g.reasons), g.rationale,
         g.coverage["members"], g.coverage["counties"], g.coverage["county_units"] or None, g.coverage["sales"]]
        for k, g in enumerate(result.groups, 1) for aid, name in zip(g.ids, g.names, strict=True)))
    table_sheet(book.create_sheet("规则提示"), f"{title}：政策规则提示（{len(result.findings)} 条）", [
        Column("规则"), Column("级别"), Column("组织名称"), Column("统一社会信用代码/编号"),
        Column("说明", wrap=True, width=70), Column("规则代码"),
    ], ([rule_title(f.rule), SEVERITY_ZH.get(f.severity, f.severity), tables.subject_name(f, names), f.id, f.message,
         f.rule]
        for f in result.findings))
    table_sheet(book.create_sheet("枢纽组织"), f"{title}：枢纽型组织", [
        Column("组织名称"), Column("统一社会信用代码/编号"), Column("中心度（PageRank）", DECIMAL4),
        Column("关联组织数", INTEGER), Column("共有会员（家次）", INTEGER),
    ], ([h.name, h.id, h.centrality, h.linked_associations, h.shared_members] for h in result.hubs))
    table_sheet(book.create_sheet("联合党支部"), f"{title}：建议联合党支部（{len(result.party_branches)} 个）", [
        Column("支部编号", INTEGER), Column("组织名称"), Column("统一社会信用代码/编号"),
    ], ([k, names.get(aid, ""), aid] for k, ids in enumerate(result.party_branches, 1) for aid in ids))
    for name, frame in (("异地商会联络", tables.liaison_table(result)), ("未覆盖行业", tables.industry_gaps_table(result)),
                        ("新经济领域", tables.new_economy_table(result)), ("企业入会负担", tables.burden_table(result)),
                        ("综合实力排名", tables.strength_table(result))):
        frame_sheet(book.create_sheet(name), f"{title}：{name}（{len(frame)} 行）", frame)
    return workbook_bytes(book)


def frame_sheet(ws: Worksheet, title: str, frame: pd.DataFrame) -> None:
    """A table sheet from a frame: whole numbers with thousands separators, other numbers with one decimal."""
    def fmt(dtype) -> str | None:
        if pd.api.types.is_bool_dtype(dtype):
            return None
        if pd.api.types.is_integer_dtype(dtype):
            return INTEGER
        return NUMBER if pd.api.types.is_float_dtype(dtype) else None

    columns = [Column(str(c), fmt(frame[c].dtype)) for c in frame.columns]
    rows = ([None if (isinstance(v, float) and v != v) else v for v in row]
            for row in frame.itertuples(index=False, name=None))
    table_sheet(ws, title, columns, rows)


def write_excel(result: StudyResult, path: str | os.PathLike[str], registry: Registry | None = None) -> None:
    """Write the workbook atomically."""
    write_files({path: excel_bytes(result, registry)})
