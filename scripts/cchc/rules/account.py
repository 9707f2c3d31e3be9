"""`account`: only active contributors send items (Điều 5.6.đ, Điều 11.2–11.4)."""

from ..dates import parse
from . import catalogue

ACCOUNT = catalogue.rule("account")
RULES = (ACCOUNT,)


def check_item(item, context):
    contributors = context.registries.contributors
    for index, author in enumerate(item.meta.get("authors", [])):
        place = item.source.position("authors", index)
        entry = contributors.get(author)
        if entry is None:
            yield ACCOUNT.at(item.path, place, f"tác giả “{author}” không có trong content/data/contributors.yml")
        elif entry["status"] != "active":
            since = f" từ {entry['revoked_date']}" if entry.get("revoked_date") else ""
            yield ACCOUNT.at(item.path, place, f"tài khoản “{author}” đã bị thu hồi{since}; không được gửi tin")


def _accounts_by_email(registries) -> dict[str, dict]:
    """Contributors and board members, by the e-mail of their commits."""
    accounts = {}
    for entry in list(registries.board.values()) + list(registries.contributors.values()):
        email = (entry.get("git") or {}).get("email")
        if email:
            accounts[email.lower()] = entry
    return accounts


def check_change(change, context):
    accounts = _accounts_by_email(context.registries)
    for commit in change.commits:
        where = (f"commit {commit.sha[:10]}", (1, 1))
        entry = accounts.get(commit.email.lower())
        if entry is None:
            yield ACCOUNT.at(where[0], where[1], _unknown_sender(commit, context.registries))
            continue
        revoked = entry.get("status") == "revoked" or entry.get("end")
        cutoff = entry.get("revoked_date") or entry.get("end")
        when = context.received.get(commit.sha, commit.date)  # the server's clock where known
        if revoked and (cutoff is None or when >= parse(cutoff)):
            yield ACCOUNT.at(where[0], where[1], f"tài khoản “{entry['id']}” ({commit.email}) đã bị thu hồi{' từ ' + cutoff if cutoff else ''}; commit này không được nhận")


def _unknown_sender(commit, registries) -> str:
    """Whose commit it is, where the e-mail is missing and how to register it."""
    text = (f"commit mang tên người gửi “{commit.name}” và thư điện tử “{commit.email}”; thư điện tử này không có trong "
            "content/data/contributors.yml (cộng tác viên) hay content/data/board.yml (Ban Biên tập)")
    likely = [entry for entry in list(registries.contributors.values()) + list(registries.board.values())
              if commit.name.casefold() in {str(entry.get("name", "")).casefold(), str((entry.get("git") or {}).get("username", "")).casefold()}]
    if likely:
        entry = likely[0]
        registered = (entry.get("git") or {}).get("email")
        text += (f"; tài khoản “{entry['id']}” cùng tên đang ghi git.email “{registered}”: commit lại bằng thư điện tử đó "
                 "(git config user.email) hoặc sửa git.email" if registered else
                 f"; tài khoản “{entry['id']}” cùng tên chưa ghi thư điện tử Git")
    return text + (f". Cách sửa: thêm vào mục của người gửi trường git.email, ví dụ “git: {{email: {commit.email}}}”, "
                   "rồi chạy lại cchc check")
