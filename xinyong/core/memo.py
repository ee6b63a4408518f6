"""Reference data kept in each process for the hot paths (the check's measures and lists,
the matters' commitment rules): loaded from the database, reloaded once older than a few
seconds — how stale another process's view may be — and at once in this process after a
change (``forget``). One lock, so that a reload under load happens once, not per thread."""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Reloaded(Generic[T]):
    def __init__(self, load: Callable[[], T], seconds: float):
        self._load = load
        self.seconds = seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._at = 0.0

    def get(self) -> T:
        """The value, reloaded first when it is older than ``seconds`` (or forgotten)."""
        value, at = self._value, self._at
        if value is not None and time.monotonic() - at < self.seconds:
            return value
        with self._lock:
            if self._value is None or time.monotonic() - self._at >= self.seconds:
                self._value, self._at = self._load(), time.monotonic()
            return self._value

    def forget(self) -> None:
        """After a change: the next read in this process reloads."""
        self._value = None
