"""apps.matching.shortlist_cache (versions, bumps on commit) and config.cache (the shared Redis cache that
never fails a request), and which settings turn them on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.matching import shortlist_cache
from config.cache import TolerantRedisCache, cache_settings, is_shared

from ..redis_probe import needs_redis

ROOT = Path(__file__).resolve().parents[2]


def _job_run(org_id=1, job_id=7, run_id=3, pool_size=10):
    now = timezone.now()
    job = SimpleNamespace(id=job_id, organization_id=org_id, created_at=now)
    run = SimpleNamespace(id=run_id, status="succeeded", pool_size=pool_size, finished_at=now)
    return job, run


def test_store_then_lookup_and_what_makes_an_entry_unreadable():
    job, run = _job_run()
    slot, value = shortlist_cache.lookup("page", job=job, run=run, parts=("en", "/x"))
    assert value is None and slot is not None
    shortlist_cache.store(slot, "rendered")
    assert shortlist_cache.lookup("page", job=job, run=run, parts=("en", "/x"))[1] == "rendered"
    # other parts, kind, run state or job: other entries
    assert shortlist_cache.lookup("page", job=job, run=run, parts=("ja", "/x"))[1] is None
    assert shortlist_cache.lookup("api", job=job, run=run, parts=("en", "/x"))[1] is None
    assert shortlist_cache.lookup("page", job=job, run=_job_run(pool_size=9)[1], parts=("en", "/x"))[1] is None
    other_org_job = SimpleNamespace(id=job.id, organization_id=2, created_at=job.created_at)
    assert shortlist_cache.lookup("page", job=other_org_job, run=run, parts=("en", "/x"))[1] is None
    # a bump of the job or of its organization: the entry is never read again
    shortlist_cache.bump_job(job.id)
    assert shortlist_cache.lookup("page", job=job, run=run, parts=("en", "/x"))[1] is None
    slot, _ = shortlist_cache.lookup("page", job=job, run=run, parts=("en", "/x"))
    shortlist_cache.store(slot, "again")
    shortlist_cache.bump_org(job.organization_id)
    assert shortlist_cache.lookup("page", job=job, run=run, parts=("en", "/x"))[1] is None


def test_an_entry_stored_under_old_versions_is_a_miss():
    """A request that read the versions before a change and stores after it does not resurrect old rows."""
    job, run = _job_run()
    stale_slot, _ = shortlist_cache.lookup("page", job=job, run=run)
    shortlist_cache.bump_job(job.id)  # the change commits while that request renders
    shortlist_cache.store(stale_slot, "old rows")
    assert shortlist_cache.lookup("page", job=job, run=run)[1] is None


@pytest.mark.django_db(transaction=True)
def test_a_bump_inside_a_transaction_happens_again_at_commit():
    """A reader between the first bump and the commit may store pre-commit rows under the new versions;
    the bump at commit makes them unreadable."""
    job, run = _job_run()
    with transaction.atomic():
        shortlist_cache.bump_job(job.id)
        slot, _ = shortlist_cache.lookup("page", job=job, run=run)
        shortlist_cache.store(slot, "read before the commit")
        assert shortlist_cache.lookup("page", job=job, run=run)[1] == "read before the commit"
    assert shortlist_cache.lookup("page", job=job, run=run)[1] is None


def test_off_when_the_ttl_is_zero(settings):
    settings.TSUMIKI_SHORTLIST_CACHE_SECONDS = 0
    job, run = _job_run()
    assert shortlist_cache.lookup("page", job=job, run=run) == (None, None)
    shortlist_cache.bump_job(job.id)  # nothing to do, nothing raised
    assert not any(":shortlist:" in k for k in cache._cache)  # noqa: SLF001


# ---- config.cache ------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_redis_is_a_miss_never_an_error():
    conf = cache_settings(f"redis://127.0.0.1:{_closed_port()}/0")
    c = TolerantRedisCache(conf["LOCATION"], conf)
    assert c.get("k", "default") == "default" and c.get_many(["a", "b"]) == {}
    c.set("k", 1)
    assert c.add("k", 1) is False and c.delete("k") is False and c.has_key("k") is False
    with pytest.raises(ValueError):
        c.incr("counter")
    # after a failure the process leaves Redis alone for a while: no connection attempt per call
    started = time.perf_counter()
    for _ in range(1000):
        c.get("k")
    assert time.perf_counter() - started < 0.5


@needs_redis
def test_redis_round_trip_and_clear_deletes_only_this_caches_keys():
    import redis

    url = "redis://127.0.0.1:6379/15"
    conf = cache_settings(url, key_prefix="tsumiki-test")
    c = TolerantRedisCache(conf["LOCATION"], conf)
    raw = redis.Redis.from_url(url)
    raw.set("celery-queue-lookalike", "keep me")
    try:
        c.set("k", {"a": 1}, 30)
        assert c.get("k") == {"a": 1} and c.get_many(["k", "missing"]) == {"k": {"a": 1}}
        assert c.clear() is True
        assert c.get("k") is None and raw.get("celery-queue-lookalike") == b"keep me"
    finally:
        raw.delete("celery-queue-lookalike")


def test_cache_settings():
    assert not is_shared(cache_settings(""))
    assert is_shared(cache_settings("redis://redis:6379/1"))
    assert cache_settings("redis://redis:6379/1")["BACKEND"] == "config.cache.TolerantRedisCache"
    with pytest.raises(ValueError, match="Redis URL"):
        cache_settings("memcached://x:11211")


def _production(**env: str) -> dict:
    code = (
        "import json, config.settings.production as p; print(json.dumps({'backend': p.CACHES['default']"
        "['BACKEND'], 'location': p.CACHES['default'].get('LOCATION'), "
        "'ttl': p.TSUMIKI_SHORTLIST_CACHE_SECONDS}))"
    )
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    base.update(
        {
            "DJANGO_SECRET_KEY": "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "example.com",
            "DATABASE_URL": "postgres://u:p@db:5432/x",
            "HF_HUB_OFFLINE": "1",
            "TSUMIKI_INPROCESS_TASKS": "true",
            **env,
        }
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_shares_a_redis_cache_when_it_has_one(tmp_path):
    alone = _production()
    assert alone["backend"].endswith("LocMemCache") and alone["ttl"] == 0  # no shared cache: the cache is off
    own = _production(TSUMIKI_CACHE_URL="redis://cache:6379/1", CELERY_BROKER_URL="redis://redis:6379/0")
    assert own["backend"] == "config.cache.TolerantRedisCache" and own["location"] == "redis://cache:6379/1"
    assert own["ttl"] == 300
    secret = tmp_path / "cache_url"
    secret.write_text("redis://:pw@cache:6379/1\n")
    assert _production(TSUMIKI_CACHE_URL_FILE=str(secret))["location"] == "redis://:pw@cache:6379/1"
    broker = _production(CELERY_BROKER_URL="redis://redis:6379/0")  # docker/compose.yml: the broker's Redis
    assert broker["location"] == "redis://redis:6379/0" and broker["ttl"] == 300
    assert _production(CELERY_BROKER_URL="amqp://mq//")["ttl"] == 0
    assert _production(CELERY_BROKER_URL="redis://redis:6379/0", TSUMIKI_SHORTLIST_CACHE_SECONDS="0")["ttl"] == 0
