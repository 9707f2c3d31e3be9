"""Click's own words (usage, errors, help headings) in Vietnamese.

Click looks each message up with `gettext` when it shows it, through the `_` and
`ngettext` names of its modules. Click ships no Vietnamese catalogue and a gettext
catalogue would need a compiled .mo file and the process's language settings (which
every git the tools start would inherit), so the catalogue is a table here and the
lookup names of Click's modules are pointed at it. A message Click adds later and this
table lacks stays English: `tests/test_cli_messages.py` lists Click's messages and
fails on any that is missing here.
"""

import importlib

MESSAGES = {
    "Usage:": "Cách dùng:",
    "Options": "Tuỳ chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Aborted!": "Đã dừng.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tuỳ chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tuỳ chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tuỳ chọn {name!r} không nhận giá trị.",
    "Invalid start character for option ({option})": "Ký tự đầu của tuỳ chọn không hợp lệ ({option})",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    "Name '{name}' defined twice": "Tên '{name}' được khai báo hai lần",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Choice({choices})": "Lựa chọn({choices})",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải {number_type} hợp lệ.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} không phải giá trị đúng/sai; các giá trị nhận: {states}",
    "{value!r} is not a valid UUID.": "{value!r} không phải UUID hợp lệ.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp, không phải thư mục.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục, không phải tệp.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được {name} {filename!r}.",
    "{name} {filename!r} is not executable.": "Không chạy được {name} {filename!r}.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    "(dynamic)": "(tính khi chạy)",
    "deprecated": "không còn dùng",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không khớp nhau.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Do you want to continue?": "Tiếp tục?",
    "Confirm the action without prompting.": "Xác nhận mà không hỏi lại.",
    "Press any key to continue...": "Bấm một phím bất kỳ để tiếp tục…",
    "unknown error": "lỗi không rõ",
    "Unknown color {colour!r}": "Không có màu {colour!r}",
    "Unknown standard stream '{name}'": "Không có luồng chuẩn '{name}'",
    "Couldn't detect Bash version, shell completion is not supported.": "Không nhận ra phiên bản Bash; không hỗ trợ gợi ý lệnh.",
    "{editor}: Editing failed": "{editor}: sửa không thành công",
    "{editor}: Editing failed: {e}": "{editor}: sửa không thành công: {e}",
    "Windows error: {error}": "Lỗi Windows: {error}",
    "d": "d",
    "Shell completion is not supported for Bash versions older than 4.4.": "Không hỗ trợ gợi ý lệnh cho Bash cũ hơn 4.4.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "Cảnh báo: lệnh {name!r} không còn dùng.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "Cảnh báo: {param_type} {name!r} không còn dùng.{extra_message}",
    # Mistakes in a command's own declaration (a programmer's, never a user's), for completeness:
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "Mỗi tham số khai báo đúng một tên, có {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "Tuỳ chọn đúng/sai {decl!r} không được dùng một cờ cho cả hai giá trị.",
    "Could not determine name for option with declarations {decls!r}": "Không xác định được tên tuỳ chọn từ khai báo {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?":
        "Chưa khai báo tuỳ chọn nào nhưng có tên ({name}). Có phải cần khai báo một tham số, hoặc viết '--{name}'?",
}
# ngettext: (singular, plural) -> one Vietnamese text (Vietnamese nouns do not inflect).
PLURALS = {
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} không phải một trong: {choices}.",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): "{value!r} không đúng dạng {formats}.",
    ("{len_type} values are required, but {len_value} was given.", "{len_type} values are required, but {len_value} were given."):
        "cần {len_type} giá trị, nhưng có {len_value}.",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "(Có phải: {possibilities}?)",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "Thừa tham số ({args})",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): "Cần {nargs} giá trị nhưng có {len}.",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): "Tuỳ chọn {name!r} cần {nargs} giá trị.",
}
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui", "types", "utils", "_termui_impl")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """One Vietnamese text for both forms: Click fills in the names of both forms."""
    text = PLURALS.get((singular, plural))
    return text if text is not None else (singular if count == 1 else plural)


# Names of value types, shown in errors ("không phải số nguyên hợp lệ") and in help.
TYPE_NAMES = {"IntParamType": "số nguyên", "FloatParamType": "số", "StringParamType": "chữ", "BoolParamType": "đúng/sai",
              "Path": "đường dẫn", "File": "tệp", "IntRange": "số nguyên", "FloatRange": "số", "Choice": "lựa chọn"}


def install() -> None:
    """Point Click's message lookups at the Vietnamese table (idempotent)."""
    import click.types

    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for name, vietnamese in TYPE_NAMES.items():
        getattr(click.types, name).name = vietnamese


def localise(command) -> None:
    """The usage line's placeholders, for a command and every command under it."""
    command.options_metavar = "[TUỲ CHỌN]"
    if hasattr(command, "commands"):
        command.subcommand_metavar = "LỆNH [THAM SỐ]..."
        for sub in command.commands.values():
            localise(sub)
