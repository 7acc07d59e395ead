"""Decisions as an Excel workbook (Chinese headers), safe to open: text never becomes a formula."""
from __future__ import annotations

import io
import json

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from .db import Decision
from ..policy import VERDICT_ZH

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_000  # Excel holds at most 32,767 characters per cell
COLUMNS = (
    ("编号", 8), ("时间", 22), ("审查人", 10), ("申请编号", 22), ("申请名称", 30), ("工具结论", 10),
    ("最相似组织编号", 22), ("最相似组织得分", 10), ("审查决定", 10), ("建议加入组织编号", 22), ("建议加入组织", 30),
    ("审查意见", 40), ("筛查结果地址", 34), ("模型版本", 40), ("申请数据（JSON）", 40), ("筛查结果（JSON）", 40),
)


def _values(d: Decision) -> list[object]:
    return [
        d.decision_id, d.created_at, d.reviewer, d.app_id, d.app_name, VERDICT_ZH.get(d.verdict, d.verdict),
        d.top_match_id, d.top_match_score, d.decision_zh, d.target_id, d.target_name, d.comment,
        f"/screen/{d.run_id}/{d.seq}", json.dumps(d.model, ensure_ascii=False),
        json.dumps(d.application, ensure_ascii=False), json.dumps(d.result, ensure_ascii=False),
    ]


def _cell(sheet: Worksheet, value: object) -> WriteOnlyCell:
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value)
    text = value if len(value) <= MAX_CELL else value[:MAX_CELL] + "…（已截断）"
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # a name starting with = stays text, not a formula
    return cell


def decisions_workbook(decisions: list[Decision]) -> bytes:
    """One row per decision, newest first as given."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审查记录")
    for letter, (_, width) in zip("ABCDEFGHIJKLMNOP", COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for d in decisions:
        sheet.append([_cell(sheet, v) for v in _values(d)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
