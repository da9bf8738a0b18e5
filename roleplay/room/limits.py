"""Limits that keep a room server usable when someone misbehaves: a request rate per
device (a token bucket) and a join code that locks out after a few wrong tries.

Both read time from an injected clock (monotonic seconds), so tests move the clock
instead of sleeping.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from roleplay.core.facilitation import Clock

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a projector is typed right the first time."""
CODE_LENGTH = 6


def new_code() -> str:
    """A fresh join code: six characters, about 30 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass
class RateLimit:
    """At most ``rate`` requests a second per key, with bursts up to ``burst``."""

    rate: float = 5.0
    burst: float = 10.0
    clock: Clock = time.monotonic
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Per key: tokens left and when they were counted."""
    max_keys: int = 2000

    def allow(self, key: str) -> bool:
        """Whether one more request from ``key`` may go ahead now (and count it)."""
        now = self.clock()
        tokens, then = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        if len(self.buckets) > self.max_keys:
            self._forget_full(now)
        return True

    def _forget_full(self, now: float) -> None:
        """Drop the keys whose bucket has refilled: they are as good as new."""
        for key, (tokens, then) in list(self.buckets.items()):
            if tokens + (now - then) * self.rate >= self.burst:
                del self.buckets[key]


@dataclass
class CodeGate:
    """The short join code: a few misses lock one address out for a while, and too many
    misses in all close the code for the session (the link and QR code still work)."""

    code: str = field(default_factory=new_code)
    misses_allowed: int = 5
    lockout_seconds: float = 300.0
    total_misses_allowed: int = 50
    clock: Clock = time.monotonic
    misses: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, float] = field(default_factory=dict)
    total_misses: int = 0

    @property
    def closed(self) -> bool:
        """Whether the code no longer works this session (too many misses in all)."""
        return self.total_misses >= self.total_misses_allowed

    def check(self, address: str, typed: str) -> str:
        """``ok``, ``wrong``, ``locked`` (this address, for now) or ``closed``."""
        if self.closed:
            return "closed"
        now = self.clock()
        if self.locked_until.get(address, 0.0) > now:
            return "locked"
        normal = "".join(typed.split()).upper()[: CODE_LENGTH * 2]
        if secrets.compare_digest(normal.encode(), self.code.encode()):
            self.misses.pop(address, None)
            return "ok"
        self.total_misses += 1
        count = self.misses.get(address, 0) + 1
        if count >= self.misses_allowed:
            self.locked_until[address] = now + self.lockout_seconds
            self.misses.pop(address, None)
            return "locked"
        self.misses[address] = count
        return "closed" if self.closed else "wrong"
