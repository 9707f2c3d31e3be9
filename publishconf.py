"""Production settings: the public site at https://cchc.laocai.gov.vn."""

import runpy
from pathlib import Path

# The development settings of this same portal, read by path: neither the folder a
# command runs in nor sys.path decides which pelicanconf.py this is.
globals().update({k: v for k, v in runpy.run_path(str(Path(__file__).resolve().parent / "pelicanconf.py")).items() if k.isupper()})

SITEURL = "https://cchc.laocai.gov.vn"
FEED_DOMAIN = SITEURL
PRODUCTION = True
# Revisions are pages of the site itself (cchc_history: /<item>/phien-ban/<n>/), never
# links to the Git host: the content repository may be private.
