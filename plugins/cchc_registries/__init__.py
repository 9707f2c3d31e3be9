"""Templates see the registries of content/data/ (fields, units, board…), loaded once by
`cchc build` before Pelican starts."""

from pelican import signals


def connect(build):
    def add_to_context(generator):
        generator.context.update(build.registries.as_context())

    build.on(signals.generator_init, add_to_context)
