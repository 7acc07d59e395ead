import filecmp
import json

from click.testing import CliRunner

from detector.cli import cli
from detector.lab.synth import DEMO_CONFIG, generate, write
from detector.paths import demo_dir


def test_bundled_demo_is_what_the_generator_makes(tmp_path):
    write(generate(DEMO_CONFIG), tmp_path)
    for sub in ("registry", "applications", "labels"):
        for f in (demo_dir() / sub).iterdir():
            assert filecmp.cmp(f, tmp_path / sub / f.name, shallow=False), f"{sub}/{f.name} is stale"


def test_demo_command_runs_the_main_job(embedder, monkeypatch, tmp_path):
    monkeypatch.setenv("DETECTOR_CACHE", str(embedder.cache.path.parent))
    r = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "合并研究" in r.output and "新申请筛查" in r.output and "建议合并" in r.output
    study = json.loads((tmp_path / "study.json").read_text(encoding="utf-8"))
    assert len(study["groups"]) >= 10
    rows = (tmp_path / "screen.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 40 and {json.loads(x)["verdict"] for x in rows} == {"duplicate", "review", "clear", "reject"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "合并" in html and "<svg" in html and (tmp_path / "study.xlsx").stat().st_size > 0
