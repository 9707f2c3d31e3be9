"""What one build carries between its stages and its Pelican plugins, on one object.

`cchc build` makes a `BuildState`, hands it to every plugin (each plugin module has
`connect(build)`, called when Pelican registers it) and reads back what the plugins
recorded (page digests, counts). Nothing of it lives in Pelican's settings dict or in
module globals, so plugins do not depend on their order in PLUGINS (the registries are
loaded before Pelican starts; the history is a future any plugin may wait for) and two
builds in one process never see each other's state. Receivers are connected for this
build only and disconnected when it ends.
"""

import functools
import importlib
import sys
import threading
import types
from dataclasses import dataclass, field
from datetime import datetime

from .portal import Portal
from .registries import Registries


class Background:
    """A result computed in a thread (the history, read while the reader works);
    `result()` waits for it and raises what the thread raised."""

    def __init__(self, work, *args):
        self._value, self._error = None, None
        self._thread = threading.Thread(target=self._run, args=(work, *args), daemon=True)
        self._thread.start()

    def _run(self, work, *args):
        try:
            self._value = work(*args)
        except Exception as exc:  # noqa: BLE001 - raised again by result()
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


@dataclass
class BuildState:
    portal: Portal
    production: bool
    now: datetime
    registries: Registries
    settings: dict = field(default_factory=dict)  # this build's Pelican settings (values only, nothing of the state)
    previous: tuple | None = None  # (live release folder, its publish.Manifest) to reuse pages from
    content: object | None = None  # the reader's content cache (cchc_reader.CacheState)
    history: Background | None = None  # {path: [Revision]} and the Git root, read from Git
    writer: object | None = None  # the writer of this build (cchc_reuse.ReusingWriter): digests, counts
    items: list = field(default_factory=list)  # every published item, hidden ones included
    writing_tasks: list = field(default_factory=list)  # callables that write files of their own from the finished context
    tasks_taken: bool = False  # a writing process took the tasks (cchc_parallel)
    forks: list = field(default_factory=list)  # writing processes to wait for
    _connections: list = field(default_factory=list)

    def on(self, signal, receiver) -> None:
        """Connect `receiver` to a Pelican (blinker) signal for this build only."""
        signal.connect(receiver, weak=False)
        self._connections.append((signal, receiver))

    def bind(self, cls: type) -> type:
        """A subclass of `cls` that knows this build (Pelican makes readers, writers and
        generators from classes it is given, with its own arguments)."""
        return type(cls.__name__, (cls,), {"build": self, "__module__": cls.__module__})

    def plugins(self, names: list[str]) -> list[types.ModuleType]:
        """Pelican plugins for the portal's plugin modules, each connected to this build
        when Pelican registers it (a module object, so Pelican names it as usual)."""
        folder = str(self.portal.plugins)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        plugins = []
        for name in names:
            plugin = types.ModuleType(name)
            plugin.register = functools.partial(importlib.import_module(name).connect, self)
            plugins.append(plugin)
        return plugins

    def close(self) -> None:
        for signal, receiver in self._connections:
            signal.disconnect(receiver)
        self._connections.clear()
