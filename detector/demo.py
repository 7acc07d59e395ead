"""``detector demo``: the main job on the bundled demo registry (validate → study → screen).

The bundled data (``models/demo``) was made by the generator with :data:`detector.lab.synth.DEMO_CONFIG`.
"""
from __future__ import annotations

import time
from pathlib import Path

from .console import format_screen, format_study, format_summary
from .embed import Embedder
from .io import json_text, load_registry, write_files, write_jsonl
from .paths import demo_dir
from .engine import Engine
from .report import excel_bytes, render_html
from .screen import screen_applications
from .study import run_study


def run_demo(out_dir: Path, model: Path | None = None) -> str:
    """Run everything on the demo data, write results to ``out_dir``, return a readable summary."""
    src = demo_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    engine = Engine.load(src / "registry", embedder=Embedder(model))
    study = run_study(engine)
    write_files({out_dir / "study.json": json_text(study.to_json()),
                 out_dir / "report.html": render_html(study, engine.registry, engine.thresholds),
                 out_dir / "study.xlsx": excel_bytes(study, engine.registry)})
    apps = load_registry(src / "applications", kind="applications", home=engine.registry.home)
    screened = screen_applications(engine, apps)
    write_jsonl([r.to_json() for r in screened], out_dir / "screen.jsonl")
    seconds = time.perf_counter() - t0
    return "\n".join([
        "== 演示数据 ==",
        format_summary(engine.registry, show_warnings=False),
        "",
        "== 合并研究（detector study）==",
        format_study(study, limit=8),
        "",
        "== 新申请筛查（detector screen）==",
        format_screen(screened),
        "",
        f"用时 {seconds:.1f} 秒。结果文件：{out_dir / 'study.json'}、{out_dir / 'report.html'}（合并研究报告）、"
        f"{out_dir / 'study.xlsx'}、{out_dir / 'screen.jsonl'}",
        "对自己的数据运行：detector validate 数据目录；detector study 数据目录 --out study.json --report report.html；"
        "detector screen 申请目录 --registry 数据目录 --out screen.jsonl；审查工作台（网页）：detector serve 数据目录",
    ])
