"""The audit log: one writer, append-only through the model API, retention with a six-month floor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.accounts import audit
from apps.accounts.models import AuditEvent, AuditLogImmutable, User
from apps.accounts.services import api_key_create
from apps.api.authentication import ApiKeyPrincipal
from apps.matching.selectors import match_run_details

pytestmark = pytest.mark.django_db


def test_record_names_actor_action_and_object(org, job, recruiter):
    e = audit.audit_record(
        organization=org, actor=recruiter, action=audit.SHORTLIST_EXPORTED, obj=job, details={"run_id": 3}
    )
    e.refresh_from_db()
    assert (e.actor, e.actor_user, e.action) == ("rita", recruiter, "shortlist.exported")
    assert (e.object_type, e.object_id, e.details) == ("jobs.job", str(job.pk), {"run_id": 3})
    assert e.created_at <= timezone.now()


def test_actor_labels_for_api_keys_system_and_anonymous(org):
    from django.contrib.auth.models import AnonymousUser

    key, _ = api_key_create(organization=org, scopes=["read"])
    assert audit.actor_label(ApiKeyPrincipal(key)) == (f"api-key:{key.prefix}", None)
    assert audit.actor_label(None) == ("system", None)
    assert audit.actor_label(AnonymousUser()) == ("anonymous", None)
    assert audit.actor_label("beat:match_runs_sweep") == ("beat:match_runs_sweep", None)


def test_match_run_details_carry_model_parameters_and_taxonomy(finished_run):
    d = match_run_details(finished_run)
    assert d["run_id"] == finished_run.pk and d["model_name"] == finished_run.model_name
    assert d["parameters"]["sim_floor"] == finished_run.parameters["sim_floor"]
    assert d["taxonomy_version"]


def test_events_cannot_be_changed_or_deleted(org):
    e = audit.audit_record(organization=org, actor=None, action="x.happened")
    e.action = "y.happened"
    with pytest.raises(AuditLogImmutable):
        e.save()
    with pytest.raises(AuditLogImmutable):
        e.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=e.pk).update(action="z")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=e.pk).action == "x.happened"


def test_deleting_the_acting_user_keeps_the_event(org, recruiter):
    e = audit.audit_record(organization=org, actor=recruiter, action="x.happened")
    User.objects.filter(pk=recruiter.pk).delete()
    e = AuditEvent.objects.get(pk=e.pk)
    assert e.actor_user is None and e.actor == "rita"


def _event_aged(org, days: int) -> AuditEvent:
    return AuditEvent.objects.create(
        organization=org, actor="system", action="old.thing", created_at=timezone.now() - timedelta(days=days)
    )


def test_purge_keeps_the_retention_period(org, settings, capsys):
    settings.TSUMIKI_AUDIT_RETENTION_DAYS = 200
    old, recent = _event_aged(org, 201), _event_aged(org, 199)
    call_command("purge_audit", "--dry-run")
    assert "1 audit events" in capsys.readouterr().out
    assert AuditEvent.objects.filter(pk=old.pk).exists()
    call_command("purge_audit")
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_purge_refuses_less_than_six_months(settings):
    settings.TSUMIKI_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="six months"):
        call_command("purge_audit")
    with pytest.raises(CommandError):
        call_command("purge_audit", "--days", "30")
