"""Production settings: the public site at https://cchc.laocai.gov.vn."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://cchc.laocai.gov.vn"
FEED_DOMAIN = SITEURL
PRODUCTION = True
# Each revision links to its source at that commit, on the host that runs the build.
if os.environ.get("GITHUB_REPOSITORY"):
    SOURCE_BLOB_URL = os.environ.get("GITHUB_SERVER_URL", "https://github.com") + "/" + os.environ["GITHUB_REPOSITORY"] + "/blob/{sha}/{path}"
else:
    SOURCE_BLOB_URL = os.environ.get("CCHC_SOURCE_BLOB_URL")
