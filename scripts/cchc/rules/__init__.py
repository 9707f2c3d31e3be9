"""The refusal rules of Điều 4.6, one module per rule or close family.

A rule module declares `RULES` (data: id, severity, ground, article) and may define
`check_item(item, context)` for each content file and `check_change(change, context)`
for what a branch does as a whole (deletions, renames, commit authors). Adding a rule
is adding a module here: nothing else needs to know.
"""

import importlib
import pkgutil

from .base import Rule

_MODULES = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__) if info.name != "base"]

RULES: dict[str, Rule] = {rule.id: rule for module in _MODULES for rule in getattr(module, "RULES", ())}
ITEM_CHECKS = [module.check_item for module in _MODULES if hasattr(module, "check_item")]
# Which rule ids each item check can report, so a caller can run only some rules.
ITEM_CHECK_RULES = {module.check_item: {rule.id for rule in module.RULES} for module in _MODULES if hasattr(module, "check_item")}
# The harm rules: the production build refuses to publish on any of them, whoever
# reviewed the item (ARCHITECTURE.md: the last line of defence).
HARM_RULES = {"schema", "scope", "secret", "not-public", "unsafe-html", "personal-data"}
CHANGE_CHECKS = [module.check_change for module in _MODULES if hasattr(module, "check_change")]
ORDER = ["schema", "scope", "secret", "not-public", "source", "duplicate", "reverify", "quality",
         "unsafe-html", "personal-data", "account", "archive", "timeliness"]

__all__ = ["RULES", "ITEM_CHECKS", "ITEM_CHECK_RULES", "HARM_RULES", "CHANGE_CHECKS", "ORDER", "Rule"]
