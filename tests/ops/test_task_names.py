"""Celery task names are what a broker queue holds: a task moved between apps keeps answering to the
name it was queued under, and every name celery beat sends is registered."""

from __future__ import annotations

import pytest
from django.conf import settings

from config.celery_app import app

# queued under these names before webhooks and background imports left apps.api and the tasks were
# named <entity>_<verb>: {old name: the task now}
RENAMED = {
    "apps.api.tasks.deliver_webhook": "webhooks.webhook_deliver",
    "apps.api.tasks.run_candidate_import": "candidates.candidate_import_run",
    "api.sweep_imports": "candidates.candidate_imports_sweep",
    "matching.plan_match_run": "matching.match_run_plan",
    "matching.score_chunk": "matching.match_chunk_score",
    "matching.rescore_candidate": "matching.candidate_rescore",
    "matching.sweep_runs": "matching.match_runs_sweep",
    "accounts.purge_audit": "accounts.audit_purge",
}


@pytest.fixture(scope="module")
def registered() -> set[str]:
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks
    return set(app.tasks)


@pytest.mark.parametrize(("old", "new"), sorted(RENAMED.items()))
def test_old_task_names_still_run_what_the_new_one_runs(registered, old, new):
    assert old in registered and new in registered
    old_task, new_task = app.tasks[old], app.tasks[new]
    # the same function, acknowledged, retried and bound the same way
    assert getattr(old_task.run, "__func__", old_task.run) is getattr(new_task.run, "__func__", new_task.run)
    for option in ("acks_late", "max_retries", "typing"):
        assert getattr(old_task, option) == getattr(new_task, option), option


def test_tasks_are_named_app_dot_entity_verb(registered):
    ours = {n for n in registered if not n.startswith("celery.")} - set(RENAMED)
    for name in ours:
        app_label, _, function = name.partition(".")
        task = app.tasks[name]
        assert task.run.__module__ == f"apps.{app_label}.tasks", name
        assert task.run.__name__.lstrip("_") == function, name


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_entry_names_a_registered_task(registered, entry):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in registered
