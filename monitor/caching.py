"""Per-process caches of values that never change under their key (no invalidation needed, only eviction)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable


class ReadCache:
    """A small thread-safe LRU of decoded values of rows that never change once written (a snapshot's payload and
    summary; a return's answers at one version). Keyed by the row's id *and* something that changes with every
    write (a compile time and fingerprint; a version and time of the change), so a key is never reused by other
    content, even in a recreated database."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], load: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The cached value or None, without loading (for callers that may read but must not fill the cache)."""
        with self._lock:
            return self._items.get(key)

    def discard(self, key: tuple[Any, ...] | None) -> None:
        with self._lock:
            self._items.pop(key, None)  # type: ignore[arg-type]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
