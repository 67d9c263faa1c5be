"""Scorecard lines remember how they arrived. Lines stored before this migration are marked as
recorded by a person: an import and an API client without a user both left ``recorded_by`` empty, so
they cannot be told apart, and keeping a line is the safe side (a later import skips a line equal to
one already stored instead of storing it twice)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0009_default_pipeline_stages'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='origin',
            field=models.CharField(choices=[('recorded', 'Recorded'), ('import', 'Imported')], default='recorded', max_length=10),
        ),
    ]
