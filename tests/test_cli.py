"""The command line as a user runs it: help everywhere, clear errors, files written whole."""
import json

import pytest
from click.testing import CliRunner

from conftest import SMALL
from detector.cli import cli

COMMANDS = ["parse", "validate", "generate", "screen", "study", "train", "evaluate", "demo", "label", "learn", "serve"]


@pytest.fixture
def run(embedder, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE", str(embedder.cache.path.parent))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run, command):
    r = run(command, "--help")
    assert r.exit_code == 0 and "Usage" in r.output


def test_parse_prints_the_parts(run):
    r = run("parse", "温州市皖商联合会", "温州市福建福鼎商会")
    assert r.exit_code == 0
    assert "籍贯（异地商会）：安徽省（省级）" in r.output
    assert "福鼎市（县级，福建省）" in r.output and "类型：异地商会" in r.output


def test_parse_json(run):
    r = run("parse", "--json", "乐清市电气行业协会")
    row = json.loads(r.output)
    assert row["region"] == "乐清市" and row["region_level"] == "county" and row["industry"] == "electrical"


def test_validate_ok_and_error_exit_codes(run, tmp_path):
    r = run("validate", str(SMALL / "registry"))
    assert r.exit_code == 0 and "协会商会 14 家" in r.output and "数据可用" in r.output
    (tmp_path / "associations.csv").write_text("id,name\n1,温州市鞋业协会\n1,温州市眼镜商会\n", encoding="utf-8")
    r = run("validate", str(tmp_path))
    assert r.exit_code == 2
    assert "第 3 行" in r.output and "列 id" in r.output and "Traceback" not in r.output


def test_screen_and_study_write_results(run, tmp_path):
    out = tmp_path / "screen.jsonl"
    r = run("screen", str(SMALL / "applications"), "--registry", str(SMALL / "registry"), "--out", str(out))
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in rows] == ["A01", "A02", "A03", "A04", "A05", "A06", "A07"]
    assert {x["verdict"] for x in rows} <= {"duplicate", "review", "clear", "reject"}
    study_out = tmp_path / "study.json"
    r = run("study", str(SMALL / "registry"), "--out", str(study_out))
    assert r.exit_code == 0 and "建议合并" in r.output
    assert json.loads(study_out.read_text(encoding="utf-8"))["groups"]
    assert not list(tmp_path.glob("*.tmp*"))


def test_generate_any_city(run, tmp_path):
    r = run("generate", str(tmp_path / "g"), "--seed", "3", "--city", "湘潭市", "--n", "40")
    assert r.exit_code == 0
    assert (tmp_path / "g" / "registry" / "associations.csv").is_file()
    assert run("generate", str(tmp_path / "h"), "--city", "不存在市").exit_code == 2


def test_unknown_model_folder_is_a_clear_error(run, tmp_path):
    r = run("--model", str(tmp_path / "none"), "study", str(SMALL / "registry"), "--out", str(tmp_path / "x.json"))
    assert r.exit_code == 2 and "嵌入模型目录不存在" in r.output


def test_public_api_is_lazy_but_complete():
    import detector

    assert set(detector.__all__) >= {"study", "screen", "load_registry", "parse_name", "results_frame"}
    assert all(getattr(detector, name) for name in detector.__all__)


def test_serve_on_a_busy_port_says_so(tmp_path):
    import socket

    from click.testing import CliRunner

    from detector.cli import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = CliRunner().invoke(cli, ["serve", "--port", str(port), "--data-dir", str(tmp_path)])
    assert r.exit_code == 2 and "端口可能已被占用" in r.output


# ---------------------------------------------------------------------------------- labels and learning


def _truth(synth_dir):
    import pandas as pd

    groups = pd.read_csv(synth_dir / "labels" / "groups.csv", dtype=str)
    return dict(zip(groups["id"], groups["group"]))


def test_label_learn_evaluate_round_trip(run, synth_dir, tmp_path):
    import pandas as pd

    registry, data = synth_dir / "registry", tmp_path / "data"
    queue_file = tmp_path / "queue.csv"
    r = run("label", str(registry), "--n", "24", "--out", str(queue_file), "--data-dir", str(data))
    assert r.exit_code == 0, r.output
    assert "使用模型：内置模型" in r.output and "已选出 24 对" in r.output and "detector learn" in r.output
    q = pd.read_csv(queue_file, dtype=str, encoding="utf-8-sig").fillna("")
    assert list(q.columns[:6]) == ["id_a", "id_b", "name_a", "name_b", "score", "label"] and len(q) == 24
    group = _truth(synth_dir)
    q["label"] = ["重复" if group[a] == group[b] else "不重复" for a, b in zip(q["id_a"], q["id_b"])]
    q.to_csv(queue_file, index=False)  # the analyst's filled-in queue is a labels file

    r = run("learn", str(registry), "--labels", str(queue_file), "--data-dir", str(data))
    assert r.exit_code == 1 and "标注文件 24 对" in r.output and "交叉验证" in r.output
    assert "并不比内置模型好" in r.output and not (data / "learned_model.json").exists()

    report, figures = tmp_path / "r.html", tmp_path / "m.json"
    r = run("evaluate", str(registry), "--labels", str(queue_file), "--report", str(report), "--json", str(figures))
    assert r.exit_code == 0, r.output
    assert "合并研究" in r.output and "95% 区间" in r.output and "按配对类型的误判" in r.output
    html = report.read_text(encoding="utf-8")
    assert "在本登记库标注上的准确率" in html and "<svg" in html
    assert json.loads(figures.read_text(encoding="utf-8"))["pairs"] == 24

    again = tmp_path / "queue2.xlsx"
    r = run("label", str(registry), "--n", "5", "--out", str(again), "--labels", str(queue_file))
    assert r.exit_code == 0 and "已有标注 24 对" in r.output
    second = pd.read_excel(again, sheet_name="labels", dtype=str)
    assert not {frozenset(k) for k in zip(second["id_a"], second["id_b"])} & \
        {frozenset(k) for k in zip(q["id_a"], q["id_b"])}


def test_study_uses_a_learned_model_and_says_so(run, synth_dir, tmp_path):
    import numpy as np

    from detector.model import Model, save_learned, shipped_hash, shipped_model

    shipped = shipped_model()
    save_learned(Model(shipped.scorer, shipped.thresholds, True, {"shipped": shipped_hash(), "labels": 40,
                                                                  "date": "2024-05-01", "l2": 1.0}), tmp_path)
    out = tmp_path / "s.json"
    r = run("study", str(synth_dir / "registry"), "--out", str(out), "--data-dir", str(tmp_path))
    assert r.exit_code == 0 and "使用模型：本登记库学习的模型（2024-05-01，标注 40 对" in r.output
    r = run("study", str(synth_dir / "registry"), "--out", str(out), "--data-dir", str(tmp_path), "--shipped-model")
    assert r.exit_code == 0 and "使用模型：内置模型" in r.output and "已按要求忽略" in r.output
    assert np.isfinite(json.loads(out.read_text(encoding="utf-8"))["groups"][0]["score"])


def test_label_errors_name_file_row_and_column(run, tmp_path):
    bad = tmp_path / "labels.csv"
    bad.write_text("id_a,id_b,label\nR01,R02,1\nR01,R404,0\n", encoding="utf-8")
    r = run("evaluate", str(SMALL / "registry"), "--labels", str(bad))
    assert r.exit_code == 2 and "第 3 行" in r.output and "列 id_b" in r.output and "R404" in r.output
    r = run("learn", str(SMALL / "registry"), "--labels", str(bad))
    assert r.exit_code == 2 and "R404" in r.output and "Traceback" not in r.output
    assert run("evaluate", "--labels", str(bad)).exit_code == 2
    assert run("label", str(SMALL / "registry"), "--out", str(tmp_path / "q.txt")).exit_code == 2
