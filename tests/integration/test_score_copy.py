"""Score rows copied into PostgreSQL from their field values equal the rows written from model instances."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.matching.engine import MatchParams
from apps.matching.models import MatchRun, MatchScore
from apps.matching.selectors import job_required_specs, pool_arrays
from apps.matching.services import _score_fields, pool_score, score_fields_write, scores_write
from tests.factories import OrganizationFactory, credential, make_candidate, make_job

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

COLUMNS = [f.attname for f in MatchScore._meta.concrete_fields if f.attname not in ("id", "run_id")]


def _rows(run: MatchRun) -> dict[int, dict]:
    return {r["candidate_id"]: r for r in MatchScore.objects.filter(run=run).values(*COLUMNS)}


def test_rows_copied_from_field_values_equal_rows_from_model_instances():
    assert connection.vendor == "postgresql"
    org = OrganizationFactory(slug="copy-org")
    job = make_job(org, [{"name": "budgeting", "required": True}, "team leadership", {"name": "Excel", "weight": 3}])
    make_candidate(org, cid="lead", credentials=[credential("Finance for managers", ["budgeting", "leading teams"])])
    make_candidate(org, cid="sheets", skills=["Excel", "Ünïcode—skills"], credentials=[credential("Office", ["Excel"])])
    make_candidate(org, cid="other", degrees=[{"title": "MA History"}])
    required = job_required_specs(job=job)
    pool = pool_arrays(organization_id=org.id)
    results = pool_score(required=required, pool=pool, params=MatchParams(), explain_top=2000, job_id=job.id)
    assert len(results) == 3
    by_model, by_fields = (MatchRun.objects.create(organization=org, job=job) for _ in range(2))
    scores_write([MatchScore(**_score_fields(by_model.id, r, required, job.id)) for r in results])
    score_fields_write([_score_fields(by_fields.id, r, required, job.id) for r in results])
    model_rows, field_rows = _rows(by_model), _rows(by_fields)
    assert model_rows == field_rows and len(model_rows) == 3
    strong = next(r for r in field_rows.values() if r["score"] == max(x["score"] for x in field_rows.values()))
    assert strong["explanation"]["matches"] and strong["covered_skills"].startswith("|")
