"""Counting requests per client address or per email address, an hour at a time.

Keys are hashed, so the cache never holds an email address. The counts live in the
configured cache (per process with the default local-memory cache: set a shared cache,
e.g. the database cache, when serving with several processes)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

HOUR = 3600


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, kind: str, value: str) -> str:
    return f"throttle:{scope}:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def throttled(scope: str, limits: list[tuple[str, str, int]]) -> bool:
    """True when any (kind, value, limit) has reached its limit this hour; otherwise count
    this request against each of them and answer False."""
    if any(cache.get(_key(scope, kind, value), 0) >= limit for kind, value, limit in limits):
        return True
    for kind, value, _limit in limits:
        key = _key(scope, kind, value)
        cache.add(key, 0, HOUR)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, HOUR)
    return False
