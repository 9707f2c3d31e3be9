"""The benchmark at a small size, as a smoke test: it runs end to end and reports every
figure. No timing is asserted here; the numbers live in docs/performance.md."""

import json
import sys

from conftest import cchc


def test_benchmark_runs_at_500_items_and_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = cchc("bench", "--items", "500", "--commits", "1000", "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text("utf-8"))
    assert (figures["items"], figures["commits"]) == (500, 1000)
    assert figures["machine"]["cores"] >= 1 and figures["machine"]["pagefind"] and figures["machine"]["pelican"]
    # Both corpus layouts, each measured against its own baseline in the same run.
    assert list(figures["layouts"]) == ["years", "one-year"]
    for layout, years in (("years", 5), ("one-year", 1)):
        r = figures["layouts"][layout]
        assert r["years"] == years
        for key in ("baseline_full_s", "pelican_s", "search_s", "pagefind_plain_s", "rebuild_one_s", "dev_s", "dev_gate_s",
                    "dev_cold_gate_s", "check_one_s", "history_s", "peak_mib"):
            assert r[key] > 0, (layout, key)
        assert r["baseline_full_s"] == min(r["baseline_runs_s"])
        # Every page with a body is indexed once, in the bundles the manifest lists.
        assert r["indexed_pages"] > 500
        # Peak memory counts the processes the build starts: Pagefind is among them, and
        # the figure is the largest of any process, never less than Pagefind's own.
        assert "pagefind" in r["peak_by_program_mib"]
        assert r["peak_mib"] >= r["peak_by_program_mib"]["pagefind"] * 0.9
        # The rebuild after one edit links the pages that did not change instead of
        # rendering them: all but the edited item, the list pages that show it and the
        # pages rendered every time (home page, archives, register, statistics: about 20),
        assert r["rebuild_pages"] > 500
        assert r["rebuild_pages"] - r["rebuild_pages_linked"] <= 40
        # and indexes for search the edited page alone, every bundle reused.
        assert r["rebuild_search_delta_pages"] == 1 and r["rebuild_shards_reused"] >= 1
    assert "× baseline" in result.stdout and "Pelican stage of the full build" in result.stdout and "corpus: one-year" in result.stdout


def test_peak_memory_is_the_commands_own_not_the_benchmarks(tmp_path):
    # The benchmark holds the whole generated history in memory; a child started
    # straight from it would inherit that high-water mark in ru_maxrss.
    from cchc.bench import measure

    held = bytearray(300 * 2**20)
    held[::4096] = b"\1" * len(held[::4096])  # touch every page: resident
    small = measure([sys.executable, "-c", "pass"], tmp_path)
    large = measure([sys.executable, "-c", "b = bytearray(150 * 2**20); b[::4096] = b'1' * len(b[::4096])"], tmp_path)
    del held
    assert small.peak_mib < 100
    assert 150 <= large.peak_mib < 300


def test_peak_memory_counts_a_grandchild_larger_than_its_parent(tmp_path):
    # What `cchc build` does with Pagefind: a small process starts a larger one and waits.
    from cchc.bench import measure

    grandchild = "b = bytearray(200 * 2**20); b[::4096] = b'1' * len(b[::4096]); import time; time.sleep(0.3)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)"
    measured = measure([sys.executable, "-c", child], tmp_path)
    assert 200 <= measured.peak_mib < 350
    assert measured.by_name_mib["python3" if "python3" in measured.by_name_mib else "python"] >= 200
