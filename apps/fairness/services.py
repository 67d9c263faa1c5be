"""Adverse-impact report of a job: the scored pool of its latest finished run, the recruiters'
decisions and the candidates' consented, self-reported demographics, handed to apps.fairness.report.

Demographics are read here and nowhere in scoring; they leave this module only as group counts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from apps.candidates.models import CandidateDemographics
from apps.jobs.models import Job
from apps.matching.models import Decision, MatchRun, RunStatus, ShortlistDecision

from .report import CSV_HEADER, DIMENSIONS, FairnessReport, PoolMember, adverse_impact, report_rows

# A candidate counts as selected when the latest human decision moved them forward.
SELECTED_DECISIONS = (Decision.SHORTLIST, Decision.CONTACT)


@dataclass
class JobFairness:
    job: Job
    run: MatchRun | None
    report: FairnessReport | None
    since: datetime | None = None
    until: datetime | None = None


def _latest_decisions(*, job: Job, since: datetime | None, until: datetime | None) -> dict[int, str]:
    qs: QuerySet = ShortlistDecision.objects.filter(job=job)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    latest: dict[int, str] = {}
    # Oldest first, so each candidate ends with their latest decision in the period.
    for cid, decision in qs.order_by("created_at", "id").values_list("candidate_id", "decision").iterator(5000):
        latest[cid] = decision
    return latest


def job_fairness(
    *, job: Job, since: datetime | None = None, until: datetime | None = None, run: MatchRun | None = None
) -> JobFairness:
    """The report for ``job``: its latest finished run (within the period when one is given) and the
    decisions taken in the period. ``report`` is None when no run finished."""
    if run is None:
        runs = job.match_runs.filter(status=RunStatus.SUCCEEDED)
        if since is not None:
            runs = runs.filter(created_at__gte=since)
        if until is not None:
            runs = runs.filter(created_at__lt=until)
        run = runs.order_by("-created_at", "-id").first()
    if run is None:
        return JobFairness(job=job, run=None, report=None, since=since, until=until)
    decisions = _latest_decisions(job=job, since=since, until=until)
    scores = list(run.rows().order_by().values_list("candidate_id", "score"))
    demo = (
        {
            d["candidate_id"]: d
            for d in CandidateDemographics.objects.filter(
                candidate_id__in=[cid for cid, _ in scores], consent=True
            ).values("candidate_id", *DIMENSIONS)
        }
        if len(scores) <= 20000
        else {
            # Large pools: read by organization instead of a huge IN list.
            d["candidate_id"]: d
            for d in CandidateDemographics.objects.filter(candidate__organization_id=run.organization_id, consent=True)
            .values("candidate_id", *DIMENSIONS)
            .iterator(5000)
        }
    )
    members = [
        PoolMember(
            score=score,
            selected=decisions.get(cid) in SELECTED_DECISIONS,
            groups={d: (demo[cid][d] or None) for d in DIMENSIONS} if cid in demo else {},
        )
        for cid, score in scores
    ]
    return JobFairness(job=job, run=run, report=adverse_impact(members), since=since, until=until)


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): group names are self-reported free text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def fairness_csv(*, fairness: JobFairness) -> str:
    """The report as CSV text: a comment-free header row then one row per group (see report_rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["job_id", "run_id", *CSV_HEADER])
    if fairness.report is not None:
        for row in report_rows(fairness.report):
            writer.writerow([csv_cell(v) for v in (fairness.job.pk, fairness.run.pk, *row)])
    return out.getvalue()
