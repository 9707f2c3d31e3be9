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
    for key in ("items", "commits", "baseline_full_s", "baseline_runs_s", "rebuild_search_delta_pages", "pelican_s", "search_s", "rebuild_one_s", "check_one_s", "history_s", "peak_mib"):
        assert key in figures
    assert (figures["items"], figures["commits"]) == (500, 1000)
    assert all(figures[k] > 0 for k in ("baseline_full_s", "pelican_s", "search_s", "rebuild_one_s", "check_one_s", "history_s", "peak_mib"))
    assert figures["baseline_full_s"] == min(figures["baseline_runs_s"])
    assert "× baseline" in result.stdout and "Pelican stage of the full build" in result.stdout
    # The rebuild after one edit links the pages that did not change instead of rendering
    # them: all but the edited item, the list pages that show it and the pages rendered
    # every time (home page, archives, register, statistics, standing pages: about 20).
    assert figures["rebuild_pages"] > 500
    assert figures["rebuild_pages"] - figures["rebuild_pages_linked"] <= 40
    # and indexes for search the edited page alone, every bundle reused.
    assert figures["rebuild_search_delta_pages"] == 1 and figures["rebuild_shards_reused"] >= 1


def test_peak_memory_is_the_commands_own_not_the_benchmarks(tmp_path):
    # The benchmark holds the whole generated history in memory; a child started
    # straight from it would inherit that high-water mark in ru_maxrss.
    from cchc.bench import measure

    held = bytearray(300 * 2**20)
    held[::4096] = b"\1" * len(held[::4096])  # touch every page: resident
    _, small_mib = measure([sys.executable, "-c", "pass"], tmp_path)
    _, large_mib = measure([sys.executable, "-c", "b = bytearray(150 * 2**20); b[::4096] = b'1' * len(b[::4096])"], tmp_path)
    del held
    assert small_mib < 100
    assert 150 <= large_mib < 300
