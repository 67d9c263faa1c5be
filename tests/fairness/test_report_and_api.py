"""Adverse-impact report: the computation (apps.fairness.report, no Django) on hand-checked numbers,
then the service, the API (JSON, CSV) and the dashboard page, with isolation and roles."""

from __future__ import annotations

import csv
import io

import pytest

from apps.accounts.models import AuditEvent
from apps.candidates.rights import demographics_set
from apps.fairness.report import CSV_HEADER, PoolMember, adverse_impact, report_rows
from apps.fairness.services import job_fairness
from apps.matching.services import decision_record

# ---- computation -----------------------------------------------------------------------------


def _pool() -> list[PoolMember]:
    """Ten scored people, median 55. Women: 10,20,30,40,60 (one above the median, one selected);
    men: 50,70,80,90,100 (four above, two selected)."""
    rows = [
        (10, False, "f", "under_25"),
        (20, False, "f", "25_39"),
        (30, False, "f", "25_39"),
        (40, False, "f", "40_54"),
        (60, True, "f", "40_54"),
        (50, False, "m", "25_39"),
        (70, False, "m", "25_39"),
        (80, True, "m", "40_54"),
        (90, True, "m", "40_54"),
        (100, False, "m", "under_25"),
    ]
    return [PoolMember(score=s, selected=sel, groups={"gender": g, "age_band": a}) for s, sel, g, a in rows]


def _dim(report, name):
    return next(d for d in report.dimensions if d.dimension == name)


def test_rates_ratios_and_flags_by_hand():
    report = adverse_impact(_pool(), dimensions=("gender", "age_band"))
    assert report.pool_size == 10 and report.median_score == 55 and report.selected_total == 3
    gender = _dim(report, "gender")
    m, f = gender.groups  # highest scoring rate first
    assert (m.group, m.scored_above, m.scoring_rate, m.scoring_impact_ratio) == ("m", 4, 0.8, 1.0)
    assert (f.group, f.scored_above, f.scoring_rate, f.scoring_impact_ratio) == ("f", 1, 0.2, 0.25)
    assert (m.selection_rate, f.selection_rate, f.selection_impact_ratio) == (0.4, 0.2, 0.5)
    assert f.flags == ["scoring", "selection"] and m.flags == []
    assert gender.flagged and report.flagged and gender.no_data == 0


def test_intersections_are_reported():
    report = adverse_impact(_pool(), dimensions=("gender", "age_band"))
    inter = _dim(report, "gender × age_band")
    by = {g.group: g for g in inter.groups}
    assert set(by) == {"f × under_25", "f × 25_39", "f × 40_54", "m × 25_39", "m × 40_54", "m × under_25"}
    assert (by["m × 40_54"].count, by["m × 40_54"].scoring_rate, by["m × 40_54"].selection_rate) == (2, 1.0, 1.0)
    assert by["f × 25_39"].scoring_impact_ratio == 0.0


def test_small_groups_are_separate_and_no_data_counted():
    members = [PoolMember(score=i, selected=i % 10 == 0, groups={"gender": "f" if i % 2 else "m"}) for i in range(98)]
    members.append(PoolMember(score=99, selected=True, groups={"gender": "x"}))  # 1% of 100
    members.append(PoolMember(score=1, selected=False, groups={}))  # no consent / no data
    report = adverse_impact(members, dimensions=("gender",))
    gender = report.dimensions[0]
    assert [g.group for g in gender.small_groups] == ["x"]
    assert gender.small_groups[0].scoring_impact_ratio is None  # reported, not compared
    assert {g.group for g in gender.groups} == {"f", "m"}
    assert gender.no_data == 1 and report.with_data == 99


def test_no_selection_yet_means_no_selection_ratio():
    members = [PoolMember(score=s, selected=False, groups={"gender": g}) for s, g in [(1, "a"), (2, "b"), (3, "a")]]
    gender = adverse_impact(members, dimensions=("gender",)).dimensions[0]
    assert all(g.selection_impact_ratio is None for g in gender.groups)
    assert not any("selection" in g.flags for g in gender.groups)


def test_empty_pool_and_csv_rows():
    assert adverse_impact([]).dimensions == [] and adverse_impact([]).median_score is None
    rows = report_rows(adverse_impact(_pool(), dimensions=("gender",)))
    assert all(len(r) == len(CSV_HEADER) for r in rows)
    assert rows[-1][:4] == ["gender", "(no data)", "no data", 0]


# ---- service, API, dashboard ---------------------------------------------------------------------


@pytest.fixture
def with_demographics(finished_run, pool, recruiter):
    demographics_set(candidate=pool["strong"], consent=True, gender="woman", age_band="25_39")
    demographics_set(candidate=pool["partial"], consent=True, gender="man", age_band="40_54", ethnicity="=cmd()")
    # given but without consent: must be ignored (and is not even stored)
    demographics_set(candidate=pool["none"], consent=False, gender="man")
    decision_record(job=finished_run.job, candidate=pool["partial"], decision="shortlist", user=recruiter)
    return finished_run


@pytest.mark.django_db
def test_service_uses_consented_data_and_latest_decisions(with_demographics, pool):
    f = job_fairness(job=with_demographics.job)
    assert f.run == with_demographics and f.report.pool_size == 3
    gender = f.report.dimensions[0]
    assert gender.no_data == 1  # "none" gave no consent
    assert {g.group: g.selected for g in gender.groups} == {"woman": 0, "man": 1}
    assert pool["none"].demographics.gender == ""  # refused consent: nothing kept


@pytest.mark.django_db
def test_api_json_and_csv(api_client_for, org, with_demographics):
    api = api_client_for(org)
    job = with_demographics.job
    r = api.get(f"/api/v1/jobs/{job.pk}/adverse-impact/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["job"] == job.pk and body["run"] == with_demographics.pk and body["pool_size"] == 3
    assert {d["dimension"] for d in body["dimensions"]} >= {"gender", "age_band", "ethnicity", "gender × ethnicity"}
    r = api.get(f"/api/v1/jobs/{job.pk}/adverse-impact.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:3] == ["job_id", "run_id", "dimension"]
    assert any(row[3] == "'=cmd()" for row in rows)  # spreadsheet formulas neutralised
    assert "=cmd()" not in [row[3] for row in rows]
    assert AuditEvent.objects.filter(action="fairness_report.exported", object_id=str(job.pk)).count() == 1
    assert api.get(f"/api/v1/jobs/{job.pk}/adverse-impact/?since=yesterday").status_code == 400


@pytest.mark.django_db
def test_api_isolation_and_missing_run(api_client_for, other_org, org, with_demographics, job):
    assert api_client_for(other_org).get(f"/api/v1/jobs/{job.pk}/adverse-impact/").status_code == 404
    from tests.factories import make_job

    fresh = make_job(org, ["SQL"], job_id="fresh")
    r = api_client_for(org).get(f"/api/v1/jobs/{fresh.pk}/adverse-impact/")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_dashboard_page_and_csv(rclient, with_demographics):
    job = with_demographics.job
    r = rclient.get(f"/jobs/{job.pk}/fairness/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "woman" in html and "Impact ratio" in html and "model card" in html
    assert "Ada Lovelace" not in html  # aggregates only
    r = rclient.get(f"/jobs/{job.pk}/fairness.csv")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_dashboard_page_is_for_recruiters_of_the_organization(client, seeker, other_recruiter, job):
    client.force_login(seeker)
    assert client.get(f"/jobs/{job.pk}/fairness/").status_code == 403
    client.force_login(other_recruiter)
    assert client.get(f"/jobs/{job.pk}/fairness/").status_code == 404


@pytest.mark.django_db
def test_selection_follows_the_latest_pipeline_stage_whatever_it_is_called(with_demographics, pool, org, recruiter):
    from apps.matching.models import PipelineStage
    from apps.matching.pipeline_services import stage_move, stage_rename

    job = with_demographics.job

    def selected() -> dict:
        gender = job_fairness(job=job).report.dimensions[0]
        return {g.group: g.selected for g in gender.groups}

    interview = PipelineStage.objects.get(organization=org, name="Interview")
    stage_rename(stage=interview, name="Gespräch", user=recruiter)  # a renamed stage keeps its meaning
    stage_move(job=job, candidate=pool["strong"], stage=interview, user=recruiter)
    assert selected() == {"woman": 1, "man": 1}
    # moved back to New: no longer selected
    new = PipelineStage.objects.get(organization=org, name="New")
    stage_move(job=job, candidate=pool["partial"], stage=new, user=recruiter)
    assert selected() == {"woman": 1, "man": 0}
