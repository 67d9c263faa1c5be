"""Embedding with worker processes: the same vectors as this process's encoders, stored under each
encoder, read from and written to the persistent cache, nothing embedded twice."""

from __future__ import annotations

import numpy as np
import pytest

from apps.skills import vocabulary
from apps.skills.encode_pool import encode_parallel, usable_cores
from apps.skills.models import Phrase
from apps.skills.vector_cache import open_cache
from apps.skills.vocabulary import (
    clear_cache,
    encoder,
    model_key,
    phrases_ensure,
    stored_vectors,
    vectors_ensure_parallel,
)

TEXTS = ["repair boilers", "plan gardens", "weld pipes", "paint fences", "teach chemistry", "drive a forklift", "bake"]


def test_usable_cores_is_at_least_one():
    assert 1 <= usable_cores()


def test_one_worker_encodes_in_this_process_in_job_order():
    jobs = [("use", TEXTS[:3]), ("use", TEXTS[3:])]
    out = list(encode_parallel(jobs, workers=1))
    assert [n for n, _ in out] == [0, 1]
    want = np.vstack([encoder("use").encode(TEXTS[:3]), encoder("use").encode(TEXTS[3:])])
    np.testing.assert_array_equal(np.vstack([v for _, v in out]), want)


@pytest.mark.django_db
def test_two_processes_store_what_this_process_would_under_both_encoders(tmp_path, settings, monkeypatch):
    settings.TSUMIKI_VECTOR_CACHE = str(tmp_path)
    monkeypatch.setattr(vocabulary, "EMBED_BATCH", 2)  # several jobs per encoder, spread over both workers
    phrases_ensure(texts=TEXTS[:1])  # one phrase already has its primary vector: not embedded again
    cache = open_cache(str(tmp_path), model_key("use"))
    assert cache is not None
    cache.put([("plan gardens", encoder("use").encode(["plan gardens"])[0])])  # one auxiliary vector cached
    cache.close()
    ids = phrases_ensure(texts=TEXTS, embed=False)
    pids = [ids[t] for t in TEXTS]
    seen: list[tuple[int, int]] = []

    counts = vectors_ensure_parallel(
        phrase_ids=pids, specs=[None, "use"], workers=2, cache=True, progress=lambda d, t: seen.append((d, t))
    )

    assert counts == [len(TEXTS) - 1, len(TEXTS) - 1]
    assert seen[-1] == (2 * (len(TEXTS) - 1), 2 * (len(TEXTS) - 1))
    clear_cache()  # read back what was stored
    ordered = [Phrase.objects.get(id=p).text for p in pids]
    np.testing.assert_allclose(stored_vectors(phrase_ids=pids), encoder().encode(ordered), atol=1e-5)
    np.testing.assert_allclose(stored_vectors(phrase_ids=pids, spec="use"), encoder("use").encode(ordered), atol=1e-5)
    # the new vectors went to the persistent cache too: a second database would embed nothing
    for spec in (None, "use"):
        cache = open_cache(str(tmp_path), model_key(spec))
        assert cache is not None
        assert set(cache.get(TEXTS)) >= set(TEXTS[1:])
        cache.close()
    assert vectors_ensure_parallel(phrase_ids=pids, specs=[None, "use"], workers=2, cache=True) == [0, 0]


def test_a_worker_error_reaches_the_caller():
    with pytest.raises(ValueError, match="not 'minilm'"):
        list(encode_parallel([("/no/such/model", ["a"]), ("/no/such/model", ["b"])], workers=2))
