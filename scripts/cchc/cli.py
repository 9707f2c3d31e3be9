"""The `cchc` command: build, serve, new… Every message a contributor reads is Vietnamese."""

import contextlib
import sys
from pathlib import Path

import click

from . import clickvi

clickvi.install()  # Click's own usage, errors and headings in Vietnamese
REPO_HELP = "Thư mục kho của Cổng (mặc định: kho chứa thư mục hiện tại)."
repo_option = click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None, help=REPO_HELP)


def portal_of(repo: Path | None):
    """The portal a command works on: `--repo`, else the one holding the current folder.
    Not found: the reason in Vietnamese and exit 2."""
    from .portal import Portal, PortalNotFound

    try:
        return Portal.at(repo) if repo is not None else Portal.find()
    except PortalNotFound as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(2)


@contextlib.contextmanager
def _refused(*errors, code: int = 1):
    """The errors a command expects end it with their Vietnamese message and `code`
    (1: refused, 2: usage or Git error). Findings already carry path and rule."""
    from .findings import ContentError
    from .oserrors import describe

    try:
        yield
    except errors as exc:
        if isinstance(exc, ContentError):
            text = str(exc)
        elif isinstance(exc, OSError):  # never the system's English text: Vietnamese, naming the file
            text = f"lỗi: {describe(exc)}"
        else:
            text = f"lỗi: {exc}"
        click.echo(text, err=True)
        sys.exit(code)


@click.group(help="Công cụ của Cổng Thông tin điện tử Ban Chỉ đạo CCHC tỉnh Lào Cai.")
def main():
    pass


@main.command(help="Dựng trang (cài đặt phát triển, hoặc --production cho trang công khai).")
@click.option("--production", is_flag=True, help="Dùng publishconf.py (https://cchc.laocai.gov.vn).")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Thư mục kết quả (mặc định: output/).")
@repo_option
@click.option("--timings", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Ghi thời gian từng bước (JSON).")
def build(production, output, repo, timings):
    _exit_at_once(_build(production, output, repo, timings))


def _build(production, output, repo, timings) -> int:
    """Build and report; the exit status (0: released, 1: refused, the live site as it was)."""
    from .build import BuildFailed
    from .build import build as run_build

    portal = portal_of(repo)
    target = (output or portal.output).absolute()
    try:
        report = run_build(portal, production=production, output=target)
    except OSError as exc:  # the output folder cannot be written, the disk is full…
        from .oserrors import describe

        click.echo(f"lỗi [build] {describe(exc)}", err=True)
        click.echo("Dựng trang thất bại; trang đang chạy giữ nguyên như trước.", err=True)
        return 1
    except BuildFailed as exc:
        for line in exc.report.notices + exc.report.lines():
            click.echo(line, err=True)
        click.echo(f"Dựng trang thất bại: {len(exc.report.lines())} lỗi; trang đang chạy giữ nguyên như trước.", err=True)
        return 1
    for line in report.notices:
        click.echo(line, err=True)
    if timings:
        import json

        timings.write_text(json.dumps(report.timings, indent=1), "utf-8")
    reused = f" ({report.pages_linked} trang không đổi, dùng lại từ bản trước)" if report.pages_linked else ""
    click.echo(f"Đã dựng {report.pages} trang vào {target}{reused}")
    return 0


def _exit_at_once(code: int) -> None:
    """End the process without tearing down the build's heap: freeing the objects of
    5,000 items one by one took 0.3 s after every build. Everything that matters is done
    by then: output flushed here, threads and worker processes joined and temporary
    folders removed by the build itself."""
    import logging
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


@main.command(help="Quay lại bản phát hành trước của trang.")
@click.option("--output", type=click.Path(path_type=Path), required=True, help="Thư mục trang đang chạy.")
def rollback(output):
    from .publish import rollback as go_back

    with _refused(OSError):
        release = go_back(output.absolute())
    click.echo(f"Trang đang chạy là bản phát hành {release.name}")


@main.command(help="Gỡ một nội dung theo quyết định của cấp có thẩm quyền (Điều 8.4).")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--decision", required=True, help="Số ký hiệu quyết định, ví dụ 12/QĐ-BCĐ.")
@click.option("--date", "decision_date", required=True, help="Ngày quyết định (NĂM-THÁNG-NGÀY).")
@click.option("--reason", required=True, help="Lý do gỡ bỏ (hiện trên trang).")
def withdraw(path, decision, decision_date, reason):
    from .dates import parse
    from .findings import ContentError
    from .withdraw import withdraw as record

    try:
        parse(decision_date)
    except ValueError:
        raise click.UsageError(f"ngày “{decision_date}” phải có dạng NĂM-THÁNG-NGÀY") from None
    with _refused(ContentError):
        record(path, decision, decision_date, reason, str(path))
    click.echo(f"Đã ghi quyết định gỡ bỏ vào {path}; trang giữ địa chỉ, hiện thông báo gỡ bỏ và rời các danh sách.")


@main.command(help="Sao lưu kho (git bundle) và trang đã dựng, kèm mã SHA-256 (Điều 11.5).")
@click.argument("target", type=click.Path(path_type=Path, file_okay=False))
@click.option("--site", type=click.Path(path_type=Path), default=None, help="Thư mục trang đã dựng (mặc định: output/).")
@repo_option
def backup(target, site, repo):
    from .backup import BackupError
    from .backup import backup as make_backup

    portal = portal_of(repo)
    with _refused(BackupError, OSError):
        folder = make_backup(portal.root, target, site or portal.output)
    click.echo(f"Đã sao lưu vào {folder}")


@main.command(help="Khôi phục kho từ một bản sao lưu (git bundle).")
@click.argument("bundle", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("target", type=click.Path(path_type=Path))
def restore(bundle, target):
    from .backup import BackupError
    from .backup import restore as bring_back

    with _refused(BackupError, OSError):
        bring_back(bundle, target)
    click.echo(f"Đã khôi phục kho vào {target}")


@main.command(help="Dựng trang rồi phục vụ tại http://localhost:8000.")
@click.option("--port", default=8000, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True)
@repo_option
def serve(port, bind, repo):
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    output = portal_of(repo).output
    handler = partial(SimpleHTTPRequestHandler, directory=str(output))
    try:  # the port first: no one should wait for a build to learn it is taken
        server = ThreadingHTTPServer((bind, port), handler)
    except OSError as exc:
        click.echo(f"lỗi: không mở được cổng {port} trên {bind} ({exc.strerror}): có thể một chương trình khác đang dùng cổng này; "
                   f"dừng chương trình đó hoặc chọn cổng khác, ví dụ “cchc serve --port {port + 1}”", err=True)
        sys.exit(2)
    if _build(False, output, repo, None) != 0:
        server.server_close()
        sys.exit(1)
    with server:
        click.echo(f"Đang phục vụ tại http://localhost:{port}/ (Ctrl+C để dừng)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@main.command(help="Kiểm tra nội dung theo các căn cứ từ chối của Điều 4.6.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", help="So với nhánh này (ví dụ origin/main): kiểm tra những gì nhánh hiện tại thay đổi.")
@click.option("--format", "output_format", type=click.Choice(["text", "github", "json"]), default="text", show_default=True)
@repo_option
@click.option("--record", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Ghi thêm kết quả vào nhật ký JSON Lines (cho báo cáo năm).")
def check(paths, base, output_format, repo, record):
    from . import report as formats
    from .change import GitError
    from .check import run

    portal = portal_of(repo)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        click.echo(f"lỗi: không có tệp {', '.join(missing)}", err=True)
        sys.exit(2)
    if base and paths:
        click.echo("lỗi: dùng hoặc danh sách tệp, hoặc --base, không dùng cả hai", err=True)
        sys.exit(2)
    with _refused(GitError, code=2):
        result = run(portal, [Path(p) for p in paths] or None, base, working_tree=True)
    click.echo({"text": formats.as_text, "github": formats.as_github, "json": formats.as_json}[output_format](result))
    if record:
        formats.append_record(result, record, base)
    if output_format == "github":
        formats.write_step_summary(result)
    sys.exit(0 if result.accepted else 1)


@main.command(help="Liệt kê các quy tắc kiểm tra (mã, mức, căn cứ, điều khoản, nguồn pháp lý và hiệu lực của nguồn).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="markdown: bảng quy tắc của README.md.")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None, help=REPO_HELP)
def rules(output_format, repo):
    import json

    from . import dates, registries, rules_table
    from .findings import ContentError
    from .portal import Portal, PortalNotFound

    try:
        sources = registries.load(Portal.at(repo) if repo else Portal.find()).legal_sources
    except (PortalNotFound, ContentError):
        sources = None  # outside a portal: the rules without their sources' status
    on = dates.now().date()
    if output_format == "json":
        click.echo(json.dumps(rules_table.records(sources, on), ensure_ascii=False, indent=2))
    elif output_format == "markdown":
        click.echo(rules_table.markdown(sources))
    else:
        click.echo(rules_table.text(sources, on))


@main.command(help="Cho mỗi tệp nội dung thay đổi: lĩnh vực và thành viên Ban Biên tập được duyệt.")
@click.option("--base", default="main", show_default=True, help="Nhánh cơ sở để so sánh.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@repo_option
def reviewers(base, output_format, repo):
    import json

    from .board import Roster, today
    from .change import GitError, branch_change
    from .gitapproval import approved_by, identity_missing

    portal = portal_of(repo)
    with _refused(GitError, code=2):
        change = branch_change(portal.root, base)
    roster = Roster.at_commit(portal.root, change.base)  # the roster of the base: a branch cannot name its own reviewers
    paths = list(dict.fromkeys(p for f in change.files for p in (f.old_path, f.path) if p))
    routes = [roster.route(path, today()) for path in paths]
    approved, authors = approved_by(portal.root, change.base, "HEAD", roster)
    files = []
    for r in routes:
        lacking = {i: identity_missing(roster.members[i]) for i in r.approvers}
        files.append({"path": r.path, "field": r.field, "approvers": [i for i in r.approvers if not lacking[i]],
                      "approved": [i for i in r.approvers if i in approved and i not in authors],
                      "without_identity": [{"id": i, "missing": lacking[i]} for i in r.approvers if lacking[i]]})
    if output_format == "json":
        click.echo(json.dumps({"files": files}, ensure_ascii=False, indent=2))
        return

    def names(ids):
        return ", ".join(f"{roster.members[i]['name']} ({i})" for i in ids)

    for entry in files:
        click.echo(f"{entry['path']}  [{entry['field'] or '—'}]  duyệt: {names(entry['approvers']) or 'chưa có ai duyệt được'}")
        click.echo(f"    đã duyệt commit mới nhất: {names(entry['approved']) or 'chưa có ai'}")
        for lacking in entry["without_identity"]:
            click.echo(f"    chưa duyệt được: {names([lacking['id']])} — content/data/board.yml chưa ghi {', '.join(lacking['missing'])}; "
                       "Trưởng ban cần bổ sung trước khi thành viên này duyệt")


@main.command(help="Sinh .github/CODEOWNERS từ content/data/board.yml (--check: báo lỗi nếu tệp đã cũ).")
@click.option("--check", "check_only", is_flag=True, help="Chỉ kiểm tra; thoát 1 nếu tệp khác bản sinh ra.")
@repo_option
def codeowners(check_only, repo):
    from . import registries
    from .board import Roster
    from .codeowners import render
    from .findings import ContentError

    portal = portal_of(repo)
    with _refused(ContentError):
        regs = registries.load(portal)
    wanted = render(Roster(list(regs.board.values())), list(regs.fields))
    target = portal.root / ".github" / "CODEOWNERS"
    if check_only:
        if not target.exists() or target.read_text("utf-8") != wanted:
            click.echo(".github/CODEOWNERS: lỗi [account] tệp đã cũ so với content/data/board.yml; chạy “cchc codeowners” rồi commit", err=True)
            sys.exit(1)
        click.echo(".github/CODEOWNERS khớp với danh sách Ban Biên tập")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(wanted, "utf-8")
    click.echo(f"Đã ghi {portal.shown(target)}")


@main.command(help="GitHub: mỗi tệp đã được đúng thành viên phụ trách (không phải người gửi) duyệt chưa?")
@click.option("--pr", "pr_file", type=click.File(encoding="utf-8"), required=True, help="JSON của pull request (hoặc tệp sự kiện của workflow).")
@click.option("--files", "files_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /pulls/{n}/files.")
@click.option("--commits", "commits_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /pulls/{n}/commits.")
@click.option("--reviews", "reviews_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /pulls/{n}/reviews.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@repo_option
def approvals(pr_file, files_file, commits_file, reviews_file, output_format, repo):
    import json

    from . import registries
    from .board import Roster, today
    from .findings import ContentError
    from .github_reviews import decide

    with _refused(ContentError):
        roster = Roster(list(registries.load(portal_of(repo)).board.values()))
    routes, problems, approved = decide(json.load(pr_file), json.load(files_file), json.load(commits_file), json.load(reviews_file), roster, today())
    if output_format == "json":
        click.echo(json.dumps({"approved": not problems, "approvers": sorted(set(approved.values())),
                               "missing": [{"path": r.path, "field": r.field, "approvers": list(r.approvers), "reason": why} for r, why in problems]},
                              ensure_ascii=False, indent=2))
    else:
        for route, why in problems:
            line = f"{route.path}: {why}"
            click.echo(f"::error file={route.path},title=Chưa đủ phê duyệt::{why}" if output_format == "github" else line)
        click.echo("ĐÃ DUYỆT ĐỦ" if not problems else f"CHƯA DUYỆT ĐỦ: {len(problems)} tệp")
    sys.exit(0 if not problems else 1)


# --- approvals given on GitHub, archived in Git (approval_records) ---
@main.command("record-approvals", help="Sau khi hợp nhất trên GitHub: lưu các lượt duyệt của pull request vào Git (refs/notes/cchc-approvals).")
@click.option("--pr", "pr_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /commits/{sha}/pulls (hoặc của pull request).")
@click.option("--reviews", "reviews_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /pulls/{n}/reviews.")
@click.option("--commits", "commits_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /pulls/{n}/commits.")
@click.option("--files", "files_file", type=click.File(encoding="utf-8"), required=True, help="JSON của GET /pulls/{n}/files.")
@click.option("--merge", default="HEAD", show_default=True, help="Commit hợp nhất của pull request.")
@repo_option
def record_approvals(pr_file, reviews_file, commits_file, files_file, merge, repo):
    import json

    from .approval_records import NOTES_REF, RecordError, record
    from .gitcmd import GitError

    with _refused(RecordError, GitError):
        made, written = record(portal_of(repo).root, merge, *(json.load(f) for f in (pr_file, reviews_file, commits_file, files_file)))
    number, sha = made["pull_request"]["number"], made["merge"][:10]
    click.echo(f"Đã lưu {len(made['reviews'])} lượt duyệt của pull request #{number} vào {NOTES_REF} (commit {sha})" if written
               else f"Commit {sha} đã có bản ghi phê duyệt; giữ nguyên (bản ghi chỉ được ghi một lần)")
# --- end of approval records ---


@main.command(help="Thành viên Ban Biên tập ghi phê duyệt của mình cho nhánh hiện tại.")
@click.option("--base", default="main", show_default=True)
@repo_option
def approve(base, repo):
    from .gitapproval import ApprovalError
    from .gitapproval import approve as record
    from .gitcmd import GitError

    with _refused(ApprovalError, GitError):
        sha = record(portal_of(repo).root, base)
    click.echo(f"Đã ghi phê duyệt (commit {sha[:10]})")


@main.command(help="Hợp nhất một nhánh vào main khi đã đủ phê duyệt (ghi Approved-by vào commit hợp nhất).")
@click.argument("branch")
@click.option("--into", default="main", show_default=True)
@repo_option
def merge(branch, into, repo):
    from .gitapproval import ApprovalError
    from .gitapproval import merge as do_merge
    from .gitcmd import GitError

    with _refused(ApprovalError, GitError):
        sha = do_merge(portal_of(repo).root, branch, into)
    click.echo(f"Đã hợp nhất {branch} vào {into} (commit {sha[:10]})")


@main.group(help="Các hook phía máy chủ Git.")
def hook():
    pass


@hook.command("pre-receive", help="Chạy bởi máy chủ Git: đọc các dòng “cũ mới ref” từ đầu vào chuẩn.")
def pre_receive():
    import os

    from .hook import pre_receive as guard

    git_dir = Path(os.environ.get("GIT_DIR", ".")).resolve()
    problems = guard(git_dir, sys.stdin.read().splitlines())
    for line in problems:
        click.echo(f"CCHC: {line}", err=True)
    if problems:
        click.echo("CCHC: đẩy lên bị từ chối theo Quy chế 399/QĐ-BCĐ.", err=True)
        sys.exit(1)


@main.command("install-hook", help="Cài hook pre-receive vào một kho bare trên máy chủ.")
@click.argument("bare_repo", type=click.Path(path_type=Path, file_okay=False, exists=True))
@repo_option
def install_hook(bare_repo, repo):
    from .hook import HookInstallError, install

    try:
        target = install(portal_of(repo), bare_repo, sys.executable)
    except HookInstallError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Đã cài {target}")


@main.command(help="Kiểm toán lịch sử main theo quy tắc hiện hành: thay đổi nội dung nào thiếu phê duyệt hợp lệ hoặc không đạt kiểm tra.")
@click.option("--since", default=None, help="Chỉ xét các commit sau REF này (mặc định: mốc ghi trong content/data/audit.yml).")
@click.option("--push-log", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Nhật ký đẩy lên do hook ghi (mặc định: cchc-push-log.jsonl trong thư mục Git của kho).")
@repo_option
def audit(since, repo, push_log):
    from . import pushguard
    from .audit import audit as run_audit

    from . import golive
    from .findings import ContentError
    from .gitcmd import GitError, succeeds

    portal = portal_of(repo)
    root = portal.root
    from_date = None
    if since is None:
        with _refused(ContentError, code=2):
            point = golive.load(portal)
        if point is None:
            click.echo(f"lỗi: chưa có mốc bắt đầu kiểm toán: {golive.HOW_TO}", err=True)
            sys.exit(2)
        if point.after_commit and not succeeds(root, "rev-parse", "--verify", "-q", f"{point.after_commit}^{{commit}}"):
            click.echo(f"lỗi: {golive.SHOWN}: không có commit {point.after_commit} trong kho này; sửa “after_commit” cho đúng mã commit trên main", err=True)
            sys.exit(2)
        since, from_date = point.after_commit, point.from_date
        click.echo(f"Lưu ý: {point.describe()}", err=True)
    log = push_log or pushguard.default_log(root)
    if pushguard.read_log(log) is None:
        click.echo(f"Lưu ý: không có nhật ký đẩy lên ({log}); thời hạn của thành viên được xét theo ngày ghi trong commit, có thể bị ghi lùi.", err=True)
    with _refused(GitError, code=2):
        findings = run_audit(root, since, push_log=log, from_date=from_date)
    for finding in findings:
        click.echo(finding.text())
    click.echo(f"{len(findings)} vấn đề" if findings else "Mọi thay đổi nội dung đều được duyệt đúng thẩm quyền và đạt kiểm tra")
    sys.exit(1 if findings else 0)


@main.command(help="Thu hồi tài khoản cộng tác viên (Điều 5.6.đ).")
@click.argument("account")
@click.option("--reason", required=True, help="Lý do thu hồi.")
@click.option("--date", "on", default=None, help="Ngày thu hồi (mặc định hôm nay).")
@repo_option
def revoke(account, reason, on, repo):
    from .accounts import AccountError
    from .accounts import revoke as do_revoke

    portal = portal_of(repo)
    with _refused(AccountError):
        do_revoke(portal.data / "contributors.yml", account, reason, on)
    click.echo(f"Đã thu hồi tài khoản {account}; các commit sau ngày thu hồi sẽ bị từ chối")


@main.group(help="Báo cáo cho Ban Biên tập: chỉ tiêu tin, bài; nhuận bút; đúng hạn; báo cáo năm.")
def report():
    pass


def _report_options(formats):
    def decorate(command):
        command = repo_option(command)
        command = click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Ghi ra tệp thay vì màn hình.")(command)
        return click.option("--format", "output_format", type=click.Choice(formats), default="table", show_default=True)(command)
    return decorate


def _emit(result, output_format, output):
    from . import report_render

    rendered = {"table": report_render.as_table, "csv": report_render.as_csv, "json": report_render.as_json,
                "md": report_render.as_markdown, "html": report_render.as_html}[output_format](result)
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    if output:
        output.write_bytes(data)
        click.echo(f"Đã ghi {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _ledger(repo):
    from . import ledger, registries

    portal = portal_of(repo)
    return ledger.load(portal), registries.load(portal), portal.root


def _day(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}” phải có dạng NĂM-THÁNG-NGÀY") from None


@report.command(help="Số tin, bài mỗi đơn vị đã đăng theo tháng, so với chỉ tiêu (Điều 6.2.d).")
@click.option("--year", type=int, required=True)
@click.option("--month", type=click.IntRange(1, 12), default=None)
@_report_options(["table", "csv", "json"])
def quota(year, month, output_format, output, repo):
    from .reports import quota as make

    entries, regs, _ = _ledger(repo)
    _emit(make(entries, regs, year, month), output_format, output)


@report.command(help="Nhuận bút theo tác giả trong một kỳ (Điều 9, Điều 12.2.c).")
@click.option("--from", "start", required=True, help="Từ ngày (NĂM-THÁNG-NGÀY).")
@click.option("--to", "end", required=True, help="Đến hết ngày (NĂM-THÁNG-NGÀY).")
@_report_options(["table", "csv", "json"])
def royalties(start, end, output_format, output, repo):
    from .reports import royalties as make

    entries, regs, _ = _ledger(repo)
    _emit(make(entries, regs, _day(start), _day(end)), output_format, output)


@report.command(help="Tỷ lệ tin đăng trong 24 giờ, văn bản trong 48 giờ, theo đơn vị (Điều 8.1.c).")
@click.option("--from", "start", required=True)
@click.option("--to", "end", required=True)
@_report_options(["table", "csv", "json"])
def timeliness(start, end, output_format, output, repo):
    from .reports import timeliness as make

    entries, regs, _ = _ledger(repo)
    _emit(make(entries, regs, _day(start), _day(end)), output_format, output)


@report.command(help="Câu hỏi chưa được trả lời và quá hạn trả lời (Điều 8.2.b, 8.3.c).")
@_report_options(["table", "csv", "json"])
def questions(output_format, output, repo):
    from . import dates, ledger, registries
    from .reports import questions as make

    portal = portal_of(repo)
    _emit(make(ledger.load(portal, unpublished=True), registries.load(portal), dates.now().date()), output_format, output)


@report.command(help="Báo cáo năm về hoạt động của Cổng Thông tin (Điều 10.3, 11.6).")
@click.option("--year", type=int, required=True)
@click.option("--gate-log", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Nhật ký của cchc check --record.")
@_report_options(["table", "csv", "json", "md", "html"])
def annual(year, gate_log, output_format, output, repo):
    from .reports import annual as make

    entries, regs, repo_path = _ledger(repo)
    _emit(make(entries, regs, year, gate_log or repo_path / "reports/gate-log.jsonl"), output_format, output)


@main.command(help="Đo tốc độ dựng trang, kiểm tra và lịch sử so với Pelican thuần.")
@click.option("--items", type=int, default=5000, show_default=True)
@click.option("--commits", type=int, default=20000, show_default=True)
@click.option("--json", "json_file", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--layout", "layouts", type=click.Choice(["years", "one-year"]), multiple=True,
              help="Cách xếp các mục theo năm (mặc định: cả hai, mỗi cách một lượt đo có mốc riêng).")
@repo_option
def bench(items, commits, json_file, layouts, repo):
    import json

    from .bench import LAYOUTS, run, table

    result = run(items, commits, portal_of(repo), tuple(layouts) or tuple(LAYOUTS))
    click.echo(table(result))
    if json_file:
        json_file.write_text(json.dumps(result, indent=1), "utf-8")


@main.command("editor-config", help="Sinh cấu hình trình soạn thảo (Decap CMS) theme/admin/config.yml từ schemas/ và danh mục.")
@click.option("--check", "check_only", is_flag=True, help="Chỉ kiểm tra; thoát 1 nếu tệp đã cũ.")
@click.option("--repository", default="OWNER/REPOSITORY", show_default=True, help="Kho GitHub (chủ/tên) cho backend github.")
@repo_option
def editor_config(check_only, repository, repo):
    from . import registries
    from .editor import render
    from .findings import ContentError

    portal = portal_of(repo)
    target = portal.admin / "config.yml"
    current = target.read_text("utf-8") if target.exists() else ""
    if repository == "OWNER/REPOSITORY" and "repo: " in current:  # keep the repository already configured
        repository = current.split("repo: ", 1)[1].split("\n", 1)[0].strip()
    with _refused(ContentError):
        wanted = render(portal, registries.load(portal), repository)
    if check_only:
        if current != wanted:
            click.echo(f"{portal.shown(target)}: lỗi [schema] cấu hình trình soạn thảo đã cũ so với schemas/ và danh mục; chạy “cchc editor-config”", err=True)
            sys.exit(1)
        click.echo(f"{portal.shown(target)} khớp với schemas/ và danh mục")
        return
    target.write_text(wanted, "utf-8")
    click.echo(f"Đã ghi {portal.shown(target)}")


@main.command("preview-summary", help="Liệt kê các trang mà nhánh hiện tại thêm, sửa hoặc gỡ so với --base, kèm địa chỉ (Markdown).")
@click.option("--base", required=True, help="Commit hoặc nhánh cơ sở (pull request: base.sha).")
@click.option("--artifact-url", default=None, help="Địa chỉ gói bản xem trước (đầu ra artifact-url của upload-artifact).")
@repo_option
def preview_summary(base, artifact_url, repo):
    from .change import GitError, branch_change
    from .preview import page_changes, summary

    root = portal_of(repo).root
    with _refused(GitError, code=2):
        change = branch_change(root, base)
    click.echo(summary(*page_changes(root, change), artifact_url or None))


from .scaffold import new  # noqa: E402  (registers `cchc new`)

main.add_command(new)
clickvi.localise(main)
