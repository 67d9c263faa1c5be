"""Encoding a large batch of texts with several worker processes (no Django import).

One encoder thread per process is the rule here (two threads on a busy two-core machine are many times
slower than one), so a single process embeds a taxonomy release with the primary encoder on one core
while the auxiliary one, several times faster, finishes early on the other and that core waits. Jobs of
a few thousand texts, of either encoder, handed to one process per core in turn keep every core busy
until the end (docs/benchmarks.md: the full English release's import, one process against one per core).

Workers are started with ``spawn`` (a fresh interpreter, no state copied from a parent that may hold
database connections or threads) and load each encoder the first time a job names it. They return
vectors; the caller alone writes them anywhere.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

import numpy as np

from .encoders import get_encoder

_threads = 1


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _start(threads: int) -> None:
    global _threads
    _threads = threads
    # before torch or a BLAS library loads in this fresh interpreter
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _encode(spec: str, texts: list[str]) -> np.ndarray:
    return get_encoder(spec, _threads).encode(texts)


def encode_parallel(
    jobs: Sequence[tuple[str, list[str]]], *, workers: int, threads: int = 1
) -> Iterator[tuple[int, np.ndarray]]:
    """(job number, unit vectors of its texts) for each ``(encoder spec, texts)`` job, in the order the
    jobs finish, encoded by ``workers`` processes (in this one when there is one worker or one job). At
    most two jobs per worker are queued at a time, so finished vectors reach the caller (and can be
    stored) while the rest are being encoded. A worker's error is raised here; the pool is shut down
    whatever happens."""
    if not jobs:
        return
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:  # one job, or one core: a worker process would only add its start to the wait
        for number, (spec, texts) in enumerate(jobs):
            yield number, get_encoder(spec, threads).encode(list(texts))
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start, initargs=(threads,)) as pool:
        pending: dict[Future, int] = {}
        queue = iter(enumerate(jobs))

        def submit(number: int, job: tuple[str, list[str]]) -> None:
            pending[pool.submit(_encode, job[0], list(job[1]))] = number

        try:
            for number, job in itertools.islice(queue, 2 * workers):
                submit(number, job)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    number = pending.pop(future)
                    yield number, future.result()
                    for following in itertools.islice(queue, 1):
                        submit(*following)
        finally:
            for future in pending:
                future.cancel()
