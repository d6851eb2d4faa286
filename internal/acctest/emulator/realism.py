"""Per-request context and locking: how requests interleave.

AWS serves calls concurrently: a describe can run while another client's
modify is in flight, and answers arrive after some network latency.  moto is
not thread-safe, so its data structures are guarded by a readers-writer lock:
Describe*/Get*/List* calls share it, every other call holds it alone.  Timed
state transitions have a small lock of their own (privatelink_lifecycle).
Latency is slept before any lock is taken.  With the `concurrent` knob off,
each request holds the lock exclusively from start to end, latency included:
one request at a time, as before this module existed.

Every random decision of a request (latency, flicker, empty first pages,
shuffles) comes from one random.Random seeded with (seed, request number),
so the same calls in the same order repeat the same decisions.
"""

import contextlib
import random
import threading
import time

from runtime_config import EmulatorConfig

_local = threading.local()
_fallback = random.Random(0)


class RequestContext:
    def __init__(self, config: dict, seed: int, seq: int):
        self.config = config
        self.seq = seq
        # A str seed is hashed with SHA-512: stable across processes.
        self.rng = random.Random(f"{seed}:{seq}")


def begin_request(config: EmulatorConfig) -> RequestContext:
    snapshot, seed, seq = config.next_request()
    ctx = RequestContext(snapshot, seed, seq)
    _local.ctx = ctx
    return ctx


def end_request() -> None:
    _local.ctx = None


def current() -> RequestContext | None:
    return getattr(_local, "ctx", None)


_default_config: EmulatorConfig | None = None


def set_default_config(config: EmulatorConfig) -> None:
    global _default_config
    _default_config = config


def knob(name: str):
    """The knob as the current request saw it at its start."""
    ctx = current()
    if ctx is not None:
        return ctx.config[name]
    if _default_config is not None:
        return _default_config.snapshot()[name]
    raise RuntimeError("no emulator config")


def rng() -> random.Random:
    ctx = current()
    return ctx.rng if ctx is not None else _fallback


class RWLock:
    """Many readers or one writer; a waiting writer holds off new readers."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def read(self):
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def write(self):
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# Guards moto's backends (all services: ELBv2 and STS read EC2's models too).
BACKEND_LOCK = RWLock()

_READ_PREFIXES = ("Describe", "Get", "List")


def is_read_only(service: str, action: str) -> bool:
    """EC2 Describe*/Get* calls only read moto's models."""
    return service == "ec2" and action.startswith(_READ_PREFIXES)


def latency(ctx: RequestContext) -> float:
    low, high = ctx.config["latency"]
    return ctx.rng.uniform(low, high) if high > 0 else 0.0


@contextlib.contextmanager
def serve(ctx: RequestContext, service: str, action: str, due, sweep):
    """Hold what the request needs while the app handles it.

    due() tells whether timed state transitions are due; sweep() finishes
    them and needs the lock exclusively, so a reader runs it (when due)
    before taking its shared lock.
    """
    delay = latency(ctx)
    if not ctx.config["concurrent"]:
        with BACKEND_LOCK.write():
            time.sleep(delay)
            sweep()
            yield
        return
    time.sleep(delay)  # outside any lock: overlapping calls interleave
    if is_read_only(service, action):
        if due():
            with BACKEND_LOCK.write():
                sweep()
        with BACKEND_LOCK.read():
            yield
    else:
        with BACKEND_LOCK.write():
            sweep()
            yield
