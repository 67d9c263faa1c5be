"""Rescore runs write only the rows that changed: a rescore run reads its full run's rows at its own id
(MatchRun.rows_from; MatchScore.valid_from / valid_until)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('candidates', '0004_entered_by'),
        ('matching', '0011_score_order_index'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='matchscore',
            name='uniq_run_candidate',
        ),
        migrations.AddField(
            model_name='matchrun',
            name='rows_from',
            field=models.ForeignKey(blank=True, help_text='the full run whose rows this rescore run reads, with its own changes', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='matching.matchrun'),
        ),
        migrations.AddField(
            model_name='matchscore',
            name='valid_from',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='matchscore',
            name='valid_until',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='matchscore',
            index=models.Index(fields=['run', 'candidate'], name='score_run_candidate'),
        ),
        migrations.AddIndex(
            model_name='matchscore',
            index=models.Index(condition=models.Q(('valid_from__isnull', False)), fields=['run'], name='score_rescored_rows'),
        ),
        migrations.AddConstraint(
            model_name='matchscore',
            constraint=models.UniqueConstraint(condition=models.Q(('valid_until__isnull', True)), fields=('run', 'candidate'), name='uniq_run_candidate'),
        ),
    ]
