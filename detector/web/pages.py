"""Server-rendered pages: 筛查申请 / 登记库 / 合并研究 / 审查记录, and the local API docs."""
from __future__ import annotations

import math
import re
from collections import Counter
from datetime import datetime
from pathlib import PureWindowsPath
from urllib.parse import quote, unquote

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from ..errors import InputError
from ..io import ASSOCIATIONS, COLUMNS, MAX_CELL_CHARS, MEMBERSHIPS, TYPES
from ..names import parse_name
from ..policy import ALL_RULES, VERDICT_ZH
from ..rules import to_json as finding_json
from . import viewmodels
from .db import DECISIONS, Decision, NewDecision, Run, Screening, StaleDecision
from .export import (
    TEMPLATE_FILES,
    XLSX_TYPE,
    batch_workbook,
    decisions_workbook,
    opinion_pdf_bytes,
    template_csv,
    template_workbook,
)
from .forms import FORM_FIELDS, MAX_APPLICATIONS, MAX_UPLOAD_BYTES, MEMBER_LABELS, form_application, load_batch
from .templating import page
from .workbench import Workbench, association_or_404, workbench

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
REVIEWER_COOKIE = "detector_reviewer"
MAX_COMMENT = 2000
MAX_REVIEWER = 50
FINDINGS_PAGE = 50
_KEY = re.compile(r"[0-9a-f]{32}")
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


def _submission(form: FormData) -> str | None:
    """The form's one-time submission key (a hidden field), when it is a well-formed one."""
    key = str(form.get("submission") or "")
    return key if _KEY.fullmatch(key) else None


def _attachment(data: bytes, media_type: str, filename: str) -> Response:
    """A download; ``filename`` may be Chinese (RFC 6266 ``filename*``, with an ASCII fallback)."""
    stem, dot, suffix = filename.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")
    fallback = f"{ascii_stem if re.search('[A-Za-z0-9]', ascii_stem) else 'download'}{dot}{suffix}"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


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
        run_id = await run_in_threadpool(wb.screen, apps, "form", _submission(form))
    except InputError as exc:
        return _form_page(request, 400, values=values, members_text=members_text, error=viewmodels.located(exc))
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
        run_id = await run_in_threadpool(wb.screen, apps, "upload", _submission(form))
    except InputError as exc:
        return _form_page(request, 400, batch_error=viewmodels.located(exc))
    return RedirectResponse(f"/screen/{run_id}", status_code=303)


@router.get("/templates/{name}")
def upload_template(name: str = Path(max_length=64)) -> Response:
    """The batch upload templates: applications.xlsx (with a 说明 sheet), associations.csv, memberships.csv."""
    if name not in TEMPLATE_FILES:
        raise HTTPException(404, f"没有名为 {name} 的模板")
    if name.endswith(".xlsx"):
        return _attachment(template_workbook(), XLSX_TYPE, TEMPLATE_FILES[name])
    return _attachment(template_csv(name.removesuffix(".csv")), "text/csv; charset=utf-8", TEMPLATE_FILES[name])


def _run(wb: Workbench, run_id: str) -> Run:
    run = wb.store.run(run_id)
    if run is None:
        raise HTTPException(404, f"没有编号为 {run_id} 的筛查记录")
    return run


@router.get("/screen/{run_id}")
def batch_result(request: Request, run_id: str = RunId, verdict: str = _short()) -> Response:
    wb = workbench(request)
    run = _run(wb, run_id)
    if len(run.screenings) == 1:
        return RedirectResponse(f"/screen/{run_id}/1", status_code=303)
    counts = Counter(s.verdict for s in run.screenings)
    verdict = verdict if verdict in VERDICT_ZH else ""
    rows = [s for s in run.screenings if not verdict or s.verdict == verdict]
    return page(request, "batch.html", {"run": run, "counts": counts, "verdict": verdict, "rows": rows,
                                        "current": wb.store.current_decisions(run_id)})


@router.get("/screen/{run_id}/results.xlsx")
def batch_xlsx(request: Request, run_id: str = RunId) -> Response:
    wb = workbench(request)
    run = _run(wb, run_id)
    data = batch_workbook(run, wb.store.current_decisions(run_id), str(request.base_url).rstrip("/"))
    return _attachment(data, XLSX_TYPE, f"筛查结果-{run.created_at[:10]}-{run_id[:6]}.xlsx")


def _screening(wb: Workbench, run_id: str, seq: int) -> Screening:
    screening = wb.store.screening(run_id, seq)
    if screening is None:
        raise HTTPException(404, f"没有编号为 {run_id}/{seq} 的筛查结果")
    return screening


def _current(wb: Workbench, run_id: str, seq: int) -> Decision | None:
    found = wb.store.decisions(run_id=run_id, seq=seq, limit=1)
    return found[0] if found else None


def _result_page(request: Request, run_id: str, seq: int, status: int = 200, form: dict | None = None,
                 errors: dict[str, str] | None = None) -> Response:
    wb = workbench(request)
    screening = _screening(wb, run_id, seq)
    run = _run(wb, run_id)
    comparisons = [viewmodels.compare(screening.application, m, wb.engine) for m in screening.result["matches"]]
    targets = [c.match for c in comparisons if c.found]
    current = _current(wb, run_id, seq)
    saved = request.query_params.get("saved", "")
    defaults = {"decision": current.decision if current else "", "comment": "",
                "target_id": current.target_id if current and current.target_id else viewmodels.best_target(targets),
                "reviewer": unquote(request.cookies.get(REVIEWER_COOKIE, ""))}
    return page(request, "result.html", {
        "run": run, "s": screening, "r": screening.result, "app": screening.application,
        "facts": viewmodels.application_facts(screening.application, wb.registry.home,
                                             screening.result.get("industry")),
        "comparisons": comparisons, "targets": targets, "current": current,
        "decisions": wb.store.decisions(run_id=run_id, seq=seq), "member_labels": MEMBER_LABELS,
        "saved": int(saved) if saved.isdigit() else None, "form": {**defaults, **(form or {})},
        "errors": errors or {},
    }, status)


@router.get("/screen/{run_id}/{seq}")
def screen_result(request: Request, run_id: str = RunId, seq: int = Seq) -> Response:
    return _result_page(request, run_id, seq)


def _decision_errors(values: dict[str, str], targets: set[str]) -> dict[str, str]:
    """Field → Chinese message for every mistake in a decision form."""
    errors = {}
    if values["decision"] not in DECISIONS:
        errors["decision"] = "请选择审查决定"
    elif values["decision"] == "join" and values["target_id"] not in targets:
        errors["target_id"] = "选择“建议加入”时，请选择要加入的已登记组织"
    if not values["reviewer"]:
        errors["reviewer"] = "请填写审查人姓名"
    elif len(values["reviewer"]) > MAX_REVIEWER:
        errors["reviewer"] = f"审查人姓名不超过 {MAX_REVIEWER} 字"
    if len(values["comment"]) > MAX_COMMENT:
        errors["comment"] = f"审查意见不超过 {MAX_COMMENT} 字（现有 {len(values['comment'])} 字）"
    for field in ("reviewer", "comment"):
        if "\x00" in values[field]:
            errors[field] = "不能含有 NUL 空字符"
    return errors


@router.post("/screen/{run_id}/{seq}/decisions")
async def record_decision(request: Request, run_id: str = RunId, seq: int = Seq) -> Response:
    wb = workbench(request)
    screening = _screening(wb, run_id, seq)
    form = await request.form(max_files=0, max_fields=16)
    values = {k: str(form.get(k) or "").strip() for k in ("decision", "target_id", "comment", "reviewer")}
    supersedes = str(form.get("supersedes") or "")
    targets = {m["id"]: m["name"] for m in screening.result["matches"]}
    errors = _decision_errors(values, set(targets))
    if errors:
        return _result_page(request, run_id, seq, 400, form=values, errors=errors)
    if values["decision"] != "join":
        values["target_id"] = ""
    new = NewDecision(values["reviewer"], values["decision"], values["target_id"], targets.get(values["target_id"], ""),
                      values["comment"])
    try:
        decision_id = await run_in_threadpool(wb.store.add_decision, screening, new, _run(wb, run_id).model,
                                              int(supersedes) if supersedes.isdigit() else None, _submission(form))
    except StaleDecision as exc:
        now = exc.current
        message = (f"本申请刚有新的审查决定 #{now.decision_id}（{now.reviewer}，{now.decision_zh}），"
                   "请先查看，再决定是否更正" if now else "要更正的审查决定已不存在，请刷新页面")
        return _result_page(request, run_id, seq, 409, form=values, errors={"form": message})
    response = RedirectResponse(f"/screen/{run_id}/{seq}?saved={decision_id}#decisions", status_code=303)
    response.set_cookie(REVIEWER_COOKIE, quote(values["reviewer"]), max_age=365 * 24 * 3600, httponly=True,
                        samesite="lax")
    return response


@router.get("/screen/{run_id}/{seq}/opinion")
def opinion(request: Request, run_id: str = RunId, seq: int = Seq) -> Response:
    """The 审查意见书 of one application, for printing (A4, no navigation)."""
    return page(request, "opinion.html", _opinion_context(request, run_id, seq, pdf=False))


@router.get("/screen/{run_id}/{seq}/opinion.pdf")
async def opinion_pdf(request: Request, run_id: str = RunId, seq: int = Seq) -> Response:
    context = _opinion_context(request, run_id, seq, pdf=True)
    html = request.app.state.templates.get_template("opinion.html").render({"request": request, **context})
    data = await run_in_threadpool(opinion_pdf_bytes, html)
    return _attachment(data, "application/pdf", f"审查意见书-{context['s'].app_name}.pdf")


def _opinion_context(request: Request, run_id: str, seq: int, pdf: bool) -> dict:
    wb = workbench(request)
    screening = _screening(wb, run_id, seq)
    return {"wb": wb, "run": _run(wb, run_id), "s": screening, "r": screening.result, "pdf": pdf,
            "facts": viewmodels.application_facts(screening.application, wb.registry.home,
                                                 screening.result.get("industry")),
            "current": _current(wb, run_id, seq), "printed": datetime.now()}


# -------------------------------------------------------------------------------------------- registry


@router.get("/registry")
def registry(request: Request, q: str = _short(), region: str = _short(), type: str = _short(),
             industry: str = _short(), status: str = _short(), page_no: int = PageNo) -> Response:
    wb = workbench(request)
    frame = wb.engine.profiles.frame
    hits = viewmodels.search(frame, q, region, type, status, industry)
    start = (page_no - 1) * PAGE_SIZE
    rows = [{**frame.iloc[k][["id", "name", "region", "eff_type", "industry", "status", "founded",
                              "region_inferred", "type_inferred"]].to_dict(), "found_by": how,
             "industry_name": viewmodels.industry_name(frame["industry_key"].iat[k])}
            for k, how in hits[start:start + PAGE_SIZE]]
    keys = sorted(set(frame["industry_key"]) - {""}, key=viewmodels.industry_name)
    return page(request, "registry.html", {
        "q": q, "region": region, "type": type, "industry": industry, "status": status, "page_no": page_no,
        "pages": _pages(len(hits)), "total": len(hits), "rows": rows,
        "regions": sorted(set(frame["region"]) - {""}), "types": [t for t in TYPES if (frame["eff_type"] == t).any()],
        "industries": [(k, viewmodels.industry_name(k)) for k in keys],
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
def study(request: Request, rule: str = _short(), region: str = _short(), page_no: int = PageNo) -> Response:
    wb = workbench(request)
    result = wb.study()
    frame = result.profiles.frame
    names = dict(zip(frame["id"], frame["name"], strict=True))
    regions = dict(zip(frame["id"], frame["region"], strict=True))
    rule = rule if rule in ALL_RULES else ""
    chosen = [f for f in result.findings if (not rule or f.rule == rule) and (not region or regions.get(f.id) == region)]
    start = (page_no - 1) * FINDINGS_PAGE
    by_rule = Counter(f.rule for f in result.findings)
    return page(request, "study.html", {
        "result": result, "names": names, "regions_of": regions, "grouped": sum(len(g.ids) for g in result.groups),
        "by_rule": [(r, by_rule[r]) for r in ALL_RULES if by_rule[r]], "rule": rule, "region": region,
        "regions": sorted({regions.get(f.id, "") for f in result.findings} - {""}), "total": len(chosen),
        "findings": [finding_json(f) for f in chosen[start:start + FINDINGS_PAGE]], "page_no": page_no,
        "pages": max(1, math.ceil(len(chosen) / FINDINGS_PAGE)), "groups": viewmodels.study_groups(result),
        "network": viewmodels.network(result), "layout": viewmodels.layout_measures(result),
    })


@router.get("/study/report.html")
def study_report(request: Request) -> Response:
    """The merger-study report (the same page as ``detector study --report``)."""
    return HTMLResponse(workbench(request).study_report())


@router.get("/study/study.xlsx")
def study_workbook(request: Request) -> Response:
    wb = workbench(request)
    return _attachment(wb.study_workbook(), XLSX_TYPE, f"合并研究-{datetime.now():%Y%m%d}.xlsx")


# ------------------------------------------------------------------------------------------- decisions


def _decision_filter(decision: str) -> str | None:
    return decision if decision in DECISIONS else None


@router.get("/decisions")
def decisions(request: Request, decision: str = _short(), show: str = _short(), page_no: int = PageNo) -> Response:
    store = workbench(request).store
    kind = _decision_filter(decision)
    current = show != "all"
    total = store.count_decisions(kind, current=current)
    rows = store.decisions(kind, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, current=current)
    return page(request, "decisions.html", {"rows": rows, "decision": kind or "", "total": total, "show": show,
                                            "all_total": store.count_decisions(kind), "page_no": page_no,
                                            "pages": _pages(total)})


@router.get("/decisions.xlsx")
def decisions_xlsx(request: Request, decision: str = _short()) -> Response:
    store = workbench(request).store
    rows = store.decisions(_decision_filter(decision))
    current = {d.decision_id for d in store.decisions(_decision_filter(decision), current=True)}
    data = decisions_workbook(rows, current, str(request.base_url).rstrip("/"))
    return _attachment(data, XLSX_TYPE, f"审查记录-{datetime.now():%Y%m%d-%H%M}.xlsx")


# ------------------------------------------------------------------------------------------------ docs


@router.get("/docs")
def docs(request: Request) -> Response:
    return page(request, "docs.html", {"endpoints": viewmodels.endpoints(request.app.openapi())})
