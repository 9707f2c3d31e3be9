"""The JSON Schemas of a portal's `schemas/`, and their errors turned into Vietnamese findings."""

import difflib
import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from . import dates
from .findings import Finding

FORMAT_CHECKER = FormatChecker()
FORMAT_CHECKER.checks("vn-datetime")(dates.is_valid)
FORMAT_CHECKER.checks("date")(dates.is_valid_date)

def _implausible(value: str) -> bool:
    """A date that reads but lies outside the plausible years (see cchc.dates)."""
    try:
        return not dates.is_plausible(dates.parse(value))
    except (ValueError, OverflowError):
        return False


_TYPE_WORDS = {"string": "một chuỗi chữ", "array": "một danh sách", "object": "một nhóm trường", "integer": "một số nguyên",
               "number": "một số", "boolean": "true hoặc false", "null": "để trống"}


class Schemas:
    """The schemas of one folder (a portal's `schemas/`), with validators made once."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.raw = {p.name.removesuffix(".schema.json"): json.loads(p.read_text("utf-8")) for p in sorted(self.folder.glob("*.schema.json"))}
        if "common" not in self.raw:
            raise FileNotFoundError(f"thiếu {self.folder / 'common.schema.json'}: thư mục schemas/ của Cổng không đầy đủ")
        self._validators: dict[str, Draft202012Validator] = {}

    def digest_value(self) -> dict:
        """What the schemas are, for page digests (cchc.page_keys): not the validators,
        made as each schema is first used (a build after the gate had made more of them,
        and no page was reused)."""
        return {"folder": str(self.folder), "raw": self.raw}

    def inline(self, node):
        """The schema with every `common.schema.json#/$defs/…` reference replaced by the
        definition (the referring node's own title and description win). Validation then
        never goes through the reference registry: twice as fast on a cold build."""
        return _inline(node, self.raw["common"]["$defs"])

    def validator(self, name: str) -> Draft202012Validator:
        """A validator for schemas/<name>.schema.json, shared definitions inlined."""
        if name not in self._validators:
            registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in self.raw.values())  # for any other $ref
            self._validators[name] = Draft202012Validator(self.inline(self.raw[name]), registry=registry, format_checker=FORMAT_CHECKER)
        return self._validators[name]

    def schema(self, name: str) -> dict:
        return self.validator(name).schema

    def findings(self, instance: dict, name: str, path: str, position, rule: str = "schema", rule_for_key: dict | None = None) -> list[Finding]:
        """Validate `instance` against schema `name`; one finding per error, at its key.

        `rule_for_key` names the refusal ground of a top-level key when it is not `schema`
        (a missing source is the `source` rule, an unknown category the `scope` rule).
        """
        result, reported = [], set()
        for error in sorted(self.validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            where = tuple(error.absolute_path)
            if where in reported and error.validator != "required":
                continue  # one finding per value: a bad e-mail fails both pattern and format
            reported.add(where)
            line, column = position(*where)
            key = where[0] if where else (error.message.split("'")[1] if error.validator == "required" else None)
            result.append(Finding(path, line, column, (rule_for_key or {}).get(key, rule), "error", message(error)))
        return result

    def invalid_keys(self, instance: dict, name: str) -> set:
        """The top-level keys whose values fail schema `name` (the rules must not read them)."""
        return {error.absolute_path[0] for error in self.validator(name).iter_errors(instance) if error.absolute_path}


@functools.cache
def at(folder: Path) -> Schemas:
    """The schemas of this folder, read once per process."""
    return Schemas(Path(folder).resolve())


def _inline(node, definitions: dict):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("common.schema.json#/$defs/"):
            target = _inline(definitions[ref.rsplit("/", 1)[-1]], definitions)
            return {**target, **{k: _inline(v, definitions) for k, v in node.items() if k != "$ref"}}
        return {k: _inline(v, definitions) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, definitions) for v in node]
    return node



def _label(schema: dict, key) -> str:
    title = schema.get("title")
    return f"“{key}” ({title})" if title and key is not None else f"“{key}”"


def _choices(schema: dict) -> list[str]:
    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    return [f"{o['const']} ({o.get('title', '')})" for o in schema.get("oneOf", []) if "const" in o]


def message(error) -> str:
    """One jsonschema error in Vietnamese, quoting the schema's own titles."""
    path = list(error.absolute_path)
    key = path[-1] if path else None
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        prop = schema.get("properties", {}).get(missing, {})
        return f"thiếu trường bắt buộc {_label(prop, missing)}: {prop.get('description', '')}".rstrip(": ")
    if kind == "dependentRequired":
        missing = error.message.split("'")[1]
        prop = schema.get("properties", {}).get(missing, {})
        return f"thiếu trường {_label(prop, missing)} (bắt buộc khi đã ghi trường đi kèm): {prop.get('description', '')}".rstrip(": ")
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        hints = []
        for name in extra:
            close = difflib.get_close_matches(name, list(schema.get("properties", {})), n=1)
            hints.append(f"“{name}”" + (f" (có phải “{close[0]}”?)" if close else ""))
        return "trường không có trong mô hình nội dung: " + ", ".join(hints)
    label = _label(schema, key)
    if kind == "type":
        wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return f"{label} phải là " + " hoặc ".join(_TYPE_WORDS.get(w, w) for w in wanted)
    if kind in ("enum", "oneOf", "const"):
        return f"{label} có giá trị “{error.instance}” không hợp lệ; chọn một trong: " + "; ".join(_choices(schema))
    if kind in ("minLength", "pattern") and isinstance(error.instance, str) and not error.instance.strip():
        return f"{label} không được để trống"
    if kind == "format" and isinstance(error.instance, str) and _implausible(error.instance):
        return (f"{label} “{error.instance}” có năm ngoài khoảng hợp lý ({dates.EARLIEST_YEAR}–{dates.LATEST_YEAR}); "
                "kiểm tra lại năm đã gõ")
    if kind == "format" and schema.get("format") in ("date", "vn-datetime") and isinstance(error.instance, str):
        return _date_message(label, error.instance, schema["format"] == "vn-datetime")
    if kind in ("pattern", "format"):
        return f"{label} có giá trị “{error.instance}” sai định dạng: {schema.get('description', '')}".rstrip(": ")
    if kind == "maxLength":
        return f"{label} dài {len(error.instance)} ký tự, quá giới hạn {schema['maxLength']} ký tự"
    if kind == "minItems":
        return f"{label} cần ít nhất {schema['minItems']} mục"
    if kind == "uniqueItems":
        return f"{label} có mục bị lặp lại"
    if kind == "minimum":
        return f"{label} phải từ {schema['minimum']} trở lên"
    return f"{label} không hợp lệ ({kind})"


def _date_message(label: str, value: str, with_time: bool) -> str:
    """A date the file cannot keep: the form it must have, and the value rewritten when it
    is the NGÀY/THÁNG/NĂM form (which only `cchc new` converts)."""
    text = f"{label} “{value}” không phải ngày hợp lệ; trong tệp, ngày phải viết dạng {dates.FILE_DATETIME_FORM if with_time else dates.FILE_DATE_FORM}"
    rewritten = dates.from_day_month_year(value)
    if rewritten and (dates.is_valid(rewritten) if with_time else dates.is_valid_date(rewritten)):
        return text + f"; sửa thành “{rewritten}” (dạng 15/01/2025 chỉ dùng được khi nhập bằng cchc new)"
    return text
