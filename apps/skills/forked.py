"""One function over several items in forked processes that share the parent's memory (no Django
import).

The normalizer's fit reads the whole label index (hundreds of MB of vectors and rules) for each of its
thousands of sample queries, and both of its tree fits are single-threaded by choice (fusion.fit_trees):
on one core the fit of a full release took over a minute while the other core waited. Forked children
see the index as it is in the parent, copy-on-write, so nothing but the items' results is pickled.
Only the results travel back; children must not touch the parent's database connections or files.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What the children run: set just before the pool forks, so they inherit it instead of unpickling it.
_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run(number: int) -> Any:
    assert _task is not None
    fn, items = _task
    return fn(items[number])


def fork_map(fn: Callable[[T], R], items: Sequence[T], *, processes: int) -> list[R]:
    """``[fn(item) for item in items]``, the items shared out among up to ``processes`` forked
    processes; in this process when there is one process or one item, or no ``fork`` (not POSIX)."""
    global _task
    processes = min(processes, len(items))
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(item) for item in items]
    _task = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(processes=processes) as pool:
            return pool.map(_run, range(len(items)), chunksize=1)
    finally:
        _task = None
