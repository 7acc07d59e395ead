"""The merger study as an Excel workbook: 概要, 合并分组, 规则提示, 枢纽组织, 联合党支部, and the layout measures:
异地商会联络, 未覆盖行业, 新经济领域, 企业入会负担, 综合实力排名."""
from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..io import Registry, write_files
from ..study import StudyResult
from . import tables

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_WIDTH = 60  # characters; longer text stays in the cell, Excel shows it on demand
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_HEADER_FONT = Font(bold=True)


def _width(value: object) -> int:
    """Display width of a cell value: CJK characters (3 bytes in UTF-8) count double."""
    text = str(value)
    return (len(text.encode()) + len(text)) // 2


def _cell(ws: WriteOnlyWorksheet, value: object) -> object:
    """The value to append: text that Excel would take for a formula becomes a text cell."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # registry text, never a formula
    return cell


def _sheet(ws: WriteOnlyWorksheet, frame: pd.DataFrame) -> None:
    """Header (bold, frozen) and rows; each column as wide as its content, up to :data:`MAX_WIDTH`."""
    for c, column in enumerate(frame.columns, 1):
        widest = max([_width(column), *(_width(v) for v in frame[column].head(1000))])
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, widest + 2)
    ws.freeze_panes = "A2"
    header = [WriteOnlyCell(ws, column) for column in frame.columns]
    for cell in header:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    ws.append(header)
    for row in frame.itertuples(index=False):
        ws.append([_cell(ws, v) for v in row])


def _overview(result: StudyResult, registry: Registry | None) -> pd.DataFrame:
    rows = [(tables.title(result), ""), *tables.summary_items(result, registry)]
    rows += [(f"规则 {r['rule']}（{r['title']}，{r['severity']}）", f"{r['count']} 条") for r in tables.rule_counts(result)]
    if result.burden.distribution:
        rows.append(("企业入会数量分布（加入家数 户数）", tables.burden_distribution_text(result)))
    if result.strength.weights:
        rows.append(("综合实力排名权重", tables.strength_weights_text(result)))
    return pd.DataFrame(rows, columns=["项目", "内容"])


def excel_bytes(result: StudyResult, registry: Registry | None = None) -> bytes:
    """The workbook as .xlsx bytes (``registry`` adds the data source and member counts to 概要);
    header frozen, columns sized to their content, registry text never turned into formulas."""
    wb = Workbook(write_only=True)
    sheets = {
        "概要": _overview(result, registry),
        "合并分组": tables.group_members_frame(result),
        "规则提示": tables.findings_table(result),
        "枢纽组织": tables.hubs_frame(result),
        "联合党支部": tables.party_branches_frame(result),
        "异地商会联络": tables.liaison_table(result),
        "未覆盖行业": tables.industry_gaps_table(result),
        "新经济领域": tables.new_economy_table(result),
        "企业入会负担": tables.burden_table(result),
        "综合实力排名": tables.strength_table(result),
    }
    for name, frame in sheets.items():
        _sheet(wb.create_sheet(name), frame)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_excel(result: StudyResult, path: str | os.PathLike[str], registry: Registry | None = None) -> None:
    """Write the workbook atomically."""
    write_files({path: excel_bytes(result, registry)})
