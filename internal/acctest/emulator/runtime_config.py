"""Delays for the emulated PrivateLink state transitions, changeable at runtime.

Tests shorten or lengthen them through POST /_emulator/config, so every read
goes through a lock instead of module constants.
"""

import math
import threading

KEYS = ("available_after", "delete_after")


class EmulatorConfig:
    def __init__(self, available_after: float = 1.0, delete_after: float = 1.0):
        self._lock = threading.Lock()
        self._values = {"available_after": 0.0, "delete_after": 0.0}
        self.update({"available_after": available_after, "delete_after": delete_after})

    @property
    def available_after(self) -> float:
        with self._lock:
            return self._values["available_after"]

    @property
    def delete_after(self) -> float:
        with self._lock:
            return self._values["delete_after"]

    def snapshot(self) -> dict:
        with self._lock:
            return dict(self._values)

    def update(self, changes: dict) -> dict:
        """Validate everything first so a bad request changes nothing."""
        if not isinstance(changes, dict):
            raise ValueError("config must be a JSON object")
        unknown = sorted(set(changes) - set(KEYS))
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(unknown)}")
        parsed = {}
        for key, value in changes.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{key} must be a number of seconds")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{key} must be a finite number >= 0")
            parsed[key] = float(value)
        with self._lock:
            self._values.update(parsed)
            return dict(self._values)
