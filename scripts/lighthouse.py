#!/usr/bin/env python3
"""Lighthouse (mobile) scores of the home, article, register and search pages.

A measurement, like the benchmark, not a test: the scores move with the machine's load.
The site is built with the development settings (root-relative addresses, so nothing is
fetched from the production host), served from this machine, and each page measured
`--runs` times with Lighthouse's default mobile emulation and simulated throttling;
the median run by performance is reported. Lighthouse is not a dependency of the
project: install it outside the repository (`npm install --prefix ~/lighthouse
lighthouse@12.2.3`) and pass `--lighthouse ~/lighthouse/node_modules/.bin/lighthouse`.
Chromium is Debian's (/usr/bin/chromium, or CHROME_PATH).

Usage: scripts/lighthouse.py [--lighthouse PATH] [--runs 3] [--no-build] [--json FILE]
       [--repo PORTAL] [--article ADDRESS]
"""

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The four pages of issue 19's "Done when"; the article is the sample news item, the
# search page is measured both empty and with a query in its address.
PAGES = {
    "home": "/",
    "article": "/tin-bai/2025/par-index-sipas-2024/",
    "register": "/van-ban/tra-cuu/",
    "search": "/tim-kiem/",
    "search ?q=": "/tim-kiem/?q=cai+cach",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(lighthouse: str, url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    result = subprocess.run([lighthouse, url, "--quiet", "--output=json", f"--output-path={out}",
                             "--only-categories=" + ",".join(CATEGORIES),
                             "--chrome-flags=--headless=new --no-sandbox"], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(out.read_text("utf-8"))
    audits = report["audits"]
    return {
        "version": report["lighthouseVersion"],
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE", "lighthouse"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="measure output/ as it is")
    parser.add_argument("--json", type=Path, help="write every run here")
    parser.add_argument("--repo", type=Path, default=REPO, help="the portal to build and measure")
    parser.add_argument("--article", default=PAGES["article"], help="address of the article page to measure")
    args = parser.parse_args()
    PAGES["article"] = args.article
    if not args.no_build:
        build = subprocess.run([sys.executable, "-m", "cchc", "build", "--repo", str(args.repo)], capture_output=True, text=True)
        if build.returncode != 0:
            sys.exit(build.stdout + build.stderr)
    server, base = serve(args.repo / "output")
    runs: dict[str, list[dict]] = {}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for name, path in PAGES.items():
                runs[name] = [measure(args.lighthouse, base + path, Path(scratch) / "report.json") for _ in range(args.runs)]
    finally:
        server.shutdown()
    print(f"Lighthouse {runs['home'][0]['version']}, mobile, {args.runs} runs a page (median by performance)")
    print("| page | performance | accessibility | best practices | SEO | CLS | LCP | TBT | performance of each run |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, samples in runs.items():
        ordered = sorted(samples, key=lambda s: s["performance"])
        median = ordered[len(ordered) // 2]
        each = ", ".join(str(s["performance"]) for s in samples)
        print(f"| {name} (`{PAGES[name]}`) | {median['performance']} | {median['accessibility']} | {median['best-practices']} "
              f"| {median['seo']} | {median['cls']:.3f} | {median['lcp_ms'] / 1000:.1f} s | {median['tbt_ms']:.0f} ms | {each} |")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), "utf-8")
    worst = statistics.mean(s["performance"] for s in runs["search ?q="])
    print(f"mean performance of the search page with a query: {worst:.1f}")


if __name__ == "__main__":
    main()
