"""The JSON API: screen one application, read associations, the study and the decisions."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field, create_model

from ..errors import InputError
from ..io import ASSOCIATIONS, COLUMNS, MAX_CELL_CHARS, MEMBERSHIPS
from ..names import parse_name
from .db import DECISIONS
from .forms import MAX_MEMBERS, MEMBER_LABELS, json_value, load_application, new_application_id
from .viewmodels import FIELD_LABELS, text
from .workbench import association_or_404, workbench

router = APIRouter(prefix="/api", tags=["接口"])

Cell = str | bool | int | float | None  # a cell as in a CSV file; checked by detector.io like one
# Unknown fields are ignored, like extra CSV columns; NaN and Infinity are refused, not read as empty.
_IGNORE_EXTRA = ConfigDict(extra="ignore", allow_inf_nan=False)
MAX_OFFSET = 10**9

MemberIn = create_model(
    "MemberIn", __config__=_IGNORE_EXTRA,
    member_name=(Cell, Field(description="会员名称（必填）")),
    **{c: (Cell, Field(None, description=MEMBER_LABELS[c])) for c in COLUMNS[MEMBERSHIPS][2:]},
)
ApplicationIn = create_model(
    "ApplicationIn", __config__=_IGNORE_EXTRA,
    id=(Cell, Field(None, description="申请编号（省略时自动生成）")),
    name=(Cell, Field(description="名称（必填）")),
    **{c: (Cell, Field(None, description=FIELD_LABELS[c])) for c in COLUMNS[ASSOCIATIONS][2:]},
    members=(list[MemberIn], Field(default_factory=list, max_length=MAX_MEMBERS,
                                   description="会员：memberships.csv 的列（不含 association_id）")),
)


def _json_location(exc: InputError) -> InputError:
    """A table error located in the request body: ``members[0].annual_sales`` instead of file and row."""
    column = exc.column
    if exc.file and exc.file.endswith(f"（{MEMBERSHIPS}）") and exc.row:
        column = f"members[{exc.row - 2}]" + (f".{exc.column}" if exc.column else "")
    return InputError(exc.message, None, None, column)


@router.post("/screen", summary="筛查一件申请",
             description="请求体为一件申请：associations.csv 的列（至少 name）加 members（会员列表）。"
                         "返回 FORMAT.md 的筛查结果对象（ScreenResult.to_json()）；结果同时保存，"
                         "响应头 X-Result-Url 给出结果页地址。带 Idempotency-Key 请求头重发同一请求时只筛查一次，"
                         "返回第一次的结果。")
def screen(request: Request, application: ApplicationIn,  # type: ignore[valid-type]
           idempotency_key: str | None = Header(None, max_length=200,
                                                description="同一键的重复请求只筛查一次（可选）")) -> JSONResponse:
    wb = workbench(request)
    sent = application.model_dump(exclude_unset=True)
    members = sent.pop("members", [])
    app_id = text(sent.get("id")) or new_application_id()
    sent["id"] = app_id
    frame = pd.DataFrame([{**m, "association_id": app_id} for m in members]) if members else None
    try:
        apps = load_application(sent, frame, wb.registry.home, "请求")
    except InputError as exc:
        raise _json_location(exc) from None
    run_id = wb.screen(apps, "api", f"api:{idempotency_key}" if idempotency_key else None)
    return JSONResponse(wb.store.screening(run_id, 1).result, headers={"X-Result-Url": f"/screen/{run_id}/1"})


@router.get("/associations/{association_id:path}", summary="已登记组织",
            description="字段、名称解析、会员，以及最相似的已登记组织（来自合并研究的评分对）。")
def association(request: Request, association_id: str = Path(max_length=MAX_CELL_CHARS)) -> dict:
    wb, a = association_or_404(request, association_id)
    members = wb.registry.members_of(a.id)[list(COLUMNS[MEMBERSHIPS][1:])]
    return {
        "association": {k: json_value(v) if not isinstance(v, (tuple, dict)) else v for k, v in asdict(a).items()},
        "parsed_name": asdict(parse_name(a.name, wb.registry.home)),
        "members": [{k: json_value(v) for k, v in m.items()} for m in members.to_dict("records")],
        "similar": [asdict(s) for s in wb.similar(a.id)],
    }


@router.get("/study", summary="合并研究", description="FORMAT.md 的研究结果对象（StudyResult.to_json()）。")
def study(request: Request) -> dict:
    return workbench(request).study().to_json()


@router.get("/decisions", summary="审查记录", description="最新的在前；decision 可按决定筛选。")
def decisions(request: Request, decision: str | None = Query(None, max_length=20, description=" / ".join(DECISIONS)),
              limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> list[dict]:
    if decision is not None and decision not in DECISIONS:
        raise HTTPException(422, f"decision 应为 {' / '.join(DECISIONS)} 之一")
    return [d.to_json() for d in workbench(request).store.decisions(decision, limit=limit, offset=offset)]
