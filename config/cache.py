"""The cache that every web and worker process shares: Redis, tolerant of Redis being away.

It holds the API rate-limit counters (apps.api.throttling) and the shortlist cache
(apps.matching.shortlist_cache). Neither may turn a Redis outage into failed requests ("Redis down:
reading shortlists keeps working"), so an unreachable Redis reads as a miss and a write is
dropped, logged; after a failure the process leaves Redis alone for ``RETRY_AFTER`` seconds instead of
waiting for a timeout on every request. ``clear()`` deletes this cache's keys only: the Redis database
may also hold Celery's queues.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds a process skips Redis after a connection error


def cache_settings(url: str, *, key_prefix: str = "tsumiki") -> dict:
    """``CACHES["default"]`` for ``url``: Redis (``redis://``, ``rediss://``, ``unix://``) or, empty, a
    per-process memory cache (one process only: tests, runserver)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tsumiki"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"the cache URL must be a Redis URL (redis://host:6379/1), not {url.split(':')[0]}:")
    return {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        # short socket timeouts: a lost Redis costs a request at most this long, once per RETRY_AFTER
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "health_check_interval": 30},
    }


def is_shared(alias_settings: dict) -> bool:
    """Whether a CACHES entry is seen by every process (not a per-process memory or dummy cache)."""
    backend = alias_settings.get("BACKEND", "")
    return not backend.endswith(("LocMemCache", "DummyCache"))


class _Breaker:
    def __init__(self) -> None:
        self.down_until = 0.0

    def closed(self) -> bool:
        return time.monotonic() >= self.down_until

    def trip(self, op: str, error: Exception) -> None:
        if self.closed():
            log.warning("cache: Redis unreachable during %s (%s); skipping it for %.0fs", op, error, RETRY_AFTER)
        self.down_until = time.monotonic() + RETRY_AFTER


class TolerantRedisCacheClient(RedisCacheClient):
    """Django's Redis client; a Redis error is a miss (reads) or a dropped write, never an exception."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._breaker = _Breaker()
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        # One client per connection pool, kept: Django builds a new redis.Redis for every operation, which
        # costs more than a GET. A client is safe to share between threads (connections come from the pool).
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _guard(self, op: str, fallback, call, *args):
        if not self._breaker.closed():
            return fallback
        try:
            return call(*args)
        except self._lib.exceptions.RedisError as e:  # ConnectionError, TimeoutError, ...
            self._breaker.trip(op, e)
            return fallback

    def add(self, key, value, timeout):
        return self._guard("add", False, super().add, key, value, timeout)

    def get(self, key, default):
        return self._guard("get", default, super().get, key, default)

    def set(self, key, value, timeout):
        return self._guard("set", None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._guard("touch", False, super().touch, key, timeout)

    def delete(self, key):
        return self._guard("delete", False, super().delete, key)

    def get_many(self, keys):
        return self._guard("get_many", {}, super().get_many, keys)

    def has_key(self, key):
        return self._guard("has_key", False, super().has_key, key)

    def set_many(self, data, timeout):
        return self._guard("set_many", None, super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._guard("delete_many", None, super().delete_many, keys)

    def incr(self, key, delta):
        # a counter that cannot be read is reported missing, as Django does for an absent key
        if not self._breaker.closed():
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        try:
            return super().incr(key, delta)
        except self._lib.exceptions.RedisError as e:
            self._breaker.trip("incr", e)
            raise ValueError(f"Key '{key}' not found (cache unreachable).") from e


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        super().set_many(data, timeout, version)
        return []

    def clear(self) -> bool:
        """Delete this cache's keys (``KEY_PREFIX``), not the whole Redis database."""
        client = self._cache.get_client(None, write=True)
        pattern = f"{self.key_prefix}:*"  # make_key's "prefix:version:key", every version
        batch = []
        try:
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        except self._cache._lib.exceptions.RedisError as e:
            self._cache._breaker.trip("clear", e)
            return False
        return True
