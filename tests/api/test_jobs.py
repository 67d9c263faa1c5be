"""/api/v1/jobs/: interchange-format jobs, validation errors that name the field, PATCH, delete."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.jobs.models import Job, JobStatus
from apps.skills.models import Skill
from tests.factories import make_job

from .conftest import assert_problem, job_body

pytestmark = pytest.mark.django_db
URL = "/api/v1/jobs/"


def test_create_job_in_interchange_format(api, org):
    Skill.objects.create(uri="http://data.europa.eu/esco/skill/sql", preferred_label="SQL")
    body = job_body()
    body["skills"][0]["uri"] = "http://data.europa.eu/esco/skill/sql"
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    job = Job.objects.get(organization=org, external_id="job-data-1")
    assert data["id"] == job.pk
    assert data["external_id"] == "job-data-1"
    assert data["status"] == "open"
    assert data["skills"] == [
        {
            "name": "SQL",
            "uri": "http://data.europa.eu/esco/skill/sql",
            "weight": 2.0,
            "required": True,
            "min_level": None,
        },
        {"name": "python programming", "uri": None, "weight": 1.0, "required": False, "min_level": 5},
    ]
    assert data["url"].endswith(f"/api/v1/jobs/{job.pk}/")
    assert data["match_runs_url"].endswith(f"/api/v1/jobs/{job.pk}/match-runs/")
    assert api.get(data["url"]).json() == data


def test_create_accepts_bare_skill_names_and_generates_a_missing_id(api):
    response = api.post(URL, {"title": "Analyst", "skills": ["SQL", "Excel"], "unknown": 1}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["external_id"].startswith("job-")
    assert [s["name"] for s in data["skills"]] == ["SQL", "Excel"]
    # a second job without id does not collide with the first
    assert api.post(URL, {"title": "Other", "skills": ["SQL"]}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"id": "j", "title": "T"}, "skills", "non-empty list"),
        ({"id": "j", "title": "T", "skills": []}, "skills", "non-empty list"),
        ({"id": "j", "skills": [{"name": "SQL", "weight": 0}]}, "skills[0].weight", "positive"),
        ({"id": "j", "skills": [{"name": "SQL", "weight": "heavy"}]}, "skills[0].weight", "number"),
        ({"id": "j", "skills": [{"name": "SQL"}, {"weight": 1}]}, "skills[1].name", "required"),
        ({"id": "j", "skills": [{"name": "SQL", "required": "yes"}]}, "skills[0].required", "true or false"),
        ({"id": "j", "skills": [{"name": "SQL", "min_level": 12}]}, "skills[0].min_level", "EQF"),
        ({"id": "j", "title": ["x"], "skills": ["SQL"]}, "title", "string"),
        ({"id": "j", "title": "x" * 301, "skills": ["SQL"]}, "title", "300"),
        ({"id": "x" * 101, "skills": ["SQL"]}, "id", "100"),
    ],
)
def test_invalid_job_is_400_naming_the_field(api, body, field, message):
    problem = assert_problem(api.post(URL, body, format="json"), 400)
    assert field in problem["errors"], problem
    assert message in " ".join(problem["errors"][field])
    assert not Job.objects.exists()


def test_non_object_and_malformed_bodies_are_400(api):
    assert_problem(api.post(URL, ["SQL"], format="json"), 400)
    assert_problem(api.post(URL, "{not json", content_type="application/json"), 400)


def test_form_encoded_body_is_415(api):
    assert_problem(api.post(URL, {"title": "x"}), 415)  # APIClient default: multipart


def test_duplicate_external_id_is_409(api):
    assert api.post(URL, job_body(), format="json").status_code == 201
    problem = assert_problem(api.post(URL, job_body(), format="json"), 409)
    assert "job-data-1" in problem["detail"]
    assert Job.objects.count() == 1


def test_patch_changes_fields_and_replaces_skills(api, org):
    job = make_job(org, ["SQL", "Python"], title="Old")
    url = f"{URL}{job.pk}/"
    response = api.patch(url, {"title": "New", "status": "closed"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New"
    assert response.json()["status"] == "closed"
    assert [s["name"] for s in response.json()["skills"]] == ["SQL", "Python"]  # untouched
    response = api.patch(url, {"skills": [{"name": "Tableau", "required": True}]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["skills"] == [
        {"name": "Tableau", "uri": None, "weight": 1.0, "required": True, "min_level": None}
    ]
    job.refresh_from_db()
    assert (job.title, job.status) == ("New", JobStatus.CLOSED)
    assert list(job.required_skills.values_list("name", flat=True)) == ["Tableau"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "archived"}, "status"),
        ({"skills": []}, "skills"),
        ({"skills": [{"name": ""}]}, "skills[0].name"),
        ({"id": "renamed"}, "id"),
        ({"title": ""}, "title"),
    ],
)
def test_invalid_patch_is_400_and_changes_nothing(api, org, body, field):
    job = make_job(org, ["SQL"], title="Keep")
    problem = assert_problem(api.patch(f"{URL}{job.pk}/", body, format="json"), 400)
    assert field in problem["errors"], problem
    job.refresh_from_db()
    assert job.title == "Keep"
    assert list(job.required_skills.values_list("name", flat=True)) == ["SQL"]


def test_put_is_not_allowed(api, org):
    job = make_job(org, ["SQL"])
    assert_problem(api.put(f"{URL}{job.pk}/", job_body(), format="json"), 405)


def test_delete(api, org):
    job = make_job(org, ["SQL"])
    assert api.delete(f"{URL}{job.pk}/").status_code == 204
    assert not Job.objects.filter(pk=job.pk).exists()
    assert_problem(api.get(f"{URL}{job.pk}/"), 404)


@pytest.mark.parametrize("bad", ["abc", "999999", "99999999999999999999999"])
def test_unknown_ids_are_404(api, bad):
    assert_problem(api.get(f"{URL}{bad}/"), 404)


def test_list_filters_by_status_and_external_id(api, org):
    make_job(org, ["SQL"], title="A", job_id="a")
    closed = make_job(org, ["SQL"], title="B", job_id="b")
    closed.status = JobStatus.CLOSED
    closed.save()
    assert [j["external_id"] for j in api.get(URL, {"status": "open"}).json()["results"]] == ["a"]
    assert [j["external_id"] for j in api.get(URL, {"external_id": "b"}).json()["results"]] == ["b"]
    assert api.get(URL).json()["count"] == 2


def test_list_query_count_does_not_grow_with_the_page(api, org):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL).status_code == 200
        return len(ctx.captured_queries)

    make_job(org, ["SQL", "Python"], job_id="first")
    api.get(URL)  # the key's first use writes last_used_at; later ones within a minute do not
    few = count_queries()
    for i in range(6):
        make_job(org, ["SQL", f"skill {i}"], job_id=f"more-{i}")
    assert count_queries() == few
    assert few <= 6  # key lookup + count + page + required skills (+ skills)
