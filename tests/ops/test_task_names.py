"""Celery task names are what a broker queue holds: a task moved between apps keeps answering to the
name it was queued under, and every name celery beat sends is registered."""

from __future__ import annotations

import pytest
from django.conf import settings

from config.celery_app import app

# queued under these names before webhooks and background imports left apps.api
QUEUED_BEFORE_THE_MOVE = ["apps.api.tasks.deliver_webhook", "apps.api.tasks.run_candidate_import", "api.sweep_imports"]


@pytest.fixture(scope="module")
def registered() -> set[str]:
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks
    return set(app.tasks)


@pytest.mark.parametrize("name", QUEUED_BEFORE_THE_MOVE)
def test_old_task_names_still_run(registered, name):
    assert name in registered


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_entry_names_a_registered_task(registered, entry):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in registered
