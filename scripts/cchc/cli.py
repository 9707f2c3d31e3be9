"""The `cchc` command: build, serve, new… Every message a contributor reads is Vietnamese."""

import sys
from pathlib import Path

import click

from . import REPO_ROOT


@click.group(help="Công cụ của Cổng Thông tin điện tử Ban Chỉ đạo CCHC tỉnh Lào Cai.")
def main():
    pass


@main.command(help="Dựng trang (cài đặt phát triển, hoặc --production cho trang công khai).")
@click.option("--production", is_flag=True, help="Dùng publishconf.py (https://cchc.laocai.gov.vn).")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Thư mục kết quả (mặc định: output/).")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=REPO_ROOT, help="Thư mục kho nội dung.")
def build(production, output, repo):
    from .build import BuildFailed
    from .build import build as run_build

    try:
        target = run_build(repo.resolve(), production=production, output=output)
    except BuildFailed as exc:
        for line in exc.report.lines():
            click.echo(line, err=True)
        click.echo(f"Dựng trang thất bại: {len(exc.report.lines())} lỗi; thư mục kết quả giữ nguyên như trước.", err=True)
        sys.exit(1)
    pages = sum(1 for _ in target.rglob("*.html"))
    click.echo(f"Đã dựng {pages} trang vào {target}")


@main.command(help="Dựng trang rồi phục vụ tại http://localhost:8000.")
@click.option("--port", default=8000, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True)
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=REPO_ROOT)
@click.pass_context
def serve(ctx, port, bind, repo):
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    output = repo.resolve() / "output"
    ctx.invoke(build, production=False, output=output, repo=repo)
    handler = partial(SimpleHTTPRequestHandler, directory=str(output))
    with ThreadingHTTPServer((bind, port), handler) as server:
        click.echo(f"Đang phục vụ tại http://localhost:{port}/ (Ctrl+C để dừng)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


from .scaffold import new  # noqa: E402  (registers `cchc new`)

main.add_command(new)
