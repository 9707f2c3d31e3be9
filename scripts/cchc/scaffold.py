"""`cchc new`: a new content file whose front matter is derived from its schema."""

import sys
from pathlib import Path

import click
import yaml

from . import dates, registries
from .findings import ContentError
from .model import TYPE_BY_FOLDER, TYPE_BY_NAME
from .text import nfc, slugify

AUTOMATIC = {"classification": "public", "verification": "verified"}
BODY = {
    "article": "Viết nội dung tin, bài ở đây: sự kiện gì, ở đâu, khi nào, ai tham gia, kết quả ra sao.",
    "document": "Tóm tắt nội dung chính của văn bản và đính kèm toàn văn (PDF).",
    "consultation": "Nêu mục đích lấy ý kiến, nội dung chính của dự thảo và đính kèm toàn văn dự thảo.",
    "question": "Viết nội dung trả lời của cơ quan có thẩm quyền ở đây.",
    "survey": "Nêu mục đích, đối tượng, cách thức khảo sát và kết quả (nếu đã có).",
    "page": "Viết nội dung trang ở đây.",
}


def _properties(schemas, type_name: str) -> tuple[dict, list[str]]:
    schema = schemas.schema(type_name)
    return schema["properties"], schema["required"]


def _choices(key: str, prop: dict, regs) -> list[str] | None:
    if key == "unit":
        return list(regs.units)
    if "enum" in prop:
        return prop["enum"]
    if "oneOf" in prop:
        return [option["const"] for option in prop["oneOf"]]
    return None


def _convert(value: str, prop: dict):
    value = nfc(value.strip())
    if prop.get("type") == "array":
        return [part.strip() for part in value.split(",") if part.strip()]
    if prop.get("type") == "integer":
        return int(value)
    return value


@click.command(help="Tạo tệp nội dung mới đúng mô hình (hỏi các trường bắt buộc còn thiếu).")
@click.argument("type_name", metavar="LOẠI")
@click.option("--title", help="Tiêu đề.")
@click.option("--field", "field_id", help="Mã lĩnh vực (thư mục), xem content/data/fields.yml.")
@click.option("--set", "pairs", multiple=True, metavar="TRƯỜNG=GIÁ_TRỊ", help="Giá trị một trường; danh sách cách nhau bằng dấu phẩy.")
@click.option("--slug", help="Tên tệp (mặc định: từ tiêu đề).")
@click.option("--no-input", is_flag=True, help="Không hỏi; báo lỗi nếu thiếu trường bắt buộc.")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None, help="Thư mục kho (mặc định: kho chứa thư mục hiện tại).")
def new(type_name, title, field_id, pairs, slug, no_input, repo):
    from .cli import portal_of

    portal = portal_of(repo)
    schemas = portal.schemas
    ctype = TYPE_BY_NAME.get(type_name) or TYPE_BY_FOLDER.get(type_name)
    if ctype is None:
        raise click.UsageError(f"loại “{type_name}” không có; chọn một trong: {', '.join(TYPE_BY_NAME)}")
    content_dir = portal.content
    try:
        regs = registries.load(portal)
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    props, required = _properties(schemas, ctype.name)
    meta = dict(AUTOMATIC) if "verification" in props else {"classification": "public"}
    if title:
        meta["title"] = nfc(title)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in props:
            raise click.UsageError(f"--set “{pair}”: trường “{key}” không có trong mô hình {ctype.name}")
        meta[key] = _convert(value, schemas.inline(props[key]))

    def ask(key: str, label: str, help_text: str, choices=None):
        if no_input:
            raise click.UsageError(f"thiếu trường bắt buộc “{key}” ({label})")
        click.echo(f"{label}: {help_text}")
        while True:
            value = click.prompt(label + (f" ({', '.join(choices)})" if choices else ""), type=str)
            if not choices or value.strip() in choices:
                return value
            click.echo(f"“{value}” không hợp lệ; chọn một trong: {', '.join(choices)}", err=True)

    if ctype.has_field and not field_id:
        field_id = ask("field", "Lĩnh vực", "mã lĩnh vực cải cách", list(regs.fields))
    if ctype.has_field and field_id not in regs.fields:
        raise click.UsageError(f"lĩnh vực “{field_id}” không có trong content/data/fields.yml")
    for key in required:
        if key not in meta:
            prop = schemas.inline(props[key])
            meta[key] = _convert(ask(key, prop["title"], prop.get("description", ""), _choices(key, prop, regs)), prop)

    path = Path(ctype.folder)
    if ctype.has_field:
        path = path / field_id / str(dates.now().year)
    file_slug = slugify(slug or meta["title"])[:80].rstrip("-")
    target = content_dir / path / f"{file_slug}.md"
    shown = portal.shown(target)
    problems = schemas.findings(meta, ctype.name, shown, lambda *keys: (1, 1))
    if problems:
        for finding in problems:
            click.echo(finding.text(), err=True)
        sys.exit(1)
    if target.exists():
        click.echo(f"{shown}: lỗi [duplicate] tệp đã có; chọn tên khác bằng --slug", err=True)
        sys.exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    target.write_text(f"---\n{front}---\n\n{BODY[ctype.name]}\n", encoding="utf-8")
    click.echo(shown)
