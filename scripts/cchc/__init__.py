"""The CCHC portal's publishing system: content model, checks, build and tools.

The package holds code only. The portal it works on (content, schemas, settings, theme,
plugins) is the folder a command runs in, or `--repo`: see `cchc.portal.Portal`.
"""
