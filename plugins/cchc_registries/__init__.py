"""Loads the registries of content/data/ once per build and gives them to templates.

The reader finds them in settings["REGISTRIES"]; templates see fields, units, board…
"""

from pathlib import Path

from cchc import registries
from pelican import signals


def load_registries(pelican):
    pelican.settings["REGISTRIES"] = registries.load(Path(pelican.settings["PATH"]))


def add_to_context(generator):
    generator.context.update(generator.settings["REGISTRIES"].as_context())


def register():
    signals.initialized.connect(load_registries)
    signals.generator_init.connect(add_to_context)
