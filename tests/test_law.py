"""The law of 2026: legal sources as data, documents that say whether they are in force,
units that change. Real commands on real copies of the portal."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, article, copy_portal, git, write

from cchc import registries, rules_table

NOW = "2026-12-02 10:00"
SOURCES = "content/data/legal-sources.yml"
DOC_42 = "van-ban/2022/nghi-dinh-42-2022-nd-cp/index.html"


def run(*args: str, now: str = NOW) -> subprocess.CompletedProcess:
    env = dict(os.environ, CCHC_NOW=now)
    return subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True, env=env, timeout=600)


def end_source(repo: Path, source_id: str, last_day: str) -> None:
    """The one-line change of law: a source's last day in force."""
    path = repo / SOURCES
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = lines.index(f"  - id: {source_id}\n")
    lines.insert(at + 1, f"    in_force_until: '{last_day}'\n")
    path.write_text("".join(lines), "utf-8")


def test_readme_rule_table_is_generated_from_the_catalogue():
    readme = (REPO / "README.md").read_text("utf-8")
    sources = registries.load(REPO).legal_sources
    assert rules_table.readme_section(readme) == rules_table.markdown(sources), \
        "README.md's rule table is stale: paste `cchc rules --format markdown` between its markers"


def test_rules_cite_the_law_in_force_with_each_source_status():
    rules = {r["id"]: r for r in json.loads(run("rules", "--format", "json", "--repo", str(REPO)).stdout)}
    cited = {rule_id: {s["id"] for s in r["sources"]} for rule_id, r in rules.items()}
    assert "luat-bao-ve-bmnn-2025" in cited["secret"]
    assert {"luat-bao-ve-dlcn-2025", "nd-356-2025"} <= cited["personal-data"]
    assert "luat-an-ninh-mang-2025" in cited["unsafe-html"]
    assert all(r["article"].startswith("Điều ") and "qd-399-2024" in cited[i] for i, r in rules.items())
    states = {s["state"] for r in rules.values() for s in r["sources"]}
    assert states <= {"in-force", "partly"}, states
    text = run("rules", "--repo", str(REPO)).stdout
    assert "Luật Bảo vệ bí mật nhà nước 117/2025/QH15 [luat-bao-ve-bmnn-2025]: còn hiệu lực" in text
    assert "2018" not in text and "13/2023" not in text


def test_a_law_going_out_of_force_is_one_line_of_data_and_the_gate_names_rule_and_source(tmp_path):
    repo = copy_portal(tmp_path / "portal")
    before = run("check", "--repo", str(repo))
    assert before.returncode == 0 and "[law]" not in before.stdout
    end_source(repo, "luat-bao-ve-bmnn-2025", "2026-05-31")
    check = run("check", "--repo", str(repo))
    assert check.returncode == 0, check.stdout  # a warning: contributors are not refused for it
    (line,) = [l for l in check.stdout.splitlines() if "[law]" in l]
    assert line.startswith("scripts/cchc/rules/catalogue.yml:") and "cảnh báo [law]" in line
    assert "quy tắc “secret”" in line and "luat-bao-ve-bmnn-2025" in line and "hết hiệu lực từ 01/6/2026" in line
    development = run("build", "--repo", str(repo))
    assert development.returncode == 0, development.stderr
    assert "cảnh báo [law] quy tắc “secret”" in development.stderr
    production = run("build", "--production", "--repo", str(repo), "--output", str(tmp_path / "public"))
    assert production.returncode == 1
    assert "lỗi [law] quy tắc “secret”" in production.stderr and not (tmp_path / "public").exists()
    # The same day before the law ended: nothing to say.
    assert "[law]" not in run("check", "--repo", str(repo), now="2026-05-31 23:00").stdout


def test_a_registry_entry_citing_an_unknown_or_repealed_source_is_named(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    units = repo / "content/data/units.yml"
    units.write_text(units.read_text("utf-8").replace("    valid_from: '2025-03-01'\n", "    valid_from: '2025-03-01'\n    sources: [nd-13-2023, khong-co]\n"), "utf-8")
    found = [l for l in run("check", "--repo", str(repo)).stdout.splitlines() if "[law]" in l]
    assert any("“so-khoa-hoc-va-cong-nghe” viện dẫn Nghị định 13/2023/NĐ-CP (nd-13-2023) hết hiệu lực từ 01/01/2026" in l for l in found), found
    assert any("“khong-co” không có trong content/data/legal-sources.yml" in l for l in found), found


def test_document_pages_register_and_open_data_say_what_is_in_force(sample_site):
    page = (sample_site / DOC_42).read_text("utf-8")
    assert "status-legal status-repealed" in page and "Hết hiệu lực từ 01/7/2026" in page
    assert "được thay thế bởi Nghị định 224/2026/NĐ-CP" in page
    assert "Nguồn xác định hiệu lực:" in page and "docid 218633" in page
    register = (sample_site / "van-ban/tra-cuu/index.html").read_text("utf-8")
    assert '<th scope="col">Hiệu lực</th>' in register and 'data-filter="legal"' in register
    assert "Hết hiệu lực từ 01/7/2026; được thay thế bởi Nghị định 224/2026/NĐ-CP." in register
    items = json.loads((sample_site / "du-lieu/van-ban.json").read_text("utf-8"))["items"]
    by_number = {i["number"]: i for i in items}
    legal = by_number["42/2022/NĐ-CP"]["legal"]
    assert (legal["status"], legal["since"], legal["replaced_by"][0]["ref"]) == ("repealed", "2026-07-01", "nd-224-2026")
    changed = {n for n, i in by_number.items() if i["legal"]["status"] in ("repealed", "expired", "partly-in-force")}
    assert changed == {"42/2022/NĐ-CP", "67/2006/QH11", "86/2015/QH13", "103/2016/QH13", "72/2013/NĐ-CP", "27/2018/NĐ-CP",
                       "77/2015/QH13", "47/2019/QH14", "14-ĐA/TU", "329/KH-UBND"}
    assert all(i["legal"]["source"] for n, i in by_number.items() if n in changed)
    # A replacement that is itself on the portal is linked.
    nd_72 = (sample_site / "van-ban/2013/nghi-dinh-72-2013-nd-cp/index.html").read_text("utf-8")
    assert 'href="/van-ban/2018/nghi-dinh-27-2018-nd-cp/">Nghị định 27/2018/NĐ-CP</a>' in nd_72


def test_the_regulation_page_lists_its_replaced_bases_from_the_registry(sample_site):
    page = (sample_site / "quy-che/index.html").read_text("utf-8")
    section = page.split('class="legal-bases"', 1)[1].split("</section>", 1)[0]
    assert 'href="/van-ban/2022/nghi-dinh-42-2022-nd-cp/">Nghị định 42/2022/NĐ-CP</a>' in section
    assert "Luật Công nghệ thông tin 67/2006/QH11" in section and "Quyết định 399" not in section
    assert "không còn cấp huyện" not in section and "Ghi chú của Ban Biên tập" in page
    assert "\n3\n" not in (REPO / "content/trang/quy-che.md").read_text("utf-8")[-200:]


def test_the_footer_says_the_address_awaits_confirmation_and_the_build_says_why(sample_site, tmp_path):
    home = (sample_site / "index.html").read_text("utf-8")
    assert "phường Nam Cường, thành phố Lào Cai, tỉnh Lào Cai (đang chờ xác nhận sau sắp xếp đơn vị hành chính)" in home
    repo = copy_portal(tmp_path / "portal", with_content=False)
    built = run("build", "--repo", str(repo))
    assert built.returncode == 0, built.stderr
    assert any(l.startswith("content/data/units.yml:") and "lưu ý [confirm] “so-noi-vu”: “address”" in l for l in built.stderr.splitlines())
    units = repo / "content/data/units.yml"
    units.write_text(units.read_text("utf-8").replace("      address:\n        status: awaiting", "      address:\n        status: confirmed", 1), "utf-8")
    confirmed = run("build", "--repo", str(repo))
    assert "“so-noi-vu”: “address”" not in confirmed.stderr
    assert "đang chờ xác nhận" not in (repo / "output/index.html").read_text("utf-8")


def test_units_are_counted_only_while_they_exist(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A", when="2025-01-01T08:00:00+07:00")
    git(repo, "commit", "-qm", "Khởi tạo", when="2025-01-01T08:00:00+07:00")
    item = article("Tin của Sở Thông tin và Truyền thông", date="2025-02-10 09:00").replace("unit: so-noi-vu", "unit: so-thong-tin-va-truyen-thong")
    write(repo / "content/tin-bai/cai-cach-the-che/2025/tin-so-tttt.md", item)
    git(repo, "add", "-A", when="2025-02-10T09:00:00+07:00")
    git(repo, "commit", "-qm", "Đăng", when="2025-02-10T09:00:00+07:00")

    def quota(year: str) -> dict:
        result = run("report", "quota", "--year", year, "--format", "json", "--repo", str(repo))
        assert result.returncode == 0, result.stderr
        return {u["unit"]: u for u in json.loads(result.stdout)["units"]}

    year_2026 = quota("2026")
    assert "so-thong-tin-va-truyen-thong" not in year_2026
    assert year_2026["so-khoa-hoc-va-cong-nghe"]["months_below"] == 12
    year_2025 = quota("2025")
    # It existed in January and February: it owed January (nothing sent), not March onwards; its item stays its own.
    assert (year_2025["so-thong-tin-va-truyen-thong"]["2"], year_2025["so-thong-tin-va-truyen-thong"]["months_below"]) == (1, 1)
    assert year_2025["so-khoa-hoc-va-cong-nghe"]["months_below"] == 10
    stats = run("build", "--repo", str(repo), now=NOW)
    assert stats.returncode == 0, stats.stderr
    page = (repo / "output/thong-ke/index.html").read_text("utf-8")
    assert "Sở Khoa học và Công nghệ" in page and "Sở Thông tin và Truyền thông" not in page


def test_a_unit_that_ceased_refuses_a_new_item_and_keeps_its_old_ones(tmp_path):
    repo = copy_portal(tmp_path / "portal", with_content=False)
    unit = "unit: so-thong-tin-va-truyen-thong"
    write(repo / "content/tin-bai/cai-cach-the-che/2025/cu.md", article("Tin cũ", date="2025-02-10 09:00").replace("unit: so-noi-vu", unit))
    write(repo / "content/tin-bai/cai-cach-the-che/2026/moi.md", article("Tin mới", date="2026-03-10 09:00").replace("unit: so-noi-vu", unit))
    result = run("check", "--repo", str(repo))
    scope = [l for l in result.stdout.splitlines() if "[scope]" in l]
    assert len(scope) == 1 and scope[0].startswith("content/tin-bai/cai-cach-the-che/2026/moi.md:"), result.stdout
    assert "đã thôi hoạt động" in scope[0] and "“so-khoa-hoc-va-cong-nghe”" in scope[0]


def test_a_document_linking_to_nothing_known_is_a_law_warning(tmp_path):
    repo = copy_portal(tmp_path / "portal")
    path = repo / "content/van-ban/cai-cach-the-che/2018/nghi-dinh-13-2018-nd-cp.md"
    text = path.read_text("utf-8").replace("issued_date: '2018-01-23'\n", "issued_date: '2018-01-23'\nlegal_status: repealed\nreplaced_by: [khong-co]\n")
    path.write_text(text, "utf-8")
    result = run("check", str(path), "--repo", str(repo))
    assert "thiếu trường “status_source”" in result.stdout  # a status always says where it comes from
    path.write_text(text.replace("legal_status: repealed\n", "legal_status: repealed\nstatus_source: Thử\n"), "utf-8")
    result = run("check", str(path), "--repo", str(repo))
    assert "cảnh báo [law] “replaced_by” nêu “khong-co”" in result.stdout, result.stdout


def test_the_rules_catalogue_is_data_under_its_schema():
    from jsonschema import Draft202012Validator

    from cchc.rules import HARM_RULES, ORDER, RULES, catalogue
    from cchc.rules.secret import SECRET_STAMPS
    from cchc.rules.source import PLACEHOLDERS
    from cchc.rules.unsafe_html import WHAT

    data, _ = catalogue.load()
    validator = Draft202012Validator(json.loads(catalogue.SCHEMA.read_text("utf-8")))
    assert not list(validator.iter_errors(data))
    broken = json.loads(json.dumps(data))
    broken["rules"][0]["severity"] = "fatal"
    del broken["rules"][1]["sources"]
    assert len(list(validator.iter_errors(broken))) == 2
    assert ORDER == [r["id"] for r in data["rules"]] and list(RULES) == ORDER
    assert HARM_RULES == {"schema", "scope", "secret", "not-public", "unsafe-html", "personal-data"}
    assert SECRET_STAMPS == set(data["lists"]["secret_stamps"]) and "mât" in SECRET_STAMPS
    assert PLACEHOLDERS == set(data["lists"]["source_placeholders"]) and set(WHAT) >= {"script", "iframe"}
    assert catalogue.limits()["quality"]["max_title_chars"] == 200
