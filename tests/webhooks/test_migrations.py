"""The webhook models and CandidateImport moved out of apps.api without moving data: rows written
under the old app are read through the new models after migrating, from the same tables."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.candidates.models import CandidateImport
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint

BEFORE = [("api", "0002_import_heartbeat"), ("webhooks", None), ("candidates", "0004_entered_by")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    named = [t for t in targets if t[1] is not None]
    return MigrationExecutor(connection).loader.project_state(named).apps


@pytest.mark.django_db(transaction=True)
def test_rows_of_the_api_tables_are_the_new_models_rows():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    try:
        org = old.get_model("accounts", "Organization").objects.create(name="Acme", slug="acme")
        endpoint = old.get_model("api", "WebhookEndpoint").objects.create(
            organization_id=org.pk, url="https://hooks.example.com/t", secret="whsec_x", events=["match_run.completed"]
        )
        old.get_model("api", "WebhookDelivery").objects.create(
            endpoint_id=endpoint.pk, event="match_run.completed", payload={"id": "1"}
        )
        old.get_model("api", "CandidateImport").objects.create(organization_id=org.pk, source="{}", total=1)
        ContentType.objects.get_or_create(app_label="api", model="webhookendpoint")
    finally:
        _migrate(latest)
    assert WebhookEndpoint._meta.db_table == "api_webhookendpoint"
    moved = WebhookEndpoint.objects.get()
    assert moved.url == "https://hooks.example.com/t" and moved.organization.slug == "acme"
    assert WebhookDelivery.objects.get().endpoint == moved
    assert CandidateImport.objects.get().source == "{}"
    # the content type followed the model, so permissions on it still name it
    assert ContentType.objects.filter(app_label="webhooks", model="webhookendpoint").exists()
    assert not ContentType.objects.filter(app_label="api", model="webhookendpoint").exists()
