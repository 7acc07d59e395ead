"""The 标注 page: a round of pairs, one at a time, each label saved at once and kept across restarts;
labels download as labels.csv; reviewers' decisions read as labels."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from detector.web.app import create_app
from detector.web.db import NewDecision, NewLabel, Store


@pytest.fixture
def app_for(small_engine):
    return lambda data: TestClient(create_app(small_engine, data), base_url="http://127.0.0.1")


def progress(html: str) -> str:
    return re.search(r"已标注 \d+ / \d+", html).group(0)


def test_label_a_round_and_find_it_again_after_a_restart(app_for, tmp_path):
    client = app_for(tmp_path)
    page = client.get("/label")
    assert page.status_code == 200 and "生成待标注的组织对" in page.text and 'href="/label"' in page.text
    r = client.post("/label/queue", data={"n": "4"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/label/1"
    first = client.get("/label/1")
    assert progress(first.text) == "已标注 0 / 4" and 'src="/static/label.js"' in first.text
    assert "<script>" not in first.text and "onclick" not in first.text  # no inline script (CSP)
    assert "重复可能性" in first.text and 'class="side"' in first.text
    r = client.post("/label/1", data={"label": "1", "reviewer": "张三", "note": "同一行业"}, follow_redirects=False)
    assert r.headers["location"] == "/label/2"
    assert client.post("/label/2", data={"label": "0", "reviewer": "张三"}, follow_redirects=False).status_code == 303
    assert client.post("/label/3", data={"label": "?", "reviewer": "张三"}, follow_redirects=False).status_code == 303

    again = app_for(tmp_path)  # a new app on the same data folder: a restarted server
    assert progress(again.get("/label/4").text) == "已标注 3 / 4"
    overview = again.get("/label").text
    assert "已标注 3 / 4" in overview and "不确定" in overview
    csv = again.get("/label/labels.csv")
    rows = pd.read_csv(io.StringIO(csv.text.lstrip("\ufeff")), dtype=str).fillna("")
    assert rows["label"].tolist() == ["1", "0", "?"] and set(rows["reviewer"]) == {"张三"}
    assert rows["note"].tolist()[0] == "同一行业" and rows["name_a"].str.len().min() > 0
    # relabelling a pair records a newer label, which wins
    again.post("/label/1", data={"label": "0", "reviewer": "李四"})
    latest = {(r.id_a, r.id_b): r.label for r in Store(tmp_path / "decisions.sqlite").pair_labels()}
    assert list(latest.values())[-1] == "0" and len(latest) == 3


@pytest.mark.parametrize("form, words", [({"label": "x", "reviewer": "张三"}, "请选择标注"),
                                         ({"label": "1", "reviewer": ""}, "请填写标注人姓名"),
                                         ({"label": "1", "reviewer": "张" * 51}, "不超过 50 字")])
def test_bad_answers_are_refused_in_chinese(app_for, tmp_path, form, words):
    client = app_for(tmp_path)
    client.post("/label/queue", data={"n": "2"})
    r = client.post("/label/1", data=form)
    assert r.status_code == 400 and words in r.text
    assert progress(r.text) == "已标注 0 / 2"


def test_no_queue_and_bad_numbers(app_for, tmp_path):
    client = app_for(tmp_path)
    assert client.get("/label/1").status_code == 404
    assert "请先在" in client.get("/label/1").text
    assert client.post("/label/queue", data={"n": "abc"}).status_code == 400
    client.post("/label/queue", data={"n": "2"})
    assert client.get("/label/9").status_code == 404


def test_decisions_read_as_labels(tmp_path):
    store = Store(tmp_path / "decisions.sqlite")
    matches = [{"id": "R01", "name": "a", "score": 0.9}, {"id": "R02", "name": "b", "score": 0.4}]
    run = store.add_run("form", {}, [], [({"id": "A", "name": "x", "members": []},
                                          {"id": "A", "name": "x", "verdict": "duplicate", "matches": matches})])
    s = store.screening(run, 1)
    first = store.add_decision(s, NewDecision("王", "approve", "", "", ""), {})
    assert [(d.match_id, d.label) for d in store.decision_labels()] == [("R01", 0), ("R02", 0)]
    store.add_decision(s, NewDecision("王", "join", "R02", "b", "改为加入"), {}, supersedes=first)  # the correction wins
    assert [(d.match_id, d.label, d.reviewer) for d in store.decision_labels()] == [("R02", 1, "王")]
    store.add_label(NewLabel("王", "R01", "R02", "1"), {})
    with pytest.raises(Exception):
        with store._write() as con:
            con.execute("DELETE FROM labels")  # append-only
