"""The refusal rules of Điều 4.6, one module per rule or close family.

What each rule is (id, severity, ground, article, legal sources, whether production runs
it, order) and the word lists and limits are data: catalogue.yml. A rule module takes
its rules from there into `RULES` and may define
`check_item(item, context)` for each content file and `check_change(change, context)`
for what a branch does as a whole (deletions, renames, commit authors). Adding a rule
is adding it to the catalogue and, for a new kind of check, a module here.
"""

import importlib
import pkgutil

from . import catalogue
from .base import Rule

_MODULES = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__) if info.name not in ("base", "catalogue")]

RULES: dict[str, Rule] = catalogue.rules()
ITEM_CHECKS = [module.check_item for module in _MODULES if hasattr(module, "check_item")]
# Which rule ids each item check can report, so a caller can run only some rules.
ITEM_CHECK_RULES = {module.check_item: {rule.id for rule in module.RULES} for module in _MODULES if hasattr(module, "check_item")}
# The harm rules: the production build refuses to publish on any of them, whoever
# reviewed the item (ARCHITECTURE.md: the last line of defence).
HARM_RULES = {rule.id for rule in RULES.values() if rule.production and rule.severity == "error"}
CHANGE_CHECKS = [module.check_change for module in _MODULES if hasattr(module, "check_change")]
ORDER = list(RULES)

__all__ = ["RULES", "ITEM_CHECKS", "ITEM_CHECK_RULES", "HARM_RULES", "CHANGE_CHECKS", "ORDER", "Rule"]
