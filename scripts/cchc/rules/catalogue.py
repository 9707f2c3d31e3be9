"""The rules catalogue (catalogue.yml beside this file, under catalogue.schema.json):
each rule's id, severity, ground, article, legal sources and whether production runs
it, and the word lists and limits the checks apply. It ships with the package: a rule
and the check that reads its lists change together."""

import functools
import json
from importlib import resources
from pathlib import Path

from jsonschema import Draft202012Validator

from ..frontmatter import lookup_position, read_yaml_file
from .base import Rule

# Package data (pyproject.toml), read where the package is installed.
FILE = Path(str(resources.files(__package__).joinpath("catalogue.yml")))
SCHEMA = Path(str(resources.files(__package__).joinpath("catalogue.schema.json")))
SHOWN = "scripts/cchc/rules/catalogue.yml"


class CatalogueError(Exception):
    """The catalogue does not match its schema: no rule can run."""


@functools.cache
def load() -> tuple[dict, dict]:
    """(data, positions) of the catalogue, validated."""
    data, positions = read_yaml_file(FILE, SHOWN)
    errors = sorted(Draft202012Validator(json.loads(SCHEMA.read_text("utf-8"))).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise CatalogueError("; ".join(f"{SHOWN}: {'/'.join(map(str, e.path))}: {e.message}" for e in errors))
    ids = [r["id"] for r in data["rules"]]
    if len(ids) != len(set(ids)):
        raise CatalogueError(f"{SHOWN}: mã quy tắc bị trùng")
    return data, positions


def rules() -> dict[str, Rule]:
    """Every rule, in the catalogue's order."""
    return {r["id"]: Rule(r["id"], r["severity"], r["ground"], r["article"], tuple(r["sources"]), r["production"], r["refuses"])
            for r in load()[0]["rules"]}


def rule(rule_id: str) -> Rule:
    return rules()[rule_id]


def lists() -> dict:
    return load()[0]["lists"]


def limits() -> dict:
    return load()[0]["limits"]


def position(*keys) -> tuple[int, int]:
    """Line and column in catalogue.yml of a key path, e.g. ("rules", 2, "sources")."""
    return lookup_position(load()[1], keys)
