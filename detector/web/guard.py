"""The workbench's front door: one ASGI middleware that every request passes before any handler.

- Host names: only the configured names are served (a DNS-rebinding page cannot read the decisions).
- State-changing requests (POST …) from a browser must come from the workbench's own pages: an
  ``Origin`` (or, without one, a ``Referer``) naming another site is refused.
- Size: the request body is limited on the bytes actually read (chunked bodies too), addresses and
  query strings are bounded, NUL characters in them are refused.
- HEAD is answered wherever GET is (same headers, no body).
- Every response carries security headers (a CSP without inline script, no framing, nosniff,
  Referrer-Policy) and never redirects to another host.
"""
from __future__ import annotations

import socket
from collections.abc import Callable, Collection, Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
ANY_HOST = "*"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_PATH_CHARS = 2048
MAX_QUERY_BYTES = 8192
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-frame-options": b"DENY",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
}

Respond = Callable[[Request, int, str], Response]  # the app's Chinese error answer (JSON or HTML page)
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")


def machine_names() -> list[str]:
    """Names and addresses this machine is reached by on its network (for a server bound to all addresses)."""
    names = []
    try:
        name = socket.gethostname()
        names += [name, socket.getfqdn()]
        names += [info[4][0] for info in socket.getaddrinfo(name, None)]
    except OSError:
        pass
    try:  # the address of the default route (a UDP "connection" sends nothing)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            names.append(s.getsockname()[0])
    except OSError:
        pass
    return names


def served_hosts(bound: str, extra: Iterable[str] = ()) -> list[str]:
    """The host names ``detector serve`` answers to: the bound address (for all addresses: this machine's
    names and addresses), localhost, and the names given with ``--allowed-host``."""
    names = [*LOCAL_HOSTS, *(machine_names() if bound in WILDCARD_ADDRESSES else [bound]), *extra]
    return list(dict.fromkeys(hostname(n) or n.lower() for n in names))


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"上传内容过大：一次请求不超过 {limit / 2**20:.0f} MB（每个上传文件不超过 5 MB）")


def hostname(host: str) -> str:
    """The name part of a Host header or an origin's netloc: ``[::1]:8000`` → ``::1``, lower case."""
    try:
        return (urlsplit(f"//{host}").hostname or "").rstrip(".")
    except ValueError:
        return ""


def local_location(location: str) -> str:
    """A redirect target kept on this site: ``//evil.example/x`` and ``/\\evil.example`` become paths."""
    parts = urlsplit(location)
    if parts.scheme or parts.netloc or location.startswith(("//", "/\\", "\\")):
        path = "/" + parts.path.lstrip("/\\")
        return path + (f"?{parts.query}" if parts.query else "")
    return location


def _same_site(source: str, host: str) -> bool:
    """Whether an Origin / Referer value names this very host (and port)."""
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


class Guard:
    """See the module docstring. ``allowed_hosts`` None or containing ``*``: any host name."""

    def __init__(self, app: ASGIApp, *, respond: Respond, max_body: int, allowed_hosts: Collection[str] | None):
        self.app = app
        self.respond = respond
        self.max_body = max_body
        hosts = {hostname(h) or h.lower() for h in allowed_hosts or ()}
        self.allowed_hosts = None if allowed_hosts is None or ANY_HOST in hosts else frozenset(hosts)

    def _problem(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if self.allowed_hosts is not None and hostname(host) not in self.allowed_hosts:
            return 400, (f"不接受的主机名「{hostname(host)[:100] or host[:100]}」：请用管理员提供的地址访问"
                         "（管理员可用 detector serve --allowed-host 增加主机名）")
        path, query = scope["path"], scope.get("query_string", b"")
        if len(path) > MAX_PATH_CHARS or len(query) > MAX_QUERY_BYTES:
            return 414, "请求地址过长"
        if "\x00" in path or b"\x00" in query or b"%00" in query.lower():
            return 400, "请求地址中含有 NUL 空字符"
        if scope["method"] in UNSAFE_METHODS:
            source = headers.get("origin") or headers.get("referer")
            if source is not None and not _same_site(source, host):
                return 403, "拒绝来自其他网站的提交：请在本工作台的页面上操作"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return 413, BodyTooLarge(self.max_body).detail
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": _secured(message.get("headers", []))}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        read = 0

        async def receive_limited() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        problem = self._problem(scope, Headers(scope=scope))
        if problem is not None:
            await self.respond(Request(scope, receive), *problem)(scope, receive, send_guarded)
            return
        try:
            await self.app(scope, receive_limited, send_guarded)
        except BodyTooLarge as exc:  # read outside a handler (its error handlers answer otherwise)
            if started:
                raise
            await self.respond(Request(scope, receive), 413, exc.detail)(scope, receive, send_guarded)


def _secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Response headers with the security headers added and any Location kept on this site."""
    present = {name.lower() for name, _ in headers}
    out = [(name, local_location(value.decode("latin-1")).encode("latin-1") if name.lower() == b"location" else value)
           for name, value in headers]
    out += [(name, value) for name, value in SECURITY_HEADERS.items() if name not in present]
    return out
