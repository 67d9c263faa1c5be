"""CandidateImport, moved from apps.api: its table (api_candidateimport) and rows stay; only Django's
record of which app owns it changes (apps.api 0003 lets go of it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0002_import_heartbeat'),
        ('accounts', '0003_membership_is_admin'),
        ('candidates', '0004_entered_by'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CandidateImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('source', models.TextField(blank=True)),
                        ('total', models.PositiveIntegerField(default=0, help_text='non-empty lines')),
                        ('processed', models.PositiveIntegerField(default=0)),
                        ('created', models.PositiveIntegerField(default=0, help_text='candidates stored (new or replaced)')),
                        ('errors', models.JSONField(blank=True, default=list, help_text='[{line, field, message}], first ones')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='candidate_imports', to='accounts.organization')),
                    ],
                    options={
                        'db_table': 'api_candidateimport',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
