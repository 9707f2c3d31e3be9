"""Every message of the command line is Vietnamese, Click's own included."""

import ast
import socket
from pathlib import Path

import click
import pytest
from cchc import clickvi
from conftest import REPO, cchc

CLICK = Path(click.__file__).parent
ENGLISH = ("Usage:", "Error:", "Missing", "Invalid value", "No such", "Try '", "is not a valid", "Options:", "Show this message")


def _click_messages() -> tuple[set, set]:
    """The texts Click passes to gettext (`_`) and the pairs it passes to `ngettext`."""
    singles, pairs = set(), set()
    for source in CLICK.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if node.func.id == "_" and texts:
                    singles.add(texts[0])
                elif node.func.id == "ngettext" and len(texts) == 2:
                    pairs.add(tuple(texts))
    return singles, pairs


def test_every_message_click_can_show_has_a_vietnamese_text():
    singles, pairs = _click_messages()
    assert len(singles) > 40 and len(pairs) >= 5  # the listing itself works
    assert sorted(singles - set(clickvi.MESSAGES)) == []
    assert sorted(pairs - set(clickvi.PLURALS)) == []


@pytest.mark.parametrize("args", [
    ["report", "quota"],  # a missing option
    ["check", "--format", "xml"],  # not one of the choices
    ["bench", "--items", "nhiều"],  # not a number
    ["kiem-tra"],  # no such command
    ["check", "--frmat", "json"],  # no such option, with a suggestion
    ["withdraw", "khong-co.md", "--decision", "1/QĐ", "--date", "2024-01-01", "--reason", "x"],  # no such file
], ids=["missing", "choice", "number", "command", "option", "file"])
def test_usage_errors_are_vietnamese(args):
    result = cchc(*args, cwd=REPO)
    assert result.returncode == 2
    assert "Lỗi:" in result.stderr and "Cách dùng:" in result.stderr
    assert not [word for word in ENGLISH if word in result.stderr], result.stderr


def test_help_is_vietnamese():
    result = cchc("report", "--help", cwd=REPO)
    assert result.returncode == 0
    assert "cchc report [TUỲ CHỌN] LỆNH [THAM SỐ]..." in result.stdout and "Cách dùng:" in result.stdout and "Lệnh:" in result.stdout
    assert not [word for word in ENGLISH if word in result.stdout], result.stdout


def test_a_taken_port_is_said_in_vietnamese_before_any_build(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cchc("serve", "--port", str(port), "--repo", str(REPO))
    assert result.returncode == 2
    assert f"không mở được cổng {port}" in result.stderr and f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr and "Đã dựng" not in result.stdout
