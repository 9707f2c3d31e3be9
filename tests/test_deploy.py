"""The province's own server: Debian's nginx, as a real process, serving deploy/nginx/cchc.conf
over a site built by the real `cchc build`, while releases are switched under it."""

import ast
import contextlib
import gzip
import hashlib
import http.client
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, article, cchc, copy_portal, write

SITE_FILE = REPO / "deploy" / "nginx" / "cchc.conf"
TLS_FILE = REPO / "deploy" / "nginx" / "cchc-tls.conf"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")  # not on a user's PATH
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make test installs Debian's nginx-light)")

# The main configuration Debian's /etc/nginx/nginx.conf stands for, with every path in
# the test's folder. `user root`: pytest's folders are private to root, who runs the tests.
MAIN = """\
user root;
worker_processes 2;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{
    worker_connections 256;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/cchc.conf;
}}
"""

SECURITY_HEADERS = ("content-security-policy", "strict-transport-security", "x-content-type-options", "referrer-policy")
NEWS = "content/tin-bai/cai-cach-the-che/2024/thong-bao-lich-tiep-dan.md"
NEWS_PAGE = "/tin-bai/2024/thong-bao-lich-tiep-dan/"


def substitute(text: str, name: str, replacements) -> str:
    """Each pattern must match exactly once: the test fails loudly if the shipped file changed shape."""
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.M)
        assert count == 1, f"{name}: expected one line matching {pattern!r}"
    return text


def site_config(port: int, live: Path, tls: Path | None = None) -> str:
    """The shipped site file, listening on a loopback port and serving `live`: only the
    `listen` and `root` lines change (and the HTTPS include is turned on, when asked)."""
    replacements = [(r"^(\s*)listen 80;$", rf"\g<1>listen 127.0.0.1:{port};"), (r"^\s*listen \[::\]:80;\n", ""),
                    (r"^(\s*)root /var/www/cchc;$", rf"\g<1>root {live};")]
    if tls:
        replacements.append((r"^(\s*)# include /etc/nginx/snippets/cchc-tls\.conf;$", rf"\g<1>include {tls};"))
    return substitute(SITE_FILE.read_text("utf-8"), SITE_FILE.name, replacements)


def tls_config(port: int, certificate: Path, key: Path) -> str:
    """The shipped HTTPS snippet on a loopback port, with a certificate made for the test."""
    return substitute(TLS_FILE.read_text("utf-8"), TLS_FILE.name, [
        (r"^listen 443 ssl http2;$", f"listen 127.0.0.1:{port} ssl http2;"), (r"^listen \[::\]:443 ssl http2;\n", ""),
        (r"/etc/ssl/cchc/fullchain\.pem", str(certificate)), (r"/etc/ssl/cchc/privkey\.pem", str(key))])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, context: ssl.SSLContext | None = None, **headers) -> tuple[int, dict, bytes]:
    connection = (http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context) if context
                  else http.client.HTTPConnection("127.0.0.1", port, timeout=10))
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@dataclass
class Server:
    port: int
    live: Path
    repo: Path
    run: Path

    def get(self, path: str, **headers) -> tuple[int, dict, bytes]:
        return get(self.port, path, **headers)


@contextlib.contextmanager
def nginx(run: Path, write_site) -> Iterator[int]:
    """Debian's nginx in the foreground on `run` (its own configuration, logs and pid);
    `write_site(port)` writes run/cchc.conf for the port to listen on. Yields the port."""
    run.mkdir(parents=True)
    (run / "nginx.conf").write_text(MAIN.format(run=run), "utf-8")
    command = [NGINX, "-p", str(run), "-c", str(run / "nginx.conf")]
    for _ in range(5):  # a free port can be taken by someone else before nginx binds it
        port = free_port()
        write_site(port)
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        with open(run / "stderr.log", "ab") as stderr:
            process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=stderr)
        if _listening(port, process):
            break
        process.wait()
    else:
        pytest.fail("nginx did not start: " + (run / "error.log").read_text())
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
    log = (run / "error.log").read_text()
    assert not re.search(r"\[(crit|alert|emerg)\]", log), log


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deploy")
    repo = copy_portal(tmp / "portal")
    write(repo / NEWS, article("Thông báo lịch tiếp công dân"))
    write(repo / "content/media/2024/lich-tiep-dan.txt", "Lịch tiếp công dân tháng 5 năm 2024.\n")
    live = tmp / "www" / "cchc"
    result = cchc("build", "--repo", str(repo), "--output", str(live))
    assert result.returncode == 0, result.stderr
    run = tmp / "nginx"
    with nginx(run, lambda port: (run / "cchc.conf").write_text(site_config(port, live), "utf-8")) as port:
        yield Server(port, live, repo, run)


def _listening(port: int, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.02)
    return False


def site_policy() -> str:
    """CONTENT_SECURITY_POLICY of pelicanconf.py, read without running the settings."""
    tree = ast.parse((REPO / "pelicanconf.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CONTENT_SECURITY_POLICY" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("pelicanconf.py has no CONTENT_SECURITY_POLICY")


def assert_security_headers(headers: dict) -> None:
    for name in SECURITY_HEADERS:
        assert name in headers, f"no {name} header"
    assert headers["content-security-policy"] == site_policy() + "; frame-ancestors 'none'"
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["server"] == "nginx"  # server_tokens off: no version


def test_security_headers_are_on_pages_assets_and_errors(server):
    status, headers, body = server.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert_security_headers(headers)
    # The page's own <meta> policy is the header's, less what only a header can say.
    assert f'<meta http-equiv="Content-Security-Policy" content="{site_policy()}">' in body.decode()

    status, headers, body = server.get("/khong-co-trang-nay/")
    assert status == 404
    assert_security_headers(headers)
    page = body.decode()
    assert '<html lang="vi">' in page and "<h1>Không tìm thấy trang</h1>" in page
    assert 'href="/"' in page and 'href="/tim-kiem/"' in page and page.rstrip().endswith("</html>")

    for asset in ("/theme/css/site.css", "/theme/js/search.js", "/pagefind/shards.json"):
        status, headers, _ = server.get(asset)
        assert status == 200, asset
        assert_security_headers(headers)
    if (server.live / "admin/index.html").is_file():  # the editor (when Decap CMS is installed) keeps its own policy
        status, headers, body = server.get("/admin/")
        assert status == 200 and headers["content-security-policy"] == "frame-ancestors 'self'"
        assert b'http-equiv="Content-Security-Policy"' in body


def test_no_folder_listing_hidden_file_or_other_method(server):
    hidden = server.live.resolve() / ".khong-cong-bo"
    hidden.write_text("bí mật", "utf-8")
    try:
        for path in ("/theme/", "/theme/css/", "/.khong-cong-bo", "/404.html"):
            status, headers, body = server.get(path)
            assert status == 404, path
            assert "Không tìm thấy trang" in body.decode(), path
            assert_security_headers(headers)
    finally:
        hidden.unlink()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("POST", "/", body=b"x")
    response = connection.getresponse()
    assert response.status == 405 and "content-security-policy" in {k.lower() for k, _ in response.getheaders()}
    connection.close()


@pytest.mark.parametrize("path, cache_control", [
    ("/", "no-cache"),
    (NEWS_PAGE, "no-cache"),
    ("/khong-co-trang-nay/", "no-cache"),
    ("/feeds/all.atom.xml", "no-cache"),
    ("/sitemap.xml", "no-cache"),
    ("/robots.txt", "no-cache"),
    ("/du-lieu/index.json", "no-cache"),
    ("/pagefind/shards.json", "no-cache"),
    ("/theme/css/site.css", "public, max-age=86400"),
    ("/media/2024/lich-tiep-dan.txt", "public, max-age=604800"),
])
def test_caching_per_kind_of_file(server, path, cache_control):
    status, headers, _ = server.get(path)
    assert status in (200, 404) and headers["cache-control"] == cache_control
    assert "etag" in headers or status == 404


def test_pagefinds_hashed_files_are_immutable_and_its_entry_points_are_not(server):
    pagefind = server.live / "pagefind"
    hashed = sorted(pagefind.glob("*/fragment/*.pf_fragment"))[0].relative_to(server.live)
    assert server.get(f"/{hashed}")[1]["cache-control"] == "public, max-age=31536000, immutable"
    entry = sorted(pagefind.glob("*/pagefind-entry.json"))[0].relative_to(server.live)
    assert server.get(f"/{entry}")[1]["cache-control"] == "no-cache"
    script = sorted(pagefind.glob("*/pagefind.js"))[0].relative_to(server.live)
    assert server.get(f"/{script}")[1]["cache-control"] == "public, max-age=3600"


def test_pages_revalidate_and_text_is_compressed(server):
    status, headers, plain = server.get("/")
    status, again, _ = server.get("/", **{"If-None-Match": headers["etag"]})
    assert status == 304 and again["cache-control"] == "no-cache"
    assert_security_headers(again)
    for path in ("/", "/theme/css/site.css", "/du-lieu/index.json"):
        status, headers, body = server.get(path, **{"Accept-Encoding": "gzip"})
        assert headers.get("content-encoding") == "gzip" and "Accept-Encoding" in headers.get("vary", ""), path
    assert gzip.decompress(server.get("/", **{"Accept-Encoding": "gzip"})[2]) == plain


def test_https_with_the_shipped_snippet_serves_the_site_and_redirects_plain_http(server, tmp_path):
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=cchc.laocai.gov.vn",
                           "-addext", "subjectAltName=DNS:cchc.laocai.gov.vn", "-keyout", str(key), "-out", str(certificate)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    run, ports = tmp_path / "nginx", {}

    def write_sites(port):
        ports["https"] = free_port()
        (run / "cchc-tls.conf").write_text(tls_config(ports["https"], certificate, key), "utf-8")
        (run / "cchc.conf").write_text(site_config(port, server.live, tls=run / "cchc-tls.conf"), "utf-8")

    with nginx(run, write_sites) as http_port:
        context = ssl.create_default_context(cafile=str(certificate))
        context.check_hostname = False  # the certificate names the portal; the test dials 127.0.0.1
        for _ in range(100):  # the HTTPS port listens with the HTTP one, give or take a moment
            try:
                status, headers, body = get(ports["https"], "/", context)
                break
            except ConnectionRefusedError:
                time.sleep(0.02)
        assert status == 200 and body.rstrip().endswith(b"</html>")
        assert_security_headers(headers)
        status, headers, body = get(ports["https"], "/khong-co-trang-nay/", context)
        assert status == 404 and "Không tìm thấy trang" in body.decode()
        assert_security_headers(headers)
        status, headers, _ = get(http_port, "/tin-bai/?trang=2")
        assert status == 301 and headers["location"] == "https://cchc.laocai.gov.vn/tin-bai/?trang=2"
        assert_security_headers(headers)


# --- Release switches under load --------------------------------------------------------

WATCHED = ["/", "/tin-bai/", NEWS_PAGE, "/luu-tru/", "/feeds/all.atom.xml", "/sitemap.xml", "/theme/css/site.css",
           "/pagefind/shards.json", "/khong-co-trang-nay/"]
MAX_REQUESTS = 100_000  # a bound besides the time the switches take (loopback only)
PAUSE = 0.001  # between two requests of a thread: the builds get the CPU too


def served_versions(release: Path) -> dict[str, tuple[int, str]]:
    """What each watched address must answer from this release: the file, or the 404 page."""
    versions = {}
    for path in WATCHED:
        file = release / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        status, file = (200, file) if file.is_file() else (404, release / "404.html")
        versions[path] = (status, hashlib.sha256(file.read_bytes()).hexdigest())
    return versions


class Load:
    """Threads that request the watched addresses over keep-alive connections until told to stop."""

    def __init__(self, port: int, threads: int = 2):
        self.port, self.stop, self.lock = port, threading.Event(), threading.Lock()
        self.seen: Counter = Counter()  # (path, status, sha256) -> times
        self.errors: list = []
        self.requests = 0
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _run(self, offset: int):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        seen, errors, count = Counter(), [], 0
        while not self.stop.is_set() and self.requests + count < MAX_REQUESTS:
            path = WATCHED[(count + offset) % len(WATCHED)]
            count += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append((path, repr(exc)))
                connection.close()
                continue
            if body.startswith(b"<!DOCTYPE html>") and not body.rstrip().endswith(b"</html>"):
                errors.append((path, "half a page"))
            seen[(path, response.status, hashlib.sha256(body).hexdigest())] += 1
            time.sleep(PAUSE)
            if count % 500 == 0:
                with self.lock:
                    self.seen += seen
                    self.errors += errors
                    self.requests += count
                    seen, errors, count = Counter(), [], 0
        connection.close()
        with self.lock:
            self.seen += seen
            self.errors += errors
            self.requests += count


def test_release_switches_under_load_never_show_an_error_or_a_mix(server):
    live, repo = server.live, server.repo
    allowed, steps = {}, []  # address -> what some release answers there (read while it is kept)

    def allow(release: Path):
        for path, version in served_versions(release).items():
            allowed.setdefault(path, set()).add(version)

    def switch(*command):
        result = cchc(*command, "--output", str(live), *(("--repo", str(repo)) if command[0] == "build" else ()))
        assert result.returncode == 0, result.stderr
        allow(live.resolve())
        steps.append(command[0])

    allow(live.resolve())

    log_before = len((server.run / "access.log").read_bytes().splitlines())
    clock = time.monotonic()
    with Load(server.port) as load:
        write(repo / NEWS, article("Thông báo lịch tiếp công dân (sửa giờ tiếp)"))
        switch("build")
        (repo / NEWS).unlink()  # gone from the site: its address answers 404 from this release on
        switch("build")
        switch("rollback")
        write(repo / NEWS, article("Thông báo lịch tiếp công dân tháng 6"))
        switch("build")
        switch("rollback")
        time.sleep(0.2)  # requests on the last release too
    seconds = time.monotonic() - clock

    assert load.errors == []
    assert load.requests < MAX_REQUESTS, "the load stopped before the last switch"
    unexpected = {key: n for key, n in load.seen.items() if (key[1], key[2]) not in allowed[key[0]]}
    assert unexpected == {}, "responses that are no release's version of the page"
    # Every version the item had in a release was served: the load covered each release.
    versions_of_item = {(status, digest) for (path, status, digest) in load.seen if path == NEWS_PAGE}
    assert versions_of_item == allowed[NEWS_PAGE] and len(versions_of_item) >= 4
    assert {status for status, _ in versions_of_item} == {200, 404}
    logged = (server.run / "access.log").read_bytes().splitlines()[log_before:]
    statuses = Counter(line.split(b'" ', 1)[1].split()[0].decode() for line in logged)
    assert set(statuses) <= {"200", "404"} and statuses["200"] > 0
    print(f"\n{load.requests} requests in {seconds:.1f} s over {len(steps)} switches ({', '.join(steps)}): "
          f"statuses {dict(statuses)}, {len(load.errors)} errors, {len({k for k in load.seen})} distinct responses")
