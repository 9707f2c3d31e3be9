"""Production settings: the public site at https://cchc.laocai.gov.vn."""

import os
import runpy
from pathlib import Path

# The development settings of this same portal, read by path: neither the folder a
# command runs in nor sys.path decides which pelicanconf.py this is.
globals().update({k: v for k, v in runpy.run_path(str(Path(__file__).resolve().parent / "pelicanconf.py")).items() if k.isupper()})

SITEURL = "https://cchc.laocai.gov.vn"
FEED_DOMAIN = SITEURL
PRODUCTION = True
# Each revision links to its source at that commit, on the host that runs the build.
if os.environ.get("GITHUB_REPOSITORY"):
    SOURCE_BLOB_URL = os.environ.get("GITHUB_SERVER_URL", "https://github.com") + "/" + os.environ["GITHUB_REPOSITORY"] + "/blob/{sha}/{path}"
else:
    SOURCE_BLOB_URL = os.environ.get("CCHC_SOURCE_BLOB_URL")
