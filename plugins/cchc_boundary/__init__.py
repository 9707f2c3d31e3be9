"""The build's guard on the content tree's boundary: Pelican copies no file from outside
content/media/, through a symbolic link, or to a place outside the output folder; the
production build also copies no media file a browser could run (cchc.media).

The reader already refuses items whose links or media paths leave the tree (they never
reach Pelican's list of static links); this is the last look, at the list of files the
static generator is about to copy, before it copies any.
"""

import logging
import os
import posixpath

from cchc import media
from cchc.boundary import in_symlink, symlink_finding
from cchc.findings import Finding
from pelican import signals

logger = logging.getLogger("cchc.boundary")


def _refusal(build, static, limits: dict) -> Finding | None:
    content_dir = build.portal.content
    source = os.path.abspath(static.source_path)
    relative = os.path.relpath(source, os.path.abspath(content_dir)).replace(os.sep, "/")
    shown = f"content/{relative}"
    if relative.startswith("../") or relative == ".." or os.path.isabs(relative):
        return Finding(shown if not relative.startswith("..") else source, 1, 1, "scope", "error",
                       "tệp nằm ngoài thư mục content/ nên không được sao chép lên Cổng")
    if in_symlink(source, content_dir) or os.path.realpath(source) != source:
        return symlink_finding(shown)
    if not relative.startswith("media/") or any(part.startswith(".") for part in relative.split("/")):
        return Finding(shown, 1, 1, "scope", "error", "chỉ tệp trong content/media/ được đăng dưới dạng tệp; tệp này nằm ngoài đó")
    save_as = posixpath.normpath(static.save_as.replace(os.sep, "/"))
    if save_as.startswith("../") or save_as == ".." or posixpath.isabs(save_as):
        return Finding(shown, 1, 1, "scope", "error", f"tệp sẽ được ghi ra ngoài thư mục trang ({static.save_as})")
    if build.production:
        problem = media.active_problem(relative, content_dir, limits)
        if problem:
            return Finding(shown, 1, 1, problem[0], "error", problem[1])
    return None


def guard(build, generator) -> None:
    kept, limits = [], build.portal.quality()
    for static in generator.staticfiles:
        finding = _refusal(build, static, limits)
        if finding is None:
            kept.append(static)
            continue
        logger.error(finding.text(), extra={"finding": finding})
        generator.context.get("static_content", {}).pop(static.relative_source_path, None)
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = generator.staticfiles


def connect(build):
    build.on(signals.static_generator_finalized, lambda generator: guard(build, generator))
