#!/bin/sh
# The scheduled build of the portal (systemd/cchc-build.service): take what was approved
# on the Git server, build it with the production settings and switch the live site.
# Run in the portal's checkout, as the user who owns it and the output.
#
# A failed `git pull` (server unreachable, history rewritten) still rebuilds what is
# checked out, so embargoes and consultation windows still open and close on time; the
# run then ends with status 1 so the failure shows in `systemctl status`.
set -u
cd "${CCHC_PORTAL:-/srv/cchc}" || exit 1
output="${CCHC_OUTPUT:-/var/www/cchc}"
pulled=0
if ! git pull -q --ff-only; then
    echo "lỗi [build] không lấy được thay đổi mới từ kho Git (git pull --ff-only); dựng lại bản đang có trên máy" >&2
    pulled=1
fi
.venv/bin/cchc build --production --repo . --output "$output" || exit $?
exit "$pulled"
