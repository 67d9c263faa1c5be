"""What matching does when lower layers announce a change. Connected in MatchingConfig.ready.

The lower apps (credentials, candidates, jobs) only send their own signals; deciding to rescore,
start a run or fix a run's pool size is matching's business, so the reactions live here.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.accounts.models import Organization
from apps.candidates.signals import candidate_erasing, candidate_evidence_changed, candidates_stored
from apps.credentials.signals import credentials_imported
from apps.jobs.signals import job_skills_changed

from .models import MatchRun, MatchScore


@receiver(credentials_imported, dispatch_uid="matching.rescore_on_credentials")
def on_credentials_imported(sender, candidate, credentials, **kwargs) -> None:
    """New evidence: rescore this candidate against the organization's open runs."""
    from .tasks import candidate_rescore

    candidate_rescore.delay(candidate.id)


@receiver(candidate_evidence_changed, dispatch_uid="matching.rescore_on_own_evidence")
def on_candidate_evidence_changed(sender, candidate, **kwargs) -> None:
    """Skills or experience the candidate (or a confirmed CV) changed: rescore as for new credentials."""
    from .tasks import candidate_rescore

    candidate_rescore.delay(candidate.id)


@receiver(candidate_erasing, dispatch_uid="matching.pool_size_on_erasure")
def on_candidate_erasing(sender, candidate, **kwargs) -> None:
    """The runs that scored the candidate lose a row: keep pool_size equal to their number of scores
    (shortlists use it as their unfiltered count, selectors.run_scores_count)."""
    rows = list(MatchScore.objects.filter(candidate=candidate).values_list("run_id", "valid_from", "valid_until"))
    roots = {r for r, _, _ in rows}
    # a run holds the candidate when one of their rows belongs to its version (selectors.run_rows)
    runs = MatchRun.objects.filter(Q(id__in=roots) | Q(rows_from_id__in=roots)).values_list("id", "rows_from_id")
    holding = [
        run_id
        for run_id, rows_from in runs
        if any(
            r == (rows_from or run_id) and (f is None or f <= run_id) and (u is None or u > run_id) for r, f, u in rows
        )
    ]
    MatchRun.objects.filter(id__in=holding).update(pool_size=Greatest(F("pool_size") - 1, 0))


@receiver(job_skills_changed, dispatch_uid="matching.rerun_on_job_skills")
def on_job_skills_changed(sender, job, **kwargs) -> None:
    """A changed job rescores that job only: its shortlist must not describe the old skills."""
    if job.match_runs.exists():
        from .services import match_run_start

        match_run_start(job=job)


@receiver(candidates_stored, dispatch_uid="matching.assessments_from_documents")
def on_candidates_stored(sender, candidates, docs, phrase_ids, **kwargs) -> None:
    """Interchange documents may carry employer assessments: store them (replacing those an earlier
    import of the same candidates stored), in the import's transaction."""
    from .services import assessments_replace_imported

    assessments_replace_imported(candidates=candidates, docs=docs, phrase_ids=phrase_ids)


@receiver(post_save, sender=Organization, dispatch_uid="matching.pipeline_on_new_organization")
def on_organization_created(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A new organization starts with the default hiring pipeline."""
    if created and not raw:
        from .pipeline_services import stages_ensure

        stages_ensure(organization=instance)
