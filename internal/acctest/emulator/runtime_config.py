"""Every emulator knob: timing of state transitions and AWS's unfriendliness.

Tests change knobs through POST /_emulator/config, so every read goes
through a lock instead of module constants.  Each request works on one
snapshot() taken when it starts, so a knob never changes halfway through
an answer.  update() validates the whole change before applying any of it.

The realism knobs are ON by default: a provider that only passes against a
cooperative emulator would meet these behaviours for the first time on AWS.
"""

import math
import random
import threading

# key: (kind, default).  Kinds: seconds (float >= 0), rate (0..1),
# count (int >= 0), flag (bool), range (two seconds, min <= max), seed (int).
SPEC = {
    # Lifecycle timing.
    "available_after": ("seconds", 1.0),
    "delete_after": ("seconds", 1.0),
    # Eventual consistency (EC2 API reference, "Eventual consistency").
    "visibility_delay": ("seconds", 1.5),
    "flicker_window": ("seconds", 5.0),
    "flicker_rate": ("rate", 0.25),
    "stale_after_modify": ("seconds", 1.0),
    # Pagination (EC2 API reference, "Pagination"; openshift/hive 2661).
    "page_size": ("count", 4),
    "empty_first_page_rate": ("rate", 0.1),
    # Malformed IDs (EC2 API reference, "Error codes": *.Malformed).
    "check_id_format": ("flag", True),
    # ClientToken (EC2 developer guide, "Ensuring idempotency").
    "replay_client_token": ("flag", True),
    # No promised order of list members.
    "shuffle_order": ("flag", True),
    # Concurrent request handling and per-request latency.
    "concurrent": ("flag", True),
    "latency": ("range", (0.0, 0.02)),
    # Route 53 changes stay PENDING this long before GetChange says INSYNC
    # (route53_patches; API_ChangeInfo.html).  AWS: "Changes generally
    # propagate to all Route 53 name servers within 60 seconds" (Route 53
    # Developer Guide, resource-record-sets-editing.html).  3 s is nearer
    # that than the 1 s it was, long enough that a waiter polls more than
    # once, and short enough for tests that wait for several changes in a
    # row; set it higher (up to 60) to rehearse AWS's worst.
    "route53_insync_after": ("seconds", 3.0),
    # Seed of every random decision above (not of IDs or addresses).
    "seed": ("seed", None),
}
KEYS = tuple(SPEC)

# Latency is spent on a request thread; an hour would only hang the tests.
_MAX_LATENCY = 60.0


def _parse(key: str, value):
    kind, _ = SPEC[key]
    if kind == "flag":
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if kind == "range":
        if (
            not isinstance(value, (list, tuple))
            or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value)
        ):
            raise ValueError(f"{key} must be [min, max] in seconds")
        low, high = float(value[0]), float(value[1])
        if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < low:
            raise ValueError(f"{key} must be [min, max] with 0 <= min <= max")
        if high > _MAX_LATENCY:
            raise ValueError(f"{key} must not exceed {_MAX_LATENCY:g} seconds")
        return (low, high)
    if kind in ("count", "seed"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key} must be an integer")
        if value < 0:
            raise ValueError(f"{key} must be >= 0")
        if value >= 2**53:  # JSON clients (Go's float64) must read it back exactly
            raise ValueError(f"{key} must be below 2^53")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key} must be a number" + (" of seconds" if kind == "seconds" else ""))
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{key} must be a finite number >= 0")
    if kind == "rate" and value > 1:
        raise ValueError(f"{key} must be between 0 and 1")
    return float(value)


def parse_value(key: str, text: str):
    """Parse a command-line value for key (e.g. "0.5", "false", "0,0.02")."""
    if key not in SPEC:
        raise ValueError(f"unknown config key {key}")
    kind, _ = SPEC[key]
    text = text.strip()
    if kind == "flag":
        lowered = text.lower()
        if lowered not in ("true", "false", "1", "0", "on", "off", "yes", "no"):
            raise ValueError(f"{key} must be true or false, not {text!r}")
        return _parse(key, lowered in ("true", "1", "on", "yes"))
    if kind == "range":
        parts = text.split(",")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise ValueError(f"{key} must be MIN,MAX in seconds, not {text!r}") from None
        if len(values) == 1:
            values *= 2
        return _parse(key, values)
    if kind in ("count", "seed"):
        try:
            return _parse(key, int(text))
        except ValueError:
            raise ValueError(f"{key} must be an integer, not {text!r}") from None
    try:
        return _parse(key, float(text))
    except ValueError as e:
        if "could not convert" in str(e):
            raise ValueError(f"{key} must be a number, not {text!r}") from None
        raise


class EmulatorConfig:
    def __init__(self, available_after: float = 1.0, delete_after: float = 1.0, **knobs):
        self._lock = threading.Lock()
        self._values = {k: default for k, (_, default) in SPEC.items()}
        # Bumped whenever the seed is set, so that a re-seeded run starts
        # its sequence of random decisions from the beginning.
        self._epoch = 0
        self._seq = 0
        knobs.update(available_after=available_after, delete_after=delete_after)
        if knobs.get("seed") is None:
            knobs["seed"] = random.SystemRandom().randrange(2**31)
        self.update(knobs)

    @property
    def available_after(self) -> float:
        with self._lock:
            return self._values["available_after"]

    @property
    def delete_after(self) -> float:
        with self._lock:
            return self._values["delete_after"]

    @property
    def seed(self) -> int:
        with self._lock:
            return self._values["seed"]

    def snapshot(self) -> dict:
        with self._lock:
            return dict(self._values)

    def to_json(self) -> dict:
        out = self.snapshot()
        out["latency"] = list(out["latency"])
        return out

    def next_request(self) -> tuple[dict, int, int]:
        """One request's config snapshot, the seed and its sequence number.

        The number counts requests since the seed was last set, so the same
        calls in the same order after POST {"seed": N} draw the same
        random decisions (with several clients at once, arrival order decides).
        """
        with self._lock:
            self._seq += 1
            return dict(self._values), self._values["seed"], self._seq

    def update(self, changes: dict) -> dict:
        """Validate everything first so a bad request changes nothing."""
        if not isinstance(changes, dict):
            raise ValueError("config must be a JSON object")
        unknown = sorted(set(changes) - set(KEYS))
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(unknown)}")
        parsed = {key: _parse(key, value) for key, value in changes.items()}
        with self._lock:
            self._values.update(parsed)
            if "seed" in parsed:
                self._epoch += 1
                self._seq = 0
            return dict(self._values)
