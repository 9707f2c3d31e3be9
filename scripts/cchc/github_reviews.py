"""The GitHub engine: from the REST payloads of a pull request (the pull request, its
files, its commits and its reviews), decide whether every file has an approval from a
board member allowed for it who is not an author of the change.

A reviewer's latest review counts (comments aside), as GitHub shows it: an approval
later dismissed, or followed by a request for changes, does not count.
"""

from datetime import date

from .board import Roster, Route, missing_approvals

COUNTED_STATES = {"APPROVED", "CHANGES_REQUESTED", "DISMISSED"}


def _flatten(payload) -> list[dict]:
    """`gh api --paginate --slurp` wraps pages in a list; a single page is a list of objects."""
    if payload and isinstance(payload[0], list):
        return [entry for page in payload for entry in page]
    return list(payload)


def latest_states(reviews: list[dict]) -> dict[str, str]:
    states = {}
    for review in sorted(_flatten(reviews), key=lambda r: (r.get("submitted_at") or "", r["id"])):
        if review["state"] in COUNTED_STATES and review.get("user"):
            states[review["user"]["login"]] = review["state"]
    return states


def decide(pull: dict, files: list[dict], commits: list[dict], reviews: list[dict], roster: Roster, on: date) -> tuple[list[Route], list[tuple[Route, str]], dict]:
    """Routes of the changed files, the problems, and who approved (member ids by login)."""
    pull = pull.get("pull_request", pull)  # the workflow's event payload wraps the pull request
    approved = {}
    for login, state in latest_states(reviews).items():
        member = roster.by_login(login)
        if state == "APPROVED" and member:
            approved[login] = member["id"]
    author_logins = {pull["user"]["login"]} | {c["author"]["login"] for c in _flatten(commits) if c.get("author")}
    authors = {m["id"] for login in author_logins if (m := roster.by_login(login))}
    paths = []
    for changed in _flatten(files):
        paths.append(changed["filename"])
        if changed.get("previous_filename"):
            paths.append(changed["previous_filename"])  # leaving a field needs that field's approval too
    routes = [roster.route(path, on) for path in dict.fromkeys(paths)]
    return routes, missing_approvals(routes, set(approved.values()), authors), approved
