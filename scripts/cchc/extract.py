"""The text of attachments and media documents, for the text rules and for search.

The gate and the production build read what a file says, not only its name: a PDF whose
first line is a TUYỆT MẬT stamp is refused like a Markdown file with that line. Each
format is read with its own well-kept library (pypdf, python-docx, openpyxl, odfpy);
a PDF page without a text layer, and an image, are read by Debian's `tesseract` (with
the Vietnamese data, tesseract-ocr-vie). Extraction artefacts are normalised by the one
normalisation the text rules use (normalise.extracted: invisible characters, look-alikes,
NFKC/NFC, and the spaces some PDFs put between the letters of a stamp, "T U Y Ệ T  M Ậ T").

Extracted text is cached by the file's SHA-1 in the portal's .cchc-cache/extract/, so
a file is read once whatever the number of gates and builds that see it.
"""

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .normalise import extracted

# Bump when extraction changes, so cached texts are read anew.
VERSION = "2"
TEXT_FORMATS = {"pdf", "docx", "xlsx", "odt", "ods", "txt", "csv", "png", "jpg", "jpeg", "gif", "webp"}
IMAGE_FORMATS = {"png", "jpg", "jpeg", "gif", "webp"}
OCR_LANGUAGES = "vie+eng"
# One OpenMP thread per tesseract: with its default of one per core, its threads spin
# against each other and against the build's other processes (a 1400 x 800 screenshot:
# 8.4 s of wall time with the default, 1.3 s with one thread, on this 2-core machine).
# Files are read in parallel by the build's workers instead.
OCR_THREADS = {"OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Page:
    number: int  # 1-based page (sheet for spreadsheets; 1 for flat text)
    text: str


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_image(image) -> str:
    """Text of a Pillow image by Debian's tesseract (empty when it is not installed)."""
    if not tesseract_available():
        return ""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    result = subprocess.run(["tesseract", "stdin", "stdout", "-l", OCR_LANGUAGES, "--psm", "3"], input=buffer.getvalue(),
                            capture_output=True, timeout=120, env={**os.environ, **OCR_THREADS})
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""


def _pdf(data: bytes) -> list[Page]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        if not text.strip() and (number == 1 or len(reader.pages) <= 5):
            # no text layer: OCR the page's pictures (at least the first page, where stamps are)
            try:
                text = "\n".join(ocr_image(picture.image) for picture in page.images)
            except Exception:  # an image format Pillow cannot decode
                text = ""
        pages.append(Page(number, text))
    return pages


def _docx(data: bytes) -> list[Page]:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = []
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return [Page(1, "\n".join(parts))]


def _xlsx(data: bytes) -> list[Page]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    pages = []
    for number, sheet in enumerate(workbook.worksheets, 1):
        rows = ["\t".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        pages.append(Page(number, "\n".join(rows)))
    workbook.close()
    return pages


def _odf(data: bytes) -> list[Page]:
    from odf import teletype, text as odf_text, table as odf_table
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    parts = [teletype.extractText(e) for e in document.getElementsByType(odf_text.H)]
    parts += [teletype.extractText(e) for e in document.getElementsByType(odf_text.P)]
    if not parts:
        parts = [teletype.extractText(e) for e in document.getElementsByType(odf_table.TableCell)]
    return [Page(1, "\n".join(parts))]


def _plain(data: bytes) -> list[Page]:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            return [Page(1, data.decode(encoding))]
        except UnicodeDecodeError:
            continue
    return []


def _image(data: bytes) -> list[Page]:
    from PIL import Image

    return [Page(1, ocr_image(Image.open(io.BytesIO(data))))]


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "odt": _odf, "ods": _odf, "txt": _plain, "csv": _plain}
_READERS.update(dict.fromkeys(IMAGE_FORMATS, _image))


def extract_bytes(data: bytes, name: str) -> list[Page]:
    """The pages of text of a file's bytes; [] for a format not read or a broken file."""
    reader = _READERS.get(PurePosixPath(name).suffix.lower().lstrip("."))
    if reader is None:
        return []
    try:
        pages = reader(data)
    except Exception:  # a broken or encrypted file: its name is still checked
        return []
    return [Page(p.number, extracted(p.text)) for p in pages if p.text.strip()]


def extract(path: Path, cache: Path | None = None) -> list[Page]:
    """The pages of text of a file, cached by its SHA-1 under `cache` when given."""
    path = Path(path)
    if PurePosixPath(path.name).suffix.lower().lstrip(".") not in TEXT_FORMATS or not path.is_file():
        return []
    data = path.read_bytes()
    key = hashlib.sha1(data).hexdigest()
    ocr = "ocr" if tesseract_available() else "noocr"  # a text read without OCR is read again once OCR is installed
    cached = Path(cache) / "extract" / f"{key}-{VERSION}-{ocr}.json" if cache else None
    if cached and cached.is_file():
        try:
            return [Page(n, t) for n, t in json.loads(cached.read_text(encoding="utf-8"))]
        except (ValueError, TypeError):
            pass
    pages = extract_bytes(data, path.name)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{id(pages)}.tmp")
        temporary.write_text(json.dumps([[p.number, p.text] for p in pages], ensure_ascii=False), encoding="utf-8")
        temporary.replace(cached)
    return pages


def text_of(content: Path, relative: str, cache: Path | None = None) -> str:
    """All the text of one file under content/ ("" when unreadable or outside it)."""
    if not isinstance(relative, str) or not relative.startswith("media/"):
        return ""
    target = Path(content) / relative
    if not target.resolve().is_relative_to(Path(content).resolve()):
        return ""
    return "\n".join(page.text for page in extract(target, cache))


def item_files(meta: dict, body: str = "") -> list[tuple[tuple, str]]:
    """(front matter key path, path under content/) of every file an item attaches or shows."""
    files = [(("images", i, "src"), image.get("src", "")) for i, image in enumerate(meta.get("images") or []) if isinstance(image, dict)]
    files += [(("attachments", i, "file"), a.get("file", "")) for i, a in enumerate(meta.get("attachments") or []) if isinstance(a, dict)]
    if isinstance(meta.get("results"), str):
        files.append((("results",), meta["results"]))
    seen = {relative for _keys, relative in files}
    for match in re.finditer(r"(?:\{static\}|\{attach\})?/(media/[^)\s\"'<>#?]+)", body):
        if match.group(1) not in seen:
            seen.add(match.group(1))
            files.append(((), match.group(1)))
    return [(keys, relative) for keys, relative in files if isinstance(relative, str) and relative.startswith("media/")]


def item_texts(item, portal) -> list[tuple[tuple, str, Page]]:
    """(key path, path under content/, page) of the readable text of an item's files."""
    found = []
    for keys, relative in item_files(item.meta, item.source.body):
        target = portal.content / relative
        if not target.resolve().is_relative_to(portal.content.resolve()):
            continue
        for page in extract(target, portal.cache):
            found.append((keys, relative, page))
    return found


def unread_scans(item, portal) -> list[tuple[tuple, str]]:
    """(key path, path under content/) of the item's images and PDFs without a text layer
    when tesseract is not installed: their text cannot be read, which must not pass
    unnoticed (a scanned TUYỆT MẬT page would)."""
    if tesseract_available():
        return []
    found = []
    for keys, relative in item_files(item.meta, item.source.body):
        suffix = PurePosixPath(relative).suffix.lower().lstrip(".")
        target = portal.content / relative
        if suffix in IMAGE_FORMATS | {"pdf"} and target.is_file() and target.resolve().is_relative_to(portal.content.resolve()):
            if suffix in IMAGE_FORMATS or not extract(target, portal.cache):
                found.append((keys, relative))
    return found


def where(relative: str, page: Page, line: int | None = None) -> str:
    """How a message names a place in an attachment: “media/x.pdf”, trang 2, dòng 3."""
    place = f"tệp đính kèm “{relative}”, trang {page.number}"
    return place + (f", dòng {line}" if line else "")
