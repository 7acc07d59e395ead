"""Server-rendered pages: 筛查申请 / 登记库 / 合并研究 / 审查记录, and the local API docs."""
from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from pathlib import PureWindowsPath
from urllib.parse import quote, unquote

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from ..errors import InputError
from ..io import ASSOCIATIONS, COLUMNS, MAX_CELL_CHARS, MEMBERSHIPS, TYPES
from ..names import parse_name
from ..rules import to_json as finding_json
from . import viewmodels
from .templating import page
from .db import DECISIONS, NewDecision, Screening
from .export import XLSX_TYPE, decisions_workbook
from .forms import FORM_FIELDS, MAX_APPLICATIONS, MAX_UPLOAD_BYTES, MEMBER_LABELS, form_application, load_batch
from .workbench import Workbench, association_or_404, workbench

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
REVIEWER_COOKIE = "detector_reviewer"
MAX_COMMENT = 2000
MAX_REVIEWER = 50
MAX_PAGE = 100_000
# Every path and query parameter is bounded: an absurd value is a 4xx answer, never a 500.
RunId = Path(pattern=r"^[0-9a-f]{16}$", description="筛查记录编号")
Seq = Path(ge=1, le=MAX_APPLICATIONS, description="批次中的第几件申请")
AssociationId = Path(max_length=MAX_CELL_CHARS, description="已登记组织的编号")
PageNo = Query(1, ge=1, le=MAX_PAGE, alias="page")


def _short(default: str = "") -> str:
    """A query parameter of at most MAX_CELL_CHARS characters (a search word, a filter value)."""
    return Query(default, max_length=MAX_CELL_CHARS)


async def _form(request: Request) -> FormData:
    return await request.form(max_files=4, max_fields=64, max_part_size=MAX_UPLOAD_BYTES)


def _display_name(filename: str) -> str:
    """An uploaded file's name for messages only (never used as a path)."""
    return PureWindowsPath(filename).name[:80] or "上传文件"


async def _upload(form: FormData, key: str) -> tuple[str, bytes] | None:
    """(name, bytes) of an uploaded file field; None when no file was chosen. Reads at most one byte
    over the limit, so an oversized file is refused without reading it whole."""
    file = form.get(key)
    if not isinstance(file, UploadFile) or not file.filename:
        return None
    return _display_name(file.filename), await file.read(MAX_UPLOAD_BYTES + 1)


def _pages(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


# ------------------------------------------------------------------------------------------- screening


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/screen", status_code=303)


def _form_page(request: Request, status: int = 200, **context: object) -> Response:
    wb = workbench(request)
    defaults = {"values": {}, "members_text": "", "error": None, "batch_error": None, "member_labels": MEMBER_LABELS,
                "regions": sorted(set(wb.registry.associations["region"]) - {""}), "types": TYPES,
                "recent": wb.store.recent_runs()}
    return page(request, "screen_form.html", {**defaults, **context}, status)


@router.get("/screen")
def screen_form(request: Request) -> Response:
    return _form_page(request)


@router.post("/screen")
async def screen_submit(request: Request) -> Response:
    wb = workbench(request)
    form = await _form(request)
    values = {k: str(form.get(k) or "").strip() for k in FORM_FIELDS}
    members_text = str(form.get("members_text") or "")
    try:
        upload = await _upload(form, "members_file")
        apps = await run_in_threadpool(form_application, values, members_text, upload, wb.registry.home)
        run_id = await run_in_threadpool(wb.screen, apps, "form")
    except InputError as exc:
        return _form_page(request, 400, values=values, members_text=members_text, error=str(exc))
    return RedirectResponse(f"/screen/{run_id}/1", status_code=303)


@router.post("/screen/batch")
async def batch_submit(request: Request) -> Response:
    wb = workbench(request)
    form = await _form(request)
    try:
        applications = await _upload(form, "applications_file")
        if applications is None:
            raise InputError("请选择要上传的申请文件（.xlsx 工作簿或 associations.csv）")
        memberships = await _upload(form, "memberships_file")
        apps = await run_in_threadpool(load_batch, applications, memberships, wb.uploads, wb.registry.home)
        run_id = await run_in_threadpool(wb.screen, apps, "upload")
    except InputError as exc:
        return _form_page(request, 400, batch_error=str(exc))
    return RedirectResponse(f"/screen/{run_id}", status_code=303)


@router.get("/screen/{run_id}")
def batch_result(request: Request, run_id: str = RunId) -> Response:
    run = workbench(request).store.run(run_id)
    if run is None:
        raise HTTPException(404, f"没有编号为 {run_id} 的筛查记录")
    if len(run.screenings) == 1:
        return RedirectResponse(f"/screen/{run_id}/1", status_code=303)
    counts = Counter(s.verdict for s in run.screenings)
    return page(request, "batch.html", {"run": run, "counts": counts})


def _screening(wb: Workbench, run_id: str, seq: int) -> Screening:
    screening = wb.store.screening(run_id, seq)
    if screening is None:
        raise HTTPException(404, f"没有编号为 {run_id}/{seq} 的筛查结果")
    return screening


def _result_page(request: Request, run_id: str, seq: int, status: int = 200, **context: object) -> Response:
    wb = workbench(request)
    screening = _screening(wb, run_id, seq)
    run = wb.store.run(run_id)
    home = wb.registry.home
    comparisons = [viewmodels.compare(screening.application, m, wb.engine) for m in screening.result["matches"]]
    reviewer = unquote(request.cookies.get(REVIEWER_COOKIE, ""))
    saved = request.query_params.get("saved", "")
    defaults = {"decision": "", "target_id": "", "comment": "", "reviewer": reviewer, "decision_error": None}
    return page(request, "result.html", {
        "run": run, "s": screening, "r": screening.result, "app": screening.application,
        "parsed_rows": viewmodels.parsed_rows(parse_name(screening.app_name, home)),
        "comparisons": comparisons, "targets": [c.match for c in comparisons if c.found],
        "decisions": wb.store.decisions(run_id=run_id, seq=seq), "member_labels": MEMBER_LABELS,
        "saved": saved if saved.isdigit() else None, "form": {**defaults, **context},
    }, status)


@router.get("/screen/{run_id}/{seq}")
def screen_result(request: Request, run_id: str = RunId, seq: int = Seq) -> Response:
    return _result_page(request, run_id, seq)


def _decision_error(decision: str, target_id: str, targets: set[str], reviewer: str, comment: str) -> str | None:
    if decision not in DECISIONS:
        return "请选择审查决定"
    if decision == "join" and target_id not in targets:
        return "建议加入时，请选择要加入的已登记组织"
    if not reviewer:
        return "请填写审查人姓名"
    if len(reviewer) > MAX_REVIEWER or len(comment) > MAX_COMMENT:
        return f"审查人姓名不超过 {MAX_REVIEWER} 字，意见不超过 {MAX_COMMENT} 字"
    if "\x00" in reviewer + comment + target_id:
        return "审查人姓名和意见中不能含有 NUL 空字符"
    return None


@router.post("/screen/{run_id}/{seq}/decisions")
async def record_decision(request: Request, run_id: str = RunId, seq: int = Seq) -> Response:
    wb = workbench(request)
    screening = _screening(wb, run_id, seq)
    form = await request.form(max_files=0, max_fields=16)
    decision, target_id, comment, reviewer = (str(form.get(k) or "").strip()
                                              for k in ("decision", "target_id", "comment", "reviewer"))
    targets = {m["id"]: m["name"] for m in screening.result["matches"]}
    error = _decision_error(decision, target_id, set(targets), reviewer, comment)
    if error:
        return _result_page(request, run_id, seq, 400, decision=decision, target_id=target_id, comment=comment,
                            reviewer=reviewer, decision_error=error)
    if decision != "join":
        target_id = ""
    run = wb.store.run(run_id)
    new = NewDecision(reviewer, decision, target_id, targets.get(target_id, ""), comment)
    decision_id = await run_in_threadpool(wb.store.add_decision, screening, new, run.model)
    response = RedirectResponse(f"/screen/{run_id}/{seq}?saved={decision_id}#decisions", status_code=303)
    response.set_cookie(REVIEWER_COOKIE, quote(reviewer), max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


# -------------------------------------------------------------------------------------------- registry


@router.get("/registry")
def registry(request: Request, q: str = _short(), region: str = _short(), type: str = _short(),
             status: str = _short(), page_no: int = PageNo) -> Response:
    frame = workbench(request).registry.associations
    hits = viewmodels.search(frame, q, region, type, status)
    start = (page_no - 1) * PAGE_SIZE
    return page(request, "registry.html", {
        "q": q, "region": region, "type": type, "status": status, "page_no": page_no,
        "pages": _pages(len(hits)), "total": len(hits), "rows": hits.iloc[start:start + PAGE_SIZE].to_dict("records"),
        "regions": sorted(set(frame["region"]) - {""}), "types": sorted(set(frame["type"]) - {""}),
        "statuses": sorted(set(frame["status"]) - {""}),
    })


@router.get("/registry/{association_id:path}")
def association(request: Request, association_id: str = AssociationId) -> Response:
    wb, a = association_or_404(request, association_id)
    study = wb.study()
    group = next((n for n, g in enumerate(study.groups, 1) if a.id in g.ids), None)
    fields = [(viewmodels.FIELD_LABELS[c], viewmodels.text(getattr(a, c))) for c in COLUMNS[ASSOCIATIONS]]
    fields += [(k, viewmodels.text(v)) for k, v in a.extra.items()]
    return page(request, "association.html", {
        "a": a, "fields": fields, "parsed_rows": viewmodels.parsed_rows(parse_name(a.name, wb.registry.home)),
        "members": wb.registry.members_of(a.id).to_dict("records"), "member_columns": COLUMNS[MEMBERSHIPS][1:],
        "member_labels": MEMBER_LABELS, "similar": wb.similar(a.id), "group": group,
        "findings": [finding_json(f) for f in study.findings if f.id == a.id],
    })


# ----------------------------------------------------------------------------------------------- study


@router.get("/study")
def study(request: Request) -> Response:
    result = workbench(request).study()
    by_rule = Counter(f.rule for f in result.findings)
    names = dict(zip(result.profiles.frame["id"], result.profiles.frame["name"], strict=True))
    return page(request, "study.html", {"result": result, "by_rule": sorted(by_rule.items()), "names": names,
                                        "grouped": sum(len(g.ids) for g in result.groups),
                                        "findings": [finding_json(f) for f in result.findings]})


@router.get("/study/network.svg")
def network_svg(request: Request) -> Response:
    return Response(workbench(request).network_svg(), media_type="image/svg+xml")


# ------------------------------------------------------------------------------------------- decisions


def _decision_filter(decision: str) -> str | None:
    return decision if decision in DECISIONS else None


@router.get("/decisions")
def decisions(request: Request, decision: str = _short(), page_no: int = PageNo) -> Response:
    store = workbench(request).store
    kind = _decision_filter(decision)
    total = store.count_decisions(kind)
    rows = store.decisions(kind, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    return page(request, "decisions.html", {"rows": rows, "decision": kind or "", "total": total,
                                            "page_no": page_no, "pages": _pages(total)})


@router.get("/decisions.xlsx")
def decisions_xlsx(request: Request, decision: str = _short()) -> Response:
    rows = workbench(request).store.decisions(_decision_filter(decision))
    filename = f"decisions-{datetime.now():%Y%m%d-%H%M}.xlsx"
    return Response(decisions_workbook(rows), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# ------------------------------------------------------------------------------------------------ docs


@router.get("/docs")
def docs(request: Request) -> Response:
    return page(request, "docs.html", {"endpoints": viewmodels.endpoints(request.app.openapi())})
