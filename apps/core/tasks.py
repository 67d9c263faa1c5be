"""Celery task registration with the names a task had before (no Django).

A broker holds tasks by name: a task queued (or waiting for its retry) under a name that no worker
registers any more is lost when new code is deployed. ``task(name, was=[...])`` registers the function
under its name and under each old one, with the same options, so queued work still runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from celery import shared_task


def task(name: str, *, was: Iterable[str] = (), **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``shared_task(name=name, **options)``, and the same function under each name in ``was``."""

    def register(function: Callable[..., Any]) -> Any:
        for old in was:
            shared_task(name=old, **options)(function)
        return shared_task(name=name, **options)(function)

    return register
