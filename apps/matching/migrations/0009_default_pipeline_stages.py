"""Every existing organization gets the default hiring pipeline, each existing decision points at the
stage that means the same, and the first recruiter of each organization becomes its admin (so that
someone can change the pipeline and read the audit log)."""

from django.db import migrations

# Frozen copy of apps.matching.pipeline.DEFAULT_STAGES as of this migration.
DEFAULT_STAGES = (
    ("New", ""),
    ("Shortlisted", "shortlist"),
    ("Contacted", "contact"),
    ("Interview", "contact"),
    ("Offer", "contact"),
    ("Hired", "contact"),
    ("Rejected", "reject"),
)
# Existing decision values and the stage each becomes.
STAGE_OF_DECISION = {"shortlist": "Shortlisted", "contact": "Contacted", "reject": "Rejected"}


def forwards(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    Membership = apps.get_model("accounts", "Membership")
    PipelineStage = apps.get_model("matching", "PipelineStage")
    ShortlistDecision = apps.get_model("matching", "ShortlistDecision")
    for org in Organization.objects.all().iterator():
        if PipelineStage.objects.filter(organization=org).exists():
            continue
        stages = {
            name: PipelineStage.objects.create(organization=org, name=name, position=i, decision=decision)
            for i, (name, decision) in enumerate(DEFAULT_STAGES)
        }
        for value, name in STAGE_OF_DECISION.items():
            ShortlistDecision.objects.filter(job__organization=org, decision=value, stage__isnull=True).update(
                stage=stages[name], stage_name=name
            )
        first = Membership.objects.filter(organization=org, role="recruiter").order_by("id").first()
        if first is not None and not Membership.objects.filter(organization=org, is_admin=True).exists():
            Membership.objects.filter(pk=first.pk).update(is_admin=True)


class Migration(migrations.Migration):
    dependencies = [("matching", "0008_pipeline_stages_and_notes"), ("accounts", "0003_membership_is_admin")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
