"""Every workflow validates against GitHub's schema and passes zizmor's audit offline."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    return str(BIN / name) if (BIN / name).exists() else shutil.which(name)


def test_there_are_workflows():
    assert WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(workflow):
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    result = subprocess.run([tool("zizmor"), "--offline", "--no-progress", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_untrusted_input_rules(workflow):
    data = yaml.safe_load(workflow.read_text("utf-8"))
    triggers = data.get(True, data.get("on"))  # PyYAML reads the key `on` as True
    assert "pull_request_target" not in triggers
    assert data["permissions"] == {"contents": "read"} or all(v in ("read", "none") for v in data["permissions"].values())
    for job in data["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                ref = step["uses"].split("@", 1)[1]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
            if "run" in step:
                assert "${{" not in step["run"], step["run"]


OCR_PACKAGES = {"tesseract-ocr", "tesseract-ocr-vie"}
READS_ATTACHMENTS = ("cchc check", "cchc build")  # the gate and the builds read attachments' text (cchc.extract)


def _apt_installed(run: str) -> set[str]:
    """The packages an `apt-get install` line of a step installs."""
    found = set()
    for line in run.splitlines():
        words = line.split()
        if "apt-get" in words and "install" in words:
            found |= {w.strip(";}&|") for w in words[words.index("install") + 1:] if not w.startswith("-")}
    return found


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_that_read_attachments_install_ocr_first(workflow):
    jobs = yaml.safe_load(workflow.read_text("utf-8"))["jobs"]
    for name, job in jobs.items():
        installed: set[str] = set()
        for step in job["steps"]:
            run = step.get("run", "")
            if any(command in run for command in READS_ATTACHMENTS):
                assert OCR_PACKAGES <= installed, f"{workflow.name}: job {name}: “{step['name']}” runs before tesseract-ocr, tesseract-ocr-vie are installed"
            installed |= _apt_installed(run)


def test_make_test_installs_ocr():
    makefile = (REPO / "Makefile").read_text("utf-8")
    test_target = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "ocr" in test_target.split(":", 1)[1].split()
    ocr_recipe = makefile.split("\nocr:", 1)[1].split("\n\n", 1)[0]
    assert OCR_PACKAGES <= _apt_installed(ocr_recipe)
