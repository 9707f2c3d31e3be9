"""html-validate (the npm package, pinned in tests/html-validate/package.json and its lock)
on every built page of the sample portal. It is installed into a folder of the test run,
never into the repository. Ids beginning with a digit ("4-nhiem-vu-…", the regulation's
numbered headings) are valid HTML, so `valid-id` runs in its relaxed mode."""

import shutil
import subprocess
from pathlib import Path

import pytest

TOOL = Path(__file__).parent / "html-validate"


@pytest.fixture(scope="module")
def html_validate(tmp_path_factory) -> Path:
    if not shutil.which("npm"):
        pytest.skip("npm is not installed")
    folder = tmp_path_factory.mktemp("html-validate")
    for name in ("package.json", "package-lock.json", ".htmlvalidate.json"):
        shutil.copy(TOOL / name, folder / name)
    result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], cwd=folder,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return folder


def test_every_page_passes_html_validate(html_validate, sample_site):
    pages = [str(p) for p in sample_site.rglob("*.html") if p.relative_to(sample_site).parts[0] not in ("admin", "pagefind")]
    assert len(pages) > 25
    result = subprocess.run([str(html_validate / "node_modules/.bin/html-validate"), "-c", str(html_validate / ".htmlvalidate.json"),
                             "--formatter", "text", *pages], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_long_titles_are_shortened_between_words():
    from cchc.filters import page_title

    assert page_title("Luật Báo chí", "Cải cách hành chính tỉnh Lào Cai") == "Luật Báo chí – Cải cách hành chính tỉnh Lào Cai"
    long = "Quyết định ban hành Quy chế tổ chức, hoạt động của Cổng Thông tin điện tử Ban Chỉ đạo cải cách hành chính tỉnh Lào Cai"
    short = page_title(long, "Cải cách hành chính tỉnh Lào Cai")
    assert len(short) <= 70 and short.endswith("…") and long.startswith(short[:-1]) and long[len(short) - 1] == " "
