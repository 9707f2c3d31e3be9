"""The CCHC portal's publishing system: content model, checks, build and tools."""

from pathlib import Path

# The repository root: scripts/cchc/ lives two levels below it.
REPO_ROOT = Path(__file__).resolve().parents[2]
