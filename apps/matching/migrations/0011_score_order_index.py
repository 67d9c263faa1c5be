"""Ranks are no longer stored: a run's order is an index on (run, must-haves met, score, candidate), and
a row's rank is counted from it when read (apps.matching.selectors.ranks_of)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('candidates', '0004_entered_by'),
        ('matching', '0010_assessment_origin'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='matchscore',
            options={'ordering': ['run_id', '-must_have_met', '-score', 'candidate_id']},
        ),
        migrations.RemoveIndex(
            model_name='matchscore',
            name='matching_ma_run_id_f557c0_idx',
        ),
        migrations.RemoveField(
            model_name='matchscore',
            name='rank',
        ),
        migrations.AddIndex(
            model_name='matchscore',
            index=models.Index(fields=['run', '-must_have_met', '-score', 'candidate'], name='score_run_order'),
        ),
    ]
