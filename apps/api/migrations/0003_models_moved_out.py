"""The webhook models went to apps.webhooks and CandidateImport to apps.candidates, tables and rows
included (their 0001 and 0005 take them over in Django's state). Here apps.api lets go of them in
the state only, and the content types follow the models, so permissions and admin history that
point at them keep pointing at them."""

from django.db import migrations

MOVED = {"webhookendpoint": "webhooks", "webhookdelivery": "webhooks", "candidateimport": "candidates"}


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, label in MOVED.items():
        # on a fresh database neither row exists yet (they are made after migrating); on one where
        # the new row exists already, the old one is left for remove_stale_contenttypes
        if not ContentType.objects.filter(app_label=label, model=model).exists():
            ContentType.objects.filter(app_label="api", model=model).update(app_label=label)


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, label in MOVED.items():
        if not ContentType.objects.filter(app_label="api", model=model).exists():
            ContentType.objects.filter(app_label=label, model=model).update(app_label="api")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_import_heartbeat"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("webhooks", "0001_initial"),
        ("candidates", "0005_candidateimport"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="WebhookEndpoint"),
                migrations.DeleteModel(name="CandidateImport"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
