"""The portal a command works on: one folder holding content/, the settings, the schemas,
the theme and the plugins.

Every command works on the portal it is run in (the nearest folder upwards with
`content/` and `pelicanconf.py`) or on the one `--repo` names. Nothing is found through
the location of the installed package: installed with `pip install .`, `-e` or from a
wheel, `cchc` behaves the same, and two clones on one machine never touch each other.
"""

from dataclasses import dataclass
from pathlib import Path

MARKERS = ("content", "pelicanconf.py")


class PortalNotFound(Exception):
    """No portal here: the message says where it looked and what to do, in Vietnamese."""


@dataclass(frozen=True)
class Portal:
    root: Path
    # Where the rules come from when not from `root`: the audit judges an old commit's
    # content (root: a scratch checkout of it) by today's settings, schemas and
    # registries (the current checkout), never by the ones the commit held.
    rules_root: Path | None = None

    @property
    def _rules(self) -> Path:
        return self.rules_root or self.root

    @classmethod
    def find(cls, start: Path | None = None) -> "Portal":
        """The portal holding `start` (default: the current folder)."""
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if cls._is_portal(folder):
                return cls(folder)
        raise PortalNotFound(f"không tìm thấy Cổng Thông tin: {here} và các thư mục cha không có content/ và pelicanconf.py; "
                             "hãy chạy lệnh trong thư mục kho nội dung hoặc chỉ rõ bằng --repo")

    @classmethod
    def at(cls, root: Path) -> "Portal":
        """The portal exactly at `root` (for --repo): no search upwards."""
        root = Path(root).resolve()
        if not cls._is_portal(root):
            raise PortalNotFound(f"{root} không phải thư mục kho của Cổng Thông tin (thiếu content/ hoặc pelicanconf.py)")
        return cls(root)

    @classmethod
    def of(cls, value: "Portal | Path | str") -> "Portal":
        return value if isinstance(value, Portal) else cls.at(Path(value))

    @staticmethod
    def _is_portal(folder: Path) -> bool:
        return (folder / "content").is_dir() and (folder / "pelicanconf.py").is_file()

    # Where each part lives. One place says it; modules ask the portal.
    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def data(self) -> Path:
        return self._rules / "content" / "data"

    @property
    def schema_dir(self) -> Path:
        return self._rules / "schemas"

    @property
    def theme(self) -> Path:
        return self._rules / "theme"

    @property
    def plugins(self) -> Path:
        return self._rules / "plugins"

    @property
    def admin(self) -> Path:
        """The contributors' editor (Decap CMS): page, generated configuration, npm lock."""
        return self.theme / "admin"

    @property
    def hook_template(self) -> Path:
        return self.root / "scripts" / "hooks" / "pre-receive"

    @property
    def cache(self) -> Path:
        """Caches of this portal's builds (content read, history, templates)."""
        return self.root / ".cchc-cache"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def settings_file(self, production: bool = False) -> Path:
        return self._rules / ("publishconf.py" if production else "pelicanconf.py")

    @property
    def schemas(self):
        from . import schemas

        return schemas.at(self.schema_dir)

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the portal when inside it."""
        path = Path(path).absolute()
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def quality(self) -> dict:
        """The gate's quality bar (`limits.quality` of the rules catalogue)."""
        from .rules import catalogue

        return catalogue.limits()["quality"]
