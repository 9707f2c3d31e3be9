"""`cchc revoke`: withdraw an account's access (Điều 5.6.đ, Điều 11.4).

The entry stays in contributors.yml, with its status, date and reason, so the history
of who sent what stays explainable. ruamel.yaml edits the file in place and keeps the
officials' comments and the order of keys, which a load-and-dump would lose.
"""

from pathlib import Path

from ruamel.yaml import YAML

from .dates import now


class AccountError(Exception):
    pass


def revoke(contributors_file: Path, account: str, reason: str, on: str | None = None) -> None:
    yaml = YAML()  # round-trip, YAML 1.2
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = yaml.load(contributors_file.read_text("utf-8"))
    entry = next((e for e in data["contributors"] if e["id"] == account), None)
    if entry is None:
        raise AccountError(f"không có tài khoản “{account}” trong {contributors_file.name}")
    if entry["status"] == "revoked":
        raise AccountError(f"tài khoản “{account}” đã bị thu hồi từ {entry.get('revoked_date', 'trước')}")
    entry["status"] = "revoked"
    entry["revoked_date"] = on or now().date().isoformat()
    entry["revoked_reason"] = reason
    with open(contributors_file, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
