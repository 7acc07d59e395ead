"""The workbench's front door (detector/web/guard.py) and parameter bounds: every route walked with
absurd values answers 4xx, host names and origins are checked, bodies are limited on the bytes read,
security headers everywhere, HEAD wherever GET, no redirect to another host, requests run side by side."""
from __future__ import annotations

import re
import threading
import time

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from detector.web import api, pages
from detector.web import workbench as web_workbench
from detector.web.app import create_app
from detector.web.guard import CSP, served_hosts

BASE = "http://127.0.0.1"
APPLICATION = {"name": "温州市鞋类行业商会", "region": "温州市", "scope": "组织皮鞋生产企业开展技术交流",
               "members": [{"member_name": "温州市康华鞋业有限公司", "role": "副会长"}]}


@pytest.fixture
def app(small_engine, tmp_path):
    return create_app(small_engine, tmp_path / "data")


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, base_url=BASE)


@pytest.fixture
def run_id(client) -> str:
    r = client.post("/api/screen", json=APPLICATION)
    assert r.status_code == 200, r.text
    return r.headers["x-result-url"].split("/")[2]


def runs(client) -> int:
    return len(client.app.state.workbench.store.recent_runs(limit=1000))


# ------------------------------------------------------------------------------------------ route walk

ABSURD_INT = ["9" * 30, "-1", "1e400", "NaN", "1.5", "0x10", "９"]
ABSURD_TEXT = ["x" * 300, "%00"]


def _params(route: APIRoute) -> tuple[list, list]:
    dependant = route.dependant
    return dependant.path_params, dependant.query_params


def _valid(name: str, run_id: str) -> str:
    return {"run_id": run_id, "seq": "1", "association_id": "R01"}.get(name, "1")


def _absurd(field) -> list[str]:
    return ABSURD_INT if field.field_info.annotation is int else ABSURD_TEXT


def _routes() -> list[APIRoute]:
    """Every handler of the workbench: its pages and its API."""
    return [r for r in (*pages.router.routes, *api.router.routes) if isinstance(r, APIRoute)]


def _requests(run_id: str):
    """(method, url, parameter, value) with one parameter absurd and the others valid, for every route."""
    for route in _routes():
        path_params, query_params = _params(route)
        for target in [*path_params, *query_params]:
            for value in _absurd(target):
                path = route.path_format
                for p in path_params:
                    path = path.replace(f"{{{p.name}}}", value if p is target else _valid(p.name, run_id))
                query = f"?{target.alias}={value}" if target in query_params else ""
                for method in sorted(route.methods):
                    yield method, path + query, target.name, value


def test_every_route_answers_absurd_parameters_with_4xx(app, client, run_id):
    seen, parametrised = set(), 0
    for method, url, name, value in _requests(run_id):
        r = client.request(method, url, follow_redirects=False)
        assert 400 <= r.status_code < 500, (method, url[:120], r.status_code, r.text[:300])
        body = r.json()["detail"] if url.startswith("/api/") else r.text
        assert re.search(r"[\u4e00-\u9fff]", body), (url[:120], body[:200])
        seen.add((method, url.split("?")[0].split("/")[1]))
        parametrised += 1
    assert parametrised > 60
    routes = {(m, r.path.split("/")[1]) for r in _routes() if any(_params(r)) for m in r.methods}
    assert len(routes) >= 4
    assert routes <= seen  # every route that takes a parameter was walked


def test_overflowing_numbers_reported_by_the_issue(client, run_id):
    for url in (f"/screen/{run_id}/{'9' * 25}/decisions", "/decisions?page=" + "9" * 25,
                "/api/decisions?offset=" + "9" * 25, "/screen/x/" + "9" * 25):
        method = "POST" if url.endswith("/decisions") else "GET"
        r = client.request(method, url, data={"decision": "approve", "reviewer": "张"} if method == "POST" else None)
        assert r.status_code in (400, 404, 422), (url, r.status_code)
    r = client.get("/api/decisions", params={"offset": "9" * 25})
    assert r.status_code == 422 and "offset" in r.json()["detail"] and "应不大于" in r.json()["detail"]


def test_head_is_answered_wherever_get_is(client, run_id):
    for url in ("/screen", "/registry", "/registry/R01", "/decisions", f"/screen/{run_id}/1", "/api/decisions",
                "/api/associations/R01", "/docs", "/static/style.css", "/decisions.xlsx", "/openapi.json"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    assert client.head("/nope").status_code == 404


# ------------------------------------------------------------------------------------ host and origin


def test_unknown_host_names_are_refused(client):
    r = client.get("/api/decisions", headers={"Host": "evil.example"})
    assert r.status_code == 400 and "不接受的主机名「evil.example」" in r.json()["detail"]
    assert client.get("/screen", headers={"Host": "evil.example:8000"}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]:8000"):
        assert client.get("/api/decisions", headers={"Host": host}).status_code == 200, host


def test_allowed_hosts_are_configurable(small_engine, tmp_path):
    app = create_app(small_engine, tmp_path, allowed_hosts=served_hosts("10.1.2.3", ["reviews.example.gov.cn"]))
    c = TestClient(app, base_url="http://reviews.example.gov.cn")
    assert c.get("/api/decisions").status_code == 200
    assert c.get("/api/decisions", headers={"Host": "10.1.2.3:8000"}).status_code == 200
    assert c.get("/api/decisions", headers={"Host": "evil.example"}).status_code == 400
    anything = TestClient(create_app(small_engine, tmp_path, allowed_hosts=["*"]), base_url="http://any.example")
    assert anything.get("/api/decisions").status_code == 200
    assert {"localhost", "127.0.0.1"} <= set(served_hosts("0.0.0.0"))


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Referer": "http://evil.example/page"},
                                     {"Origin": "http://127.0.0.1:9999"}])
def test_cross_site_submissions_are_refused_and_store_nothing(client, run_id, headers):
    before = runs(client)
    r = client.post("/screen", data={"name": "温州市鞋类行业商会"}, headers=headers, follow_redirects=False)
    assert r.status_code == 403 and "拒绝来自其他网站的提交" in r.text
    r = client.post(f"/screen/{run_id}/1/decisions", data={"decision": "approve", "reviewer": "张"}, headers=headers)
    assert r.status_code == 403
    assert client.post("/api/screen", json=APPLICATION, headers=headers).status_code == 403
    assert runs(client) == before and client.get("/api/decisions").json() == []


def test_same_site_and_non_browser_submissions_pass(client, run_id):
    for k, headers in enumerate(({"Origin": BASE}, {"Referer": f"{BASE}/screen/{run_id}/1"}, {})):
        data = {"decision": "approve", "reviewer": "张"}
        if k:  # a second decision on the same application names the one it corrects
            data["supersedes"] = str(max(d["decision_id"] for d in client.get("/api/decisions").json()))
        r = client.post(f"/screen/{run_id}/1/decisions", data=data, headers=headers, follow_redirects=False)
        assert r.status_code == 303, headers
    assert len(client.get("/api/decisions").json()) == 3


# -------------------------------------------------------------------------------------- size and text


def test_chunked_body_over_the_limit_is_refused(client):
    chunk = b"{" + b" " * (1 << 20)

    def body():
        for _ in range(12):
            yield chunk

    r = client.post("/api/screen", content=body(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "上传内容过大" in r.json()["detail"]
    r = client.post("/api/screen", content=b" " * (12 << 20), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert runs(client) == 0


def test_bare_nan_and_infinity_are_refused(client):
    for literal in ("NaN", "Infinity", "-Infinity", "1e400"):
        body = '{"name": "温州市鞋业协会", "staff_fulltime": %s}' % literal
        r = client.post("/api/screen", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and "staff_fulltime" in r.json()["detail"] and "NaN" in r.json()["detail"], literal
    assert runs(client) == 0


def test_long_text_gets_a_clear_message_quickly(client):
    start = time.perf_counter()
    r = client.post("/api/screen", json={**APPLICATION, "scope": "鞋" * 1_000_000})
    assert r.status_code == 400 and "内容过长" in r.json()["detail"] and r.json()["column"] == "scope"
    assert time.perf_counter() - start < 30  # refused before any screening work (generous: shared machine)


def test_nul_anywhere_is_refused(client):
    assert client.get("/registry?q=%00").status_code == 400
    r = client.post("/api/screen", json={**APPLICATION, "name": "温州市\x00鞋业协会"})
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    assert client.post("/screen", data={"name": "温州市\x00鞋业协会"}).status_code == 400
    assert runs(client) == 0


# ------------------------------------------------------------------------------------- responses


def test_security_headers_on_every_kind_of_response(client, run_id):
    for url in ("/screen", f"/screen/{run_id}/1", "/api/decisions", "/static/style.css", "/nope", "/api/nope"):
        r = client.get(url)
        assert r.headers["content-security-policy"] == CSP, url
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
    assert "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP


def test_pages_have_no_inline_script_or_style(client, run_id):
    for url in ("/screen", f"/screen/{run_id}/1", "/registry", "/registry/R01", "/study", "/decisions", "/docs"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"\son[a-z]+\s*=", html) and not re.search(r"\sstyle\s*=", html), url
        assert not re.search(r"href\s*=\s*[\"']\s*javascript:", html, flags=re.I), url


def test_redirects_never_leave_the_site(small_engine, tmp_path):
    app = create_app(small_engine, tmp_path, token="s3cret")
    for path in ("//evil.example/x", "/\\evil.example/x", "///evil.example"):
        c = TestClient(app, base_url=BASE)  # no cookie yet: the token in the address is redirected away
        r = c.get(f"{BASE}{path}?token=s3cret", follow_redirects=False)
        assert r.status_code == 303, path
        location = r.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


# ---------------------------------------------------------------------------------------- concurrency


def test_requests_do_not_wait_for_each_other(app, monkeypatch):
    """A slow study does not hold up screening, and two screenings run at the same time."""
    release = threading.Event()
    both_screening = threading.Barrier(2, timeout=60)
    real_screen = web_workbench.screen_applications

    def slow_study(engine):
        release.wait(60)
        raise RuntimeError("not needed")

    def screen_together(engine, apps):
        both_screening.wait()  # raises BrokenBarrierError when one screening waits for the other
        return real_screen(engine, apps)

    monkeypatch.setattr(web_workbench, "run_study", slow_study)
    monkeypatch.setattr(web_workbench, "screen_applications", screen_together)
    answers: dict[str, int] = {}

    def call(name: str, method: str, url: str, **kwargs) -> None:
        answers[name] = TestClient(app, base_url=BASE, raise_server_exceptions=False).request(method, url, **kwargs).status_code

    study = threading.Thread(target=call, args=("study", "GET", "/api/study"))
    study.start()
    time.sleep(0.5)  # the study is now computing (blocked)
    screenings = [threading.Thread(target=call, args=(f"s{k}", "POST", "/api/screen"), kwargs={"json": APPLICATION})
                  for k in range(2)]
    for t in screenings:
        t.start()
    for t in screenings:
        t.join(120)
    assert answers.get("s0") == answers.get("s1") == 200, answers
    assert "study" not in answers  # still computing while both screenings finished
    release.set()
    study.join(60)
