"""Screening and serving stay off the lab: `detector screen` and the workbench import nothing of detector.lab.

Each check runs in a fresh interpreter, so modules imported by other tests cannot hide or fake an import.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import SMALL

ROOT = Path(__file__).resolve().parents[1]

# The lab, and the modules it was before it had a package of its own.
LAB = ("detector.lab", "detector.synth", "detector.train", "detector.evaluate", "detector.metrics")
REPORT = f"""
import json, sys
lab = {LAB!r}
print(json.dumps(sorted(m for m in sys.modules if m in lab or m.startswith(tuple(x + "." for x in lab)))))
"""

SCREEN = """
import sys
from detector.cli import cli
cli.main(["screen", sys.argv[1], "--registry", sys.argv[2], "--out", sys.argv[3]], prog_name="detector",
         standalone_mode=False)
""" + REPORT

SERVE = """
import sys
from fastapi.testclient import TestClient
from detector.web.app import create_app
client = TestClient(create_app(sys.argv[1], sys.argv[2]), base_url="http://127.0.0.1")
r = client.post("/api/screen", json={"name": "温州市鞋类行业商会", "region": "温州市", "scope": "皮鞋、鞋材技术交流"})
assert r.status_code == 200 and r.json()["verdict"], r.text
""" + REPORT


def _lab_modules(script: str, *args: str, cache: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "DETECTOR_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_check_sees_lab_imports(tmp_path):
    assert _lab_modules("import detector.lab.metrics" + REPORT, cache=tmp_path) == ["detector.lab", "detector.lab.metrics"]


def test_screen_command_imports_nothing_from_the_lab(tmp_path):
    out = tmp_path / "screen.jsonl"
    modules = _lab_modules(SCREEN, str(SMALL / "applications"), str(SMALL / "registry"), str(out), cache=tmp_path)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7  # it did screen the whole batch
    assert modules == []


def test_workbench_serves_without_the_lab(tmp_path):
    assert _lab_modules(SERVE, str(SMALL / "registry"), str(tmp_path / "data"), cache=tmp_path) == []
