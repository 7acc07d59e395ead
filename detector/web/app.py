"""The reviewer workbench behind ``detector serve``: server-rendered Chinese pages and a JSON API.

``create_app`` loads the Engine once; the merger study is computed on first use and cached. Every
user mistake gets a 4xx answer with a Chinese message (an HTML page, or JSON under ``/api/``).
"""
from __future__ import annotations

import hmac
import re
from collections.abc import Collection
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import DetectorError, InputError
from ..io import Registry
from ..paths import registry_data_dir
from ..engine import Engine
from . import api, labelling, pages
from .forms import MAX_UPLOAD_BYTES
from .guard import LOCAL_HOSTS, Guard, local_location
from .templating import HERE, templates
from .workbench import Workbench

TOKEN_COOKIE = "detector_token"
MAX_BODY_BYTES = 2 * MAX_UPLOAD_BYTES + 1024 * 1024  # two uploaded files and the form fields
STATUS_ZH = {400: "请求有误", 401: "需要访问令牌", 403: "无权访问", 404: "页面或数据不存在", 405: "不支持该请求方法",
             413: "上传内容过大", 414: "请求地址过长", 422: "请求内容不符合要求", 500: "内部错误"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNION_MEMBERS = {"str", "bool", "int", "float"}
_PYDANTIC_ZH = {"missing": "缺少必填字段", "list_type": "应为列表（JSON 数组）", "model_type": "应为 JSON 对象",
                "model_attributes_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
                "string_type": "应为文本或数字", "int_type": "应为整数", "float_type": "应为数字",
                "int_parsing": "应为整数", "int_from_float": "应为整数", "float_parsing": "应为数字",
                "finite_number": "应为有限的数字（不接受 NaN、Infinity）", "string_pattern_mismatch": "格式不正确"}
_LIMIT_ZH = {"less_than_equal": "应不大于 {le}", "greater_than_equal": "应不小于 {ge}",
             "string_too_long": "不超过 {max_length} 个字符", "too_long": "最多 {max_length} 项"}
_LOCATIONS = {"body", "path", "query", "header", "cookie"}


default_data_dir = registry_data_dir  # where the workbench keeps decisions and labels


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str, **extra: object) -> Response:
    """A Chinese error: JSON ``{"detail": message, ...}`` for the API, an HTML page otherwise."""
    if is_api(request):
        return JSONResponse({"detail": message, **extra}, status_code=status)
    context = {"status": status, "title": STATUS_ZH.get(status, "出错了"), "message": message}
    return request.app.state.templates.TemplateResponse(request, "error.html", context, status_code=status)


def _validation_message(errors: list[dict]) -> str:
    """Pydantic's errors in Chinese, one per field: ``字段 members.0.member_name：缺少必填字段``."""
    parts: dict[str, str] = {}
    for e in sorted(errors, key=lambda e: e["type"] != "finite_number"):  # NaN: say so, not "not a text"
        if e["type"] == "json_invalid":
            return "请求体不是有效的 JSON"
        loc = [str(x) for x in e["loc"]]
        loc = loc[1:] if loc and loc[0] in _LOCATIONS else loc
        if loc and loc[-1] in _UNION_MEMBERS:
            loc = loc[:-1]
        where = ".".join(loc)
        if not where:
            return "请求体应为一个 JSON 对象（一件申请）"
        limit = _LIMIT_ZH.get(e["type"])
        message = limit.format(**e.get("ctx", {})) if limit else _PYDANTIC_ZH.get(e["type"], "格式不正确")
        parts.setdefault(where, message)
    return "；".join(f"字段 {where}：{message}" for where, message in parts.items())


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return error_response(request, 400, str(exc), file=exc.file, row=exc.row, column=exc.column)

    @app.exception_handler(DetectorError)
    async def detector_error(request: Request, exc: DetectorError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        status = 400 if any(e["type"] == "json_invalid" for e in errors) else 422
        return error_response(request, status, _validation_message(errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail)
        message = detail if _CJK.search(detail) else STATUS_ZH.get(exc.status_code, "请求有误")
        return error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        return error_response(request, 500, f"内部错误：{type(exc).__name__}。请将出错时的操作反馈给维护人员。")


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _add_auth(app: FastAPI, token: str) -> None:
    """Every request needs the token: ``Authorization: Bearer …``, or the cookie that ``?token=…`` sets
    (a GET with ``?token=`` is redirected to the same address without it)."""

    @app.middleware("http")
    async def require_token(request: Request, call_next):
        header = request.headers.get("authorization", "")
        bearer = header[7:].strip() if header[:7].lower() == "bearer " else None
        if _same(bearer, token) or _same(request.cookies.get(TOKEN_COOKIE), token):
            return await call_next(request)
        if not _same(request.query_params.get("token"), token):
            response = error_response(request, 401, "需要访问令牌：请使用管理员提供的带 ?token= 的地址打开一次，"
                                                    "或在请求头中加入 Authorization: Bearer <令牌>。")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        if request.method == "GET":
            url = request.url.remove_query_params("token")
            response = RedirectResponse(local_location(url.path + (f"?{url.query}" if url.query else "")),
                                        status_code=303)
        else:
            response = await call_next(request)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="lax")
        return response


def create_app(engine_or_registry: Engine | Registry | str | Path, data_dir: str | Path,
               token: str | None = None, allowed_hosts: Collection[str] | None = LOCAL_HOSTS) -> FastAPI:
    """The workbench app over one registry; decisions and screening runs are kept in ``data_dir``.

    ``token``: when set, every request must carry it (see :func:`_add_auth`). ``allowed_hosts``: the
    host names it answers to (``*``: any); see :mod:`detector.web.guard` for what every request passes.
    """
    engine = engine_or_registry if isinstance(engine_or_registry, Engine) else Engine.load(engine_or_registry)
    app = FastAPI(title="行业协会商会审查工作台", version=__version__, docs_url=None, redoc_url=None,
                  description="筛查新申请（一业一会）、浏览登记库、合并研究与审查记录。接口说明见 /docs，"
                              "机器可读的 OpenAPI 描述见 /openapi.json。")
    app.state.workbench = Workbench(engine, Path(data_dir))
    app.state.templates = templates()
    _add_error_handlers(app)
    if token:
        _add_auth(app, token)
    app.add_middleware(Guard, respond=error_response, max_body=MAX_BODY_BYTES, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(labelling.router)
    app.include_router(api.router)
    return app
