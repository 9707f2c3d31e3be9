"""The benchmark at a small size, as a smoke test: it runs end to end and reports every
figure. No timing is asserted here; the numbers live in docs/performance.md."""

import json

from conftest import cchc


def test_benchmark_runs_at_500_items_and_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = cchc("bench", "--items", "500", "--commits", "1000", "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text("utf-8"))
    for key in ("items", "commits", "baseline_full_s", "pelican_s", "search_s", "rebuild_one_s", "check_one_s", "history_s", "peak_mib"):
        assert key in figures
    assert (figures["items"], figures["commits"]) == (500, 1000)
    assert all(figures[k] > 0 for k in ("baseline_full_s", "pelican_s", "search_s", "rebuild_one_s", "check_one_s", "history_s", "peak_mib"))
    assert "× baseline" in result.stdout and "Pelican stage of the full build" in result.stdout
    # The rebuild after one edit links the pages that did not change instead of rendering them.
    assert figures["rebuild_pages_linked"] >= 450
