"""The webhook models, moved from apps.api: their tables (api_webhookendpoint, api_webhookdelivery)
and rows stay; only Django's record of which app owns them changes (apps.api 0003 lets go of them)."""

import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('api', '0002_import_heartbeat'),
        ('accounts', '0003_membership_is_admin'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WebhookEndpoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(max_length=2000)),
                        ('description', models.CharField(blank=True, max_length=200)),
                        ('secret', models.CharField(help_text='HMAC-SHA256 key; shown to the client once', max_length=100)),
                        ('events', models.JSONField(default=list, help_text='subscribed event types')),
                        ('is_active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_endpoints', to='accounts.organization')),
                    ],
                    options={
                        'db_table': 'api_webhookendpoint',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event', models.CharField(choices=[('match_run.completed', 'Match run completed'), ('candidate.rescored', 'Candidate rescored'), ('credential.verified', 'Credential verified')], max_length=50)),
                        ('event_id', models.UUIDField(default=uuid.uuid4)),
                        ('payload', models.JSONField(help_text='the JSON body, as signed and sent')),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('retrying', 'Retrying'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('response_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('response_excerpt', models.CharField(blank=True, max_length=500)),
                        ('error', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('replay_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='webhooks.webhookdelivery')),
                        ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.webhookendpoint')),
                    ],
                    options={
                        'db_table': 'api_webhookdelivery',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['endpoint', '-created_at'], name='api_webhook_endpoin_485621_idx'), models.Index(fields=['event_id'], name='api_webhook_event_i_4ac053_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
