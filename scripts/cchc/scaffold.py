"""`cchc new`: a new content file whose front matter is derived from its schema.

It asks for everything the gate requires (the schema's required fields, the summary
and the body the quality rule wants), all at once with `--no-input`, accepts dates
as officials write them (15/01/2025), and checks what it wrote with the gate.
"""

import sys
from pathlib import Path

import click
import yaml

from . import dates, registries
from .findings import ContentError
from .model import TYPE_BY_FOLDER, TYPE_BY_NAME, TYPES
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


# Beyond the schema, the quality rule refuses an item without a summary (pages aside).
GATE_REQUIRED = ("summary",)
SLUG_CHARS = 80  # the file name is the permanent address: kept short, cut between words
DATE_FORMS = "NGÀY/THÁNG/NĂM (15/01/2025), có thể kèm giờ (15/01/2025 08:30), hoặc NĂM-THÁNG-NGÀY (2025-01-15)"


class ValueProblem(ValueError):
    pass


def _date(value: str, with_time: bool) -> str:
    """A date as officials type it, in the form the schemas keep (2025-01-15[ 08:30])."""
    value = dates.from_day_month_year(value) or value
    if not dates.is_valid(value) or (not with_time and len(value) != 10):
        raise ValueProblem(f"“{value}” không phải ngày hợp lệ; nhập theo dạng {DATE_FORMS if with_time else DATE_FORMS.split(', có thể')[0] + ' hoặc NĂM-THÁNG-NGÀY (2025-01-15)'}")
    return value


def _convert(value: str, prop: dict):
    value = nfc(value.strip())
    if prop.get("type") == "array":
        return [part.strip() for part in value.split(",") if part.strip()]
    if prop.get("type") == "integer":
        try:
            return int(value)
        except ValueError:
            raise ValueProblem(f"“{value}” phải là một số nguyên") from None
    if prop.get("format") in ("date", "vn-datetime") and value:
        return _date(value, prop["format"] == "vn-datetime")
    return value


def slug_for(title: str, limit: int = SLUG_CHARS) -> str:
    """The title's slug, cut at the last whole word within `limit` characters."""
    slug = slugify(title)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut or slug[:limit]


TYPES_HELP = "; ".join(f"{t.name} hoặc {t.folder} ({t.label})" for t in TYPES)


@click.command(help=f"Tạo tệp nội dung mới đúng mô hình, hỏi mọi trường bắt buộc còn thiếu. LOẠI là một trong: {TYPES_HELP}.")
@click.argument("type_name", metavar="LOẠI")
@click.option("--title", help="Tiêu đề.")
@click.option("--field", "field_id", help="Mã lĩnh vực (thư mục), xem content/data/fields.yml.")
@click.option("--set", "pairs", multiple=True, metavar="TRƯỜNG=GIÁ_TRỊ", help="Giá trị một trường; danh sách cách nhau bằng dấu phẩy.")
@click.option("--slug", help=f"Tên tệp (mặc định: từ tiêu đề, tối đa {SLUG_CHARS} ký tự, cắt giữa hai từ).")
@click.option("--body", help="Nội dung chính (Markdown).")
@click.option("--body-file", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="Lấy nội dung chính từ tệp này (UTF-8).")
@click.option("--no-input", is_flag=True, help="Không hỏi; báo một lần mọi trường bắt buộc còn thiếu.")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None, help="Thư mục kho của Cổng (mặc định: kho chứa thư mục hiện tại).")
def new(type_name, title, field_id, pairs, slug, body, body_file, no_input, repo):
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
        try:
            meta[key] = _convert(value, schemas.inline(props[key]))
        except ValueProblem as exc:
            raise click.UsageError(f"--set {key}: {exc}") from None
    if body_file is not None:
        body = body_file.read_text("utf-8")

    wanted = [key for key in [*required, *(k for k in GATE_REQUIRED if k in props and ctype.name != "page")] if key not in meta]
    if no_input:
        missing = ([("field", "Lĩnh vực", "--field")] if ctype.has_field and not field_id else [])
        missing += [(key, schemas.inline(props[key]).get("title", key), f"--set {key}=…") for key in wanted]
        missing += [("body", "Nội dung", "--body hoặc --body-file")] if not (body or "").strip() else []
        if missing:
            listed = "; ".join(f"“{key}” ({label}, {how})" for key, label, how in missing)
            raise click.UsageError(f"thiếu {len(missing)} trường bắt buộc: {listed}")

    def ask(label: str, help_text: str, choices=None, convert=lambda v: v):
        if help_text:
            click.echo(f"  {help_text}")
        while True:
            value = click.prompt(label + (f" ({', '.join(choices)})" if choices else ""), type=str)
            if choices and value.strip() not in choices:
                click.echo(f"“{value}” không hợp lệ; chọn một trong: {', '.join(choices)}", err=True)
                continue
            try:
                return convert(value)
            except ValueProblem as exc:
                click.echo(str(exc), err=True)

    if ctype.has_field and not field_id:
        field_id = ask("Lĩnh vực", "mã lĩnh vực cải cách (thư mục của tệp)", list(regs.fields))
    if ctype.has_field and field_id not in regs.fields:
        raise click.UsageError(f"lĩnh vực “{field_id}” không có trong content/data/fields.yml; chọn một trong: {', '.join(regs.fields)}")
    for key in wanted:
        prop = schemas.inline(props[key])
        meta[key] = ask(prop.get("title", key), prop.get("description", ""), _choices(key, prop, regs), lambda v, p=prop: _convert(v, p))
    if not (body or "").strip():
        click.echo(f"  {BODY[ctype.name]} Gõ hoặc dán nội dung; kết thúc bằng một dòng trống.")
        lines = []
        while (line := click.prompt("Nội dung" if not lines else "", default="", show_default=False, prompt_suffix=": " if not lines else "")):
            lines.append(line)
        body = "\n\n".join(lines)

    path = Path(ctype.folder)
    if ctype.has_field:
        path = path / field_id / str(dates.now().year)
    file_slug = slugify(slug) if slug else slug_for(meta["title"])
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
    target.write_text(f"---\n{front}---\n\n{nfc(body.strip())}\n", encoding="utf-8")
    click.echo(shown)
    from .check import run  # the file as the gate sees it, against every other file of the portal

    report = run(portal, [target])
    for finding in report.findings:
        click.echo(finding.text(), err=True)
    if not report.accepted:
        click.echo(f"Đã ghi {shown} nhưng tệp chưa đạt kiểm tra: sửa các lỗi trên rồi chạy “cchc check {shown}”.", err=True)
        sys.exit(1)
