"""Reports as a terminal table (readable at 100 columns), CSV for Excel (UTF-8 with BOM),
JSON, Markdown, or a self-contained HTML page with SVG charts."""

import csv
import html
import io
import json
import textwrap

from .filters import vietnamese_number

WIDTH = 100


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _is_number(text: str) -> bool:
    return text.replace(".", "").replace(",", "").replace("-", "").isdigit() or text == "—"


def as_table(report) -> str:
    out = [textwrap.fill(report.title, WIDTH), ""]
    for section in report.sections:
        out += [section.title, "-" * min(WIDTH, len(section.title))]
        cells = [[_cell(v) for v in row] for row in section.rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(section.columns)]
        numeric = [all(_is_number(r[i]) for r in cells) and cells != [] for i in range(len(widths))]
        text_columns = [i for i in range(len(widths)) if not numeric[i]] or list(range(len(widths)))
        while sum(widths) + 2 * (len(widths) - 1) > WIDTH:  # shrink the widest text column first
            widest = max(text_columns, key=lambda i: widths[i])
            if widths[widest] <= 6:
                text_columns = list(range(len(widths)))
                widest = max(text_columns, key=lambda i: widths[i])
            widths[widest] -= 1
        def line(values, widths=widths):
            return "  ".join(v.rjust(w) if _is_number(v) else (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                             for v, w in zip(values, widths)).rstrip()
        out.append(line(section.columns))
        out += [line(r) for r in cells] or ["(không có)"]
        out.append("")
    out += [textwrap.fill("* " + note, WIDTH) for note in report.notes]
    return "\n".join(out).rstrip() + "\n"


def as_csv(report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for section in report.sections:
        if len(report.sections) > 1:
            writer.writerow([section.title])
        writer.writerow(section.columns)
        writer.writerows([["" if v is None else v for v in row] for row in section.rows])
        if len(report.sections) > 1:
            writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def as_json(report) -> str:
    return json.dumps({"title": report.title, **report.data, "notes": report.notes}, ensure_ascii=False, indent=2, default=str)


def as_markdown(report) -> str:
    out = [f"# {report.title}", ""]
    for section in report.sections:
        out += [f"## {section.title}", "", "| " + " | ".join(section.columns) + " |", "|" + "---|" * len(section.columns)]
        out += ["| " + " | ".join(_cell(v).replace("|", "\\|") for v in row) + " |" for row in section.rows]
        out.append("")
    out += [f"- {note}" for note in report.notes]
    return "\n".join(out).rstrip() + "\n"


def _svg_bars(section, chart_id: str) -> str:
    rows = [(str(r[0]), r[-1] or 0) for r in section.rows]
    peak = max((v for _, v in rows), default=0) or 1
    height = 26 * len(rows) + 10
    parts = [f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 640 {height}" width="100%">',
             f'<title id="{chart_id}-t">{html.escape(section.title)}</title>',
             f'<desc id="{chart_id}-d">{html.escape("; ".join(f"{label}: {vietnamese_number(v)}" for label, v in rows))}</desc>']
    for index, (label, value) in enumerate(rows):
        y = index * 26 + 5
        width = 360 * value / peak
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{html.escape(label[:30])}</text>'
                     f'<rect x="220" y="{y + 3}" height="17" width="{width:.1f}" fill="#8b0000"></rect>'
                     f'<text x="{226 + width:.1f}" y="{y + 16}" font-size="13">{vietnamese_number(value)}</text>')
    return "".join(parts) + "</svg>"


def _html_cell(value, column: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = vietnamese_number(value)
        return text + " đ" if "đồng" in column else text
    return html.escape(_cell(value))


def as_html(report) -> str:
    body = [f"<h1>{html.escape(report.title)}</h1>"]
    for number, section in enumerate(report.sections):
        body.append(f"<section><h2>{html.escape(section.title)}</h2>")
        if section.chart and section.rows:
            body.append(f"<figure>{_svg_bars(section, f'bieu-do-{number}')}</figure>")
        body.append("<table><thead><tr>" + "".join(f'<th scope="col">{html.escape(c)}</th>' for c in section.columns) + "</tr></thead><tbody>")
        for row in section.rows:
            body.append("<tr>" + "".join(f"<td>{_html_cell(v, c)}</td>" for v, c in zip(row, section.columns)) + "</tr>")
        body.append("</tbody></table></section>")
    body += [f"<p>{html.escape(note)}</p>" for note in report.notes]
    style = ("body{font-family:'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
             "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
             "td:not(:first-child){text-align:right}figure{margin:1rem 0}")
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(report.title)}</title><style>{style}</style></head><body>{''.join(body)}</body></html>\n")
