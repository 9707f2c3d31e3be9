"""Reading content files: bytes -> text -> YAML front matter (YAML 1.2 typing) + body.

This is the one parser of the project: Pelican's reader, `cchc check`, `cchc new` and
the reports all read files through `read_source`, so what the gate accepts is exactly
what the build publishes. Every key keeps its line and column so any finding can point
at it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .findings import ContentError, Finding
from .text import nfc

# libyaml's C parser when present; the constructor and resolver stay in Python, which is
# what lets us replace PyYAML's YAML 1.1 implicit typing below.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Yaml12Loader(_BaseLoader):
    """Safe loader typing plain scalars as the YAML 1.2 core schema does.

    YAML 1.1 (PyYAML's default) reads `NO`, `on`, `y` as booleans, `015` as octal 13 and
    `2024-03-04` as a date object. Here only true/false are booleans, dates stay text
    (the schemas check their form) and a number with a leading zero stays text: in
    front matter it is an identifier (a document number, a code), never a quantity.
    """


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?[eE][-+]?[0-9]+)"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)

FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")

# Limits on what one file may make the parser do. Nothing the portal writes needs YAML
# anchors or aliases (`&a`, `*a`): they are refused before a node is composed, so an
# "alias bomb" (a few KB that expand to gigabytes) never expands. Front matter nests
# three levels at most (images > item > key); registries four.
MAX_DEPTH = 10
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_FILE_BYTES = 2 * 1024 * 1024

# PyYAML's problems in words a contributor understands; the original stays in brackets.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "dấu hai chấm “:” đứng sai chỗ; nếu giá trị có dấu hai chấm, hãy đặt nó trong ngoặc kép"),
    ("could not find expected ':'", "thiếu dấu hai chấm “:” sau tên trường"),
    ("cannot start any token", "có ký tự không được phép ở đầu giá trị (Tab hoặc ký tự đặc biệt); hãy thụt lề bằng dấu cách"),
    ("expected <block end>", "thụt lề không khớp với các dòng trên"),
    ("found undefined alias", "dùng bí danh (*) chưa được khai báo"),
    ("while scanning a quoted scalar", "thiếu dấu ngoặc kép đóng"),
    ("found unexpected end of stream", "thiếu dấu ngoặc kép đóng"),
)


@dataclass
class Source:
    """A content file read into front matter and body."""

    path: str  # as shown in messages: relative to the repository when possible
    meta: dict
    body: str
    body_line: int  # 1-based line where the body starts in the file
    positions: dict = field(default_factory=dict)  # key path tuple -> (line, column)
    non_nfc_line: int | None = None  # first line not in NFC in the file as written

    @property
    def is_nfc(self) -> bool:
        return self.non_nfc_line is None

    def position(self, *keys) -> tuple[int, int]:
        return lookup_position(self.positions, keys)


def lookup_position(positions: dict, keys) -> tuple[int, int]:
    """Line and column of the deepest known key on the path, else the file's start."""
    keys = tuple(keys)
    while keys:
        if keys in positions:
            return positions[keys]
        keys = keys[:-1]
    return (1, 1)


def _error(path: str, line: int, column: int, message: str, rule: str = "schema") -> ContentError:
    return ContentError([Finding(path, line, column, rule, "error", message)])


def decode(data: bytes, path: str) -> str:
    """Bytes to text. Only UTF-8 is accepted; anything else is named, with its place."""
    if len(data) > MAX_FILE_BYTES:
        raise _error(path, 1, 1, f"tệp nặng {len(data) / 2**20:.1f} MiB, quá giới hạn {MAX_FILE_BYTES // 2**20} MiB cho một tệp nội dung "
                                 "hoặc danh mục; tách nội dung hoặc đưa tệp lớn vào content/media/")
    if _looks_utf16(data):
        raise _error(path, 1, 1, "tệp được lưu bằng mã UTF-16; hãy lưu lại bằng mã UTF-8 (trong Notepad: Lưu thành… > Mã hoá: UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:  # valid UTF-8, but no text file of the portal holds a NUL byte
        line, column = _place_of_byte(data, nul)
        raise _error(path, line, column, "tệp chứa ký tự rỗng (byte NUL, 0x00) không được phép trong văn bản; hãy xoá ký tự này "
                                         "(thường do sao chép từ tệp nhị phân hoặc phần mềm lỗi)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _place_of_byte(data, exc.start)
        raise _error(
            path, line, column,
            f"tệp không phải mã UTF-8 (byte 0x{data[exc.start]:02X} không hợp lệ); có thể tệp được lưu bằng "
            "Windows-1258, TCVN3 hoặc VNI: hãy chuyển sang Unicode dựng sẵn và lưu bằng UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or text where every other byte is NUL (UTF-16 without
    a mark: ASCII characters become a letter and a NUL). One stray NUL in UTF-8 is not."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:200]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) >= len(even) * 0.4 or odd.count(0) >= len(odd) * 0.4


def _place_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return line, column


_INDENT = re.compile(r"^[ ?-]*", re.M)


def _may_expand(text: str) -> bool:
    """Could this text hold an anchor, an alias or nesting deeper than MAX_DEPTH? Cheap
    and conservative, so most files skip the token scan: without `&` or `*` there is no
    anchor nor alias, and a collection nests in its parent only by a flow bracket or by
    starting further right than it (indentation and `- `/`? ` indicators)."""
    if "&" in text or "*" in text:
        return True
    deepest = max((len(m) for m in _INDENT.findall(text)), default=0)
    return 2 + deepest + text.count("[") + text.count("{") > MAX_DEPTH


def _refuse_expansion(text: str, path: str, line_offset: int) -> None:
    """Refuse anchors, aliases and deep nesting from the token stream, before anything
    is composed: the composer would otherwise build (and `_walk` visit) every expansion,
    and libyaml's composer recurses in C (30,000 nested brackets crash the process)."""
    if not _may_expand(text):
        return
    depth = 0
    for token in yaml.scan(text, Loader=_BaseLoader):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            what = "neo (&)" if isinstance(token, yaml.AnchorToken) else "bí danh (*)"
            raise _error(path, *_mark(token.start_mark, line_offset),
                         f"YAML không được dùng {what} “{token.value}”: phần khai báo của Cổng không cần đến, "
                         "và chúng có thể làm tệp nở ra hàng triệu lần khi đọc; hãy viết giá trị trực tiếp")
        if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
                              yaml.FlowSequenceStartToken)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _error(path, *_mark(token.start_mark, line_offset),
                             f"YAML lồng nhau quá {MAX_DEPTH} cấp; phần khai báo của Cổng không cần lồng sâu như vậy")
        elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
            depth -= 1


def _mark(mark, line_offset: int) -> tuple[int, int]:
    return (mark.line + 1 + line_offset, mark.column + 1)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or str(exc)
    for english, vietnamese in _YAML_PROBLEMS:
        if english in problem or english in (exc.context or ""):
            return f"YAML sai cú pháp: {vietnamese} ({problem})"
    return f"YAML sai cú pháp ({problem})"


def _walk(node, key_path: tuple, positions: dict, path: str, line_offset: int) -> None:
    """Record the position of every key and list item; refuse duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _error(path, *_mark(key_node.start_mark, line_offset), "tên trường phải là một chữ, không phải danh sách")
            key = nfc(key_node.value)
            where = _mark(key_node.start_mark, line_offset)
            if key in seen:
                raise _error(path, *where, f"trường “{key}” khai báo hai lần (lần đầu ở dòng {seen[key][0]}); chỉ giữ một")
            seen[key] = where
            positions[key_path + (key,)] = where
            _walk(value_node, key_path + (key,), positions, path, line_offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            positions[key_path + (index,)] = _mark(item.start_mark, line_offset)
            _walk(item, key_path + (index,), positions, path, line_offset)


def _normalise(value):
    """Every string in NFC, keys included; non-string scalar keys become text."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc(str(k)): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[object, dict]:
    """Parse one YAML document; return the data and the positions of its keys."""
    loader = None
    try:
        _refuse_expansion(text, path, line_offset)
        loader = Yaml12Loader(text)
        node = loader.get_single_node()
        positions: dict = {}
        if node is not None:
            _walk(node, (), positions, path, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _mark(mark, line_offset) if mark else (1 + line_offset, 1)
        raise _error(path, line, column, _yaml_message(exc)) from None
    except yaml.YAMLError as exc:  # errors without a position (rare: a reader error)
        raise _error(path, 1 + line_offset, 1, f"YAML sai cú pháp ({exc})") from None
    finally:
        if loader is not None:
            loader.dispose()
    return _normalise(data), positions


def _split(text: str, path: str) -> tuple[list[str], int]:
    """The file's lines and the index of the line closing the front matter."""
    lines = text.split("\n")
    if not lines or not FENCE.match(lines[0]):
        raise _error(path, 1, 1, "tệp phải bắt đầu bằng dòng “---” rồi đến phần khai báo (front matter)")
    for index in range(1, len(lines)):
        if FENCE.match(lines[index]):
            return lines, index
    raise _error(path, 1, 1, "không tìm thấy dòng “---” đóng phần khai báo (front matter)")


def parse(text: str, path: str) -> Source:
    """Split `---` front matter from the Markdown body and parse it."""
    lines, closing = _split(text, path)
    yaml_text = "\n".join(lines[1:closing])
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise _error(path, 2, 1, f"phần khai báo (front matter) dài quá {MAX_FRONT_MATTER_BYTES // 1024} KiB; "
                                 "nội dung dài hãy viết trong phần thân bài")
    meta, positions = load_yaml(yaml_text, path, line_offset=1)
    if meta is None:
        raise _error(path, 2, 1, "phần khai báo (front matter) trống: cần ít nhất tiêu đề (title)")
    if not isinstance(meta, dict):
        raise _error(path, 2, 1, "phần khai báo phải gồm các dòng “tên trường: giá trị”")
    body = "\n".join(lines[closing + 1 :])
    non_nfc = None if nfc(text) == text else next(n for n, line in enumerate(lines, 1) if nfc(line) != line)
    return Source(path, meta, nfc(body), closing + 2, positions, non_nfc)


def peek(text: str, path: str, keys: tuple[str, ...]) -> tuple[dict, str] | None:
    """The plain text of some top-level keys, and the body, without building the rest.

    For indexing thousands of already-published files: libyaml composes the node tree,
    and only the scalars asked for are read (as written, NFC). Files that do not parse
    give None; they are not what is being checked.
    """
    try:
        lines, closing = _split(text, path)
    except ContentError:
        return None
    values = _scalars("\n".join(lines[1:closing]), keys)
    return None if values is None else (values, nfc("\n".join(lines[closing + 1 :])))


def peek_one(text: str, path: str, key: str) -> str | None:
    """The plain text of one top-level key, composing only that key's own lines when they
    can be told apart (one line at column 0 and its indented continuation lines): a
    change note in each of 20,000 revisions is read without composing whole files."""
    try:
        lines, closing = _split(text, path)
    except ContentError:
        return None
    starts = [index for index in range(1, closing) if lines[index].startswith(f"{key}:")]
    if len(starts) == 1:
        end = starts[0] + 1
        while end < closing and (not lines[end].strip() or lines[end][0] in " \t"):
            end += 1
        own_lines = "\n".join(lines[starts[0]:end]) + ("\n" if end < closing else "")  # as in the whole: a block scalar keeps its last newline
        values = _scalars(own_lines, (key,))
        if values is not None:
            return values.get(key)
    peeked = peek(text, path, (key,))
    return peeked[0].get(key) if peeked else None


def _scalars(yaml_text: str, keys: tuple[str, ...]) -> dict | None:
    """The top-level scalars named `keys`, as written (NFC); None if the text does not parse
    (or uses what `_refuse_expansion` refuses)."""
    try:
        _refuse_expansion(yaml_text, "", 0)
    except (ContentError, yaml.YAMLError):
        return None
    loader = Yaml12Loader(yaml_text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        return None
    return {k.value: nfc(v.value) for k, v in node.value if k.value in keys and isinstance(v, yaml.ScalarNode)}


def read_source(file_path: Path, shown_as: str | None = None) -> Source:
    """Read and parse a content file from disk."""
    shown = shown_as or str(file_path)
    return parse(decode(Path(file_path).read_bytes(), shown), shown)


def read_yaml_file(file_path: Path, shown_as: str | None = None) -> tuple[object, dict]:
    """Read a whole-YAML file (a registry) with the same typing and positions."""
    shown = shown_as or str(file_path)
    return load_yaml(decode(Path(file_path).read_bytes(), shown), shown)
