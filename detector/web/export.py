"""Downloads of the workbench: the decisions and a batch's results as Excel workbooks (the study's sheet
layout: title, filters, frozen header, real dates, percentages, hyperlinks), the upload templates, and the
审查意见书 as PDF."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..errors import DetectorError
from ..io import (
    ASSOCIATIONS,
    CHINESE_COLUMNS,
    COLUMNS,
    INSPECTIONS,
    MEMBER_KINDS,
    MEMBERSHIPS,
    REQUIRED,
    ROLES,
    SHEET_NAMES,
    STATUSES,
    TYPES,
    column_label,
)
from ..policy import PROBABILITY_ZH, RELATION_ZH, VERDICT_ZH, match_figure, rule_title
from .db import Decision, Run
from .workbench import version_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# detector.report (loaded on first export) draws with matplotlib: the server starts without it.


def local_time(stamp: str) -> datetime:
    """A stored time (ISO 8601, local with its offset) as the local date and time Excel shows."""
    return datetime.fromisoformat(stamp).replace(tzinfo=None)


def _top(result: dict) -> dict:
    return (result.get("matches") or [{}])[0]


def _status(d: Decision, current: set[int]) -> str:
    now = "当前决定" if d.decision_id in current else "已被更正"
    return now + (f"（更正 #{d.supersedes}）" if d.supersedes else "")


def decisions_workbook(decisions: list[Decision], current: set[int], base_url: str) -> bytes:
    """One row per decision, newest first as given (审查记录), and the data each was made on (筛查数据,
    JSON). ``current``: the ids of current decisions; ``base_url`` makes the links to the results absolute,
    so they open outside the workbench."""
    from ..report.excel import DATETIME, INTEGER, PERCENT, Column, new_workbook, table_sheet, workbook_bytes

    book = new_workbook()
    links = [f"{base_url}/screen/{d.run_id}/{d.seq}" for d in decisions]
    table_sheet(book.create_sheet("审查记录"), f"审查记录（{len(decisions)} 条，导出于 {datetime.now():%Y-%m-%d %H:%M}）", [
        Column("编号", INTEGER), Column("时间", DATETIME, width=17), Column("审查人"), Column("申请编号"),
        Column("申请名称"), Column("工具结论"), Column("最相似的已登记组织"), Column(PROBABILITY_ZH, PERCENT),
        Column("审查决定"), Column("建议加入组织"), Column("审查意见", wrap=True, width=40), Column("状态"),
        Column("筛查结果"), Column("模型版本"),
    ], ([d.decision_id, local_time(d.created_at), d.reviewer, d.app_id, d.app_name, VERDICT_ZH.get(d.verdict, d.verdict),
         _top(d.result).get("name", ""), d.top_match_score, d.decision_zh, d.target_name, d.comment,
         _status(d, current), "打开筛查结果", version_label(d.model)]
        for d in decisions), links={12: links})
    table_sheet(book.create_sheet("筛查数据"), "每条审查决定所依据的申请与筛查结果（JSON）", [
        Column("编号", INTEGER), Column("申请数据（JSON）", width=60), Column("筛查结果（JSON）", width=60),
        Column("模型（JSON）", width=40),
    ], ([d.decision_id, json.dumps(d.application, ensure_ascii=False), json.dumps(d.result, ensure_ascii=False),
         json.dumps(d.model, ensure_ascii=False)] for d in decisions))
    return workbook_bytes(book)


def batch_workbook(run: Run, current: dict[int, Decision], base_url: str) -> bytes:
    """A batch's screening results, one row per application, with its current decision."""
    from ..report.excel import INTEGER, PERCENT, Column, new_workbook, table_sheet, workbook_bytes

    book = new_workbook()
    rows, links = [], []
    for s in run.screenings:
        top, d = _top(s.result), current.get(s.seq)
        rows.append([s.seq, s.app_id, s.app_name, VERDICT_ZH.get(s.verdict, s.verdict), top.get("name", ""),
                     RELATION_ZH.get(top.get("relation", ""), ""),
                     top.get("score") if top.get("relation") in ("duplicate", "review") else None,
                     match_figure(top["relation"], top["score"], top.get("gate", "")) if top else "",
                     "；".join(top.get("reasons", [])), s.result.get("summary", ""),
                     "；".join(dict.fromkeys(rule_title(f["rule"]) for f in s.result.get("findings", []))),
                     d.decision_zh if d else "", d.target_name if d else "", d.reviewer if d else "", "打开筛查结果"])
        links.append(f"{base_url}/screen/{run.run_id}/{s.seq}")
    table_sheet(book.create_sheet("筛查结果"), f"批量筛查结果（{len(rows)} 件，筛查于 {local_time(run.created_at):%Y-%m-%d %H:%M}）", [
        Column("序号", INTEGER), Column("申请编号"), Column("申请名称"), Column("工具结论"), Column("最相似的已登记组织"),
        Column("关系"), Column(PROBABILITY_ZH, PERCENT), Column("说明"), Column("理由", wrap=True, width=50),
        Column("结论说明", wrap=True, width=40), Column("政策规则提示", wrap=True, width=30), Column("审查决定"),
        Column("建议加入组织"), Column("审查人"), Column("筛查结果"),
    ], rows, links={14: links})
    return workbook_bytes(book)


def opinion_pdf_bytes(html: str) -> bytes:
    """The 审查意见书 page as PDF (WeasyPrint; Chinese set in Noto CJK, installed with fonts-noto-cjk)."""
    from .templating import HERE

    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # WeasyPrint missing, or the system's Pango library
        raise DetectorError("本机无法生成 PDF（缺少 WeasyPrint 或 Pango 组件），请打开审查意见书页面用浏览器打印"
                            f"（{type(exc).__name__}）") from exc
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(HERE / "static" / "opinion.css"))])


# ------------------------------------------------------------------------------ upload templates

# What each column holds, for the 说明 sheet of the upload template (FORMAT.md in Chinese).
COLUMN_NOTES = {
    "id": "申请编号：统一社会信用代码或任意不重复的编号", "name": "拟成立组织的名称，如 温州市鞋类行业商会",
    "region": "登记区域：市本级填城市（温州市），县级填区县（鹿城区、乐清市…）；留空则按名称推断",
    "type": f"{' / '.join(TYPES)}；留空则按名称推断", "industry": "所属行业，文字", "scope": "业务范围，文字",
    "purpose": "章程宗旨，文字", "services": "服务项目，多项以“；”分隔", "founded": "成立日期，YYYY-MM-DD",
    "status": f"{' / '.join(STATUSES)}（默认 {STATUSES[0]}）", "staff_fulltime": "专职工作人员数，整数",
    "has_office": "是否有固定办公场所：是 / 否", "funding": "经费来源，文字；空表示没有",
    "last_election": "上次换届日期，YYYY-MM-DD", "term_years": "章程规定的任期（年），默认 5",
    "inspection": f"上次年检结果：{' / '.join(INSPECTIONS)}", "party_members": "党员人数，整数",
    "association_id": "所属申请的编号（与协会商会表的“编号”一致）", "member_name": "会员企业或个人的名称",
    "member_id": "会员企业的统一社会信用代码", "member_kind": f"{' / '.join(MEMBER_KINDS)}；留空则按名称推断",
    "member_region": "会员登记所在的县级区域，或城市以外的地名", "role": f"{' / '.join(ROLES)}（默认 会员）",
    "person": "担任该职务的自然人（企业负责人）", "annual_sales": "会员年销售额，万元",
}
TEMPLATE_EXAMPLE = {
    ASSOCIATIONS: [{"id": "SQ-001", "name": "温州市鞋类行业商会", "region": "温州市", "type": "商会", "industry": "鞋类",
                    "scope": "组织皮鞋、鞋材生产企业开展技术交流、展会组织和行业维权", "purpose": "服务温州鞋类企业发展",
                    "services": "展会组织；维权服务"}],
    MEMBERSHIPS: [{"association_id": "SQ-001", "member_name": "温州市康华鞋业有限公司", "member_id": "91330301MA285X0011",
                   "member_kind": "企业", "member_region": "鹿城区", "role": "会长", "person": "王建国", "annual_sales": 52000},
                  {"association_id": "SQ-001", "member_name": "温州市新星鞋业有限公司", "member_kind": "企业",
                   "member_region": "瓯海区",
                   "role": "副会长", "person": "邱明", "annual_sales": 7000}],
}
TEMPLATE_FILES = {"applications.xlsx": "申请模板.xlsx", f"{ASSOCIATIONS}.csv": "申请模板-协会商会.csv",
                  f"{MEMBERSHIPS}.csv": "申请模板-会员.csv"}


def _template_columns(table: str) -> tuple[str, ...]:
    """The columns a template sheet has: for applications those screening reads (the others, listed in 说明,
    may be added), for members all."""
    return COLUMNS[table][:8] if table == ASSOCIATIONS else COLUMNS[table]


def _template_rows(table: str) -> list[list[object]]:
    """A table of the template: Chinese headers, then the example rows."""
    columns = _template_columns(table)
    return [[column_label(c, table) for c in columns],
            *([row.get(c, "") for c in columns] for row in TEMPLATE_EXAMPLE[table])]


def template_csv(table: str) -> bytes:
    """The CSV template of one table, UTF-8 with BOM (Excel opens it with the Chinese intact)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(_template_rows(table))
    return out.getvalue().encode("utf-8-sig")


def template_workbook() -> bytes:
    """The batch template: sheets 协会商会 and 会员 (Chinese headers, one example application) and 说明."""
    book = Workbook()
    book.remove(book.active)
    for table in (ASSOCIATIONS, MEMBERSHIPS):
        sheet = book.create_sheet(SHEET_NAMES[table])
        for row in _template_rows(table):
            sheet.append(row)
        for k, column in enumerate(_template_columns(table), 1):
            sheet.cell(row=1, column=k).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(k)].width = max(12, min(40, 2 * len(column_label(column, table)) + 4))
        sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    notes.append(["工作表", "列名", "必填", "说明", "也可写作"])
    for table in (ASSOCIATIONS, MEMBERSHIPS):
        for column in COLUMNS[table]:
            names = CHINESE_COLUMNS[table].get(column, ())
            notes.append([SHEET_NAMES[table], column_label(column, table), "是" if column in REQUIRED[table] else "",
                          COLUMN_NOTES.get(column, ""), "、".join([*names[1:], column])])
    for k, width in enumerate((10, 18, 6, 60, 36), 1):
        notes.cell(row=1, column=k).font = Font(bold=True)
        notes.column_dimensions[get_column_letter(k)].width = width
    notes.freeze_panes = "A2"
    notes.append([])
    notes.append(["", "每件申请一行；会员一行一家，用“所属协会编号”对应申请。列名用中文或英文均可，列的顺序不限，"
                  "没有的列可以删去。工作表名也可用 associations / memberships。每个文件不超过 5 MB。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
