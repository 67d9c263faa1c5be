"""Domain events of the lower apps (apps.matching.signals, apps.credentials.signals) to webhook
deliveries. Connected in WebhooksConfig.ready: the apps that send them never import this one."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse

from apps.credentials.signals import credentials_imported
from apps.matching.signals import candidate_rescored, match_run_completed

from .models import WebhookEvent
from .services import webhook_event_emit, webhook_subscribed
from .signals import credential_verified

log = logging.getLogger(__name__)


def _url(name: str, *args) -> str:
    """An absolute URL when TSUMIKI_PUBLIC_URL is set, else the path."""
    return getattr(settings, "TSUMIKI_PUBLIC_URL", "").rstrip("/") + reverse(name, args=args)


def _event_id(event: str, key: str) -> uuid.UUID:
    """A stable id for an event that happens once per object (a run completes once)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tsumiki:{event}:{key}")


@receiver(match_run_completed, dispatch_uid="webhooks.match_run_completed")
def on_match_run_completed(sender, run, **kwargs) -> None:
    if run.status != "succeeded":
        return
    job = run.job
    webhook_event_emit(
        organization_id=run.organization_id,
        event=WebhookEvent.MATCH_RUN_COMPLETED,
        event_id=_event_id(WebhookEvent.MATCH_RUN_COMPLETED, str(run.pk)),
        data={
            "match_run": {
                "id": run.pk,
                "status": run.status,
                "job": job.pk,
                "job_external_id": job.external_id,
                "pool_size": run.pool_size,
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "url": _url("api:match-run-detail", run.pk),
                "shortlist_url": _url("api:job-shortlist", job.pk),
            }
        },
    )


@receiver(candidate_rescored, dispatch_uid="webhooks.candidate_rescored")
def on_candidate_rescored(sender, candidate, runs=None, **kwargs) -> None:
    """One ``candidate.rescored`` event per new run; a sender that names no runs (``runs`` left out)
    gets one event without a run. Whether anyone subscribed is asked once: a rescore reaching a
    thousand open jobs costs no query per run when nobody listens."""
    runs = [None] if runs is None else list(runs)
    if not runs:
        return
    if not webhook_subscribed(organization_id=candidate.organization_id, event=WebhookEvent.CANDIDATE_RESCORED):
        return
    for run in runs:
        data: dict = {
            "candidate": {
                "id": candidate.pk,
                "external_id": candidate.external_id,
                "url": _url("api:candidate-detail", candidate.pk),
            }
        }
        if run is not None:
            score = run.rows().filter(candidate=candidate).values("score", "must_have_met").first()
            if score is not None:
                score = {
                    "score": score["score"],
                    "rank": run.rank_of(candidate.pk),
                    "must_have_met": score["must_have_met"],
                }
            data["match_run"] = {"id": run.pk, "job": run.job_id, "url": _url("api:match-run-detail", run.pk)}
            data["score"] = score
        webhook_event_emit(organization_id=candidate.organization_id, event=WebhookEvent.CANDIDATE_RESCORED, data=data)


@receiver(credentials_imported, dispatch_uid="webhooks.credentials_imported")
def on_credentials_imported(sender, candidate, credentials, **kwargs) -> None:
    for credential in credentials:
        if credential.verification_status == "verified":
            credential_verified.send_robust(sender=sender, credential=credential)


@receiver(credential_verified, dispatch_uid="webhooks.credential_verified")
def on_credential_verified(sender, credential, **kwargs) -> None:
    candidate = credential.candidate
    webhook_event_emit(
        organization_id=candidate.organization_id,
        event=WebhookEvent.CREDENTIAL_VERIFIED,
        event_id=_event_id(WebhookEvent.CREDENTIAL_VERIFIED, f"{credential.pk}:{credential.verification_status}"),
        data={
            "credential": {
                "id": credential.pk,
                "title": credential.title,
                "kind": credential.kind,
                "issuer": credential.issuer.name if credential.issuer_id else "",
                "verification_status": credential.verification_status,
                "candidate": candidate.pk,
                "candidate_external_id": candidate.external_id,
                "candidate_url": _url("api:candidate-detail", candidate.pk),
            }
        },
    )
