"""The recruiter's job editor: create and edit a job and its required skills, with and without
JavaScript (the no-JS buttons re-render the form; htmx endpoints return one row or suggestions)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.jobs.models import Job
from apps.matching.models import MatchRun

from ..factories import make_job

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def skill_rows(*rows):
    """POST data for skill rows: each row (key, name, weight, must_have, min_level)."""
    data = {}
    for key, name, weight, must, level in rows:
        data[f"skills-{key}-name"] = name
        data[f"skills-{key}-weight"] = weight
        if must:
            data[f"skills-{key}-must_have"] = "on"
        data[f"skills-{key}-min_level"] = level
    return data


def test_new_job_page_has_labelled_controls(rclient):
    body = rclient.get(url("job_new")).content.decode()
    assert "<h1>New job</h1>" in body
    for field in ("id_title", "id_description", "id_status"):
        assert f'for="{field}"' in body and f'id="{field}"' in body
    # one empty skill row whose every control has a label
    keys = re.findall(r'name="skills-([0-9a-f]+)-name"', body)
    assert len(keys) == 1
    for part in ("name", "weight", "must_have", "min_level"):
        assert f'for="id_skills-{keys[0]}-{part}"' in body
    assert 'hx-get="/jobs/editor/suggest/"' in body and f'list="dl-{keys[0]}"' in body
    assert "Suggest skills from the description" in body


def test_create_job_with_two_skills(rclient, recruiter, org):
    data = {"title": "Data engineer", "description": "Pipelines.", "status": "open", "save": "1"}
    data.update(skill_rows(("b2", "SQL", "2", True, "5"), ("a1", "Python programming", "1", False, "")))
    resp = rclient.post(url("job_new"), data)
    job = Job.objects.get(title="Data engineer")
    assert resp.status_code == 302 and resp["Location"] == url("job", job_id=job.id)
    assert job.organization == org and job.created_by == recruiter and job.description == "Pipelines."
    rows = [(r.name, r.weight, r.must_have, r.min_level) for r in job.required_skills.all()]
    assert rows == [("SQL", 2.0, True, 5), ("Python programming", 1.0, False, None)]  # the order sent
    assert job.external_id.startswith("data-engineer-")
    page = rclient.get(resp["Location"]).content.decode()
    assert "Job created" in page and "Edit job" in page


def test_create_closed_job_and_blank_rows_are_ignored(rclient):
    data = {
        "title": "Archivist",
        "status": "closed",
        **skill_rows(("a", "records management", "", False, ""), ("b", "  ", "1", False, "")),
    }
    assert rclient.post(url("job_new"), data).status_code == 302
    job = Job.objects.get(title="Archivist")
    assert job.status == "closed"
    assert [(r.name, r.weight) for r in job.required_skills.all()] == [("records management", 1.0)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", **skill_rows(("a", "SQL", "1", False, ""))}, "This field is required."),
        ({"title": "X"}, "Add at least one required skill."),
        ({"title": "X", **skill_rows(("a", "SQL", "1", False, ""), ("b", "sql", "1", False, ""))}, "listed twice"),
        ({"title": "X", **skill_rows(("a", "SQL", "0", False, ""))}, "Check the skill"),
        ({"title": "X", **skill_rows(("a", "SQL", "1", False, "12"))}, "Check the skill"),
    ],
)
def test_invalid_jobs_are_not_saved(rclient, data, message):
    resp = rclient.post(url("job_new"), {"status": "open", **data})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert message in body
    assert not Job.objects.exists()
    # what was typed is kept
    for key, value in data.items():
        if key.endswith("-name") and value.strip():
            assert f'value="{value}"' in body


def test_rows_are_added_and_removed_without_javascript(rclient):
    data = {"title": "T", "status": "open", **skill_rows(("a", "SQL", "2", True, ""), ("b", "Python", "1", False, ""))}
    body = rclient.post(url("job_new"), {**data, "add_row": "1"}).content.decode()
    assert body.count('class="skill-name"') == 3 and 'value="SQL"' in body and "checked" in body
    body = rclient.post(url("job_new"), {**data, "remove": "a"}).content.decode()
    assert body.count('class="skill-name"') == 1 and 'value="SQL"' not in body and 'value="Python"' in body
    assert not Job.objects.exists()


def test_htmx_row_endpoint_returns_one_focused_row(rclient):
    resp = rclient.get(url("skill_row"), headers={"HX-Request": "true"})
    body = resp.content.decode()
    assert body.lstrip().startswith('<tr class="skill-row"') and "autofocus" in body and "<html" not in body


def test_edit_job_changes_fields_and_skills_and_reruns(rclient, job, finished_run, django_capture_on_commit_callbacks):
    page = rclient.get(url("job_edit", job_id=job.id)).content.decode()
    assert 'value="Data analyst"' in page and 'value="SQL"' in page and 'value="data visualisation"' in page
    data = {
        "title": "Senior data analyst",
        "description": "More SQL.",
        "status": "open",
        **skill_rows(("a", "SQL", "3", True, ""), ("b", "statistics", "1", False, "6")),
    }
    with django_capture_on_commit_callbacks(execute=True):
        resp = rclient.post(url("job_edit", job_id=job.id), data, follow=True)
    job.refresh_from_db()
    assert job.title == "Senior data analyst" and job.description == "More SQL."
    assert [(r.name, r.weight, r.must_have, r.min_level) for r in job.required_skills.all()] == [
        ("SQL", 3.0, True, None),
        ("statistics", 1.0, False, 6),
    ]
    assert MatchRun.objects.filter(job=job).count() == 2  # the changed job started a new run
    assert "a new match run was started" in resp.content.decode()


def test_edit_without_skill_change_does_not_rerun(rclient, job, finished_run):
    data = {
        "title": "Data analyst (m/f/d)",
        "status": "closed",
        "description": "",
        **skill_rows(
            ("a", "SQL", "2", True, ""),
            ("b", "Python programming", "1", False, ""),
            ("c", "data visualisation", "1", False, "5"),
        ),
    }
    resp = rclient.post(url("job_edit", job_id=job.id), data, follow=True)
    job.refresh_from_db()
    assert job.title == "Data analyst (m/f/d)" and job.status == "closed"
    assert MatchRun.objects.filter(job=job).count() == 1
    assert "Job saved." in resp.content.decode()


def test_editor_access(client, rclient, seeker, other_recruiter, job):
    client.force_login(other_recruiter)
    assert client.get(url("job_edit", job_id=job.id)).status_code == 404
    assert client.post(url("job_edit", job_id=job.id), {"title": "Hacked"}).status_code == 404
    client.force_login(seeker)
    assert client.get(url("job_new")).status_code == 403
    assert client.get(url("skill_suggest"), {"q": "sql"}).status_code == 403
    job.refresh_from_db()
    assert job.title == "Data analyst"


def test_autocomplete_suggests_taxonomy_labels(rclient, taxonomy):
    body = rclient.get(url("skill_suggest"), {"q": "pyth"}, headers={"HX-Request": "true"}).content.decode()
    assert body.startswith('<option value="Python (computer programming)">')
    assert "install tile flooring" not in body  # far-fetched suggestions are left out
    # htmx sends the field itself, named after its row
    body = rclient.get(url("skill_suggest"), {"skills-ab12-name": "data vis"}).content.decode()
    assert '<option value="present data visually">' in body
    assert rclient.get(url("skill_suggest"), {"q": "p"}).content.decode().strip() == ""


def test_suggest_skills_from_the_description_with_htmx(rclient, taxonomy):
    data = {
        "description": "You will write SQL and Python and present data visually.",
        **skill_rows(("a", "sql", "1", False, "")),
    }
    resp = rclient.post(url("skills_from_description"), data, headers={"HX-Request": "true"})
    body = resp.content.decode()
    assert 'value="Python (computer programming)"' in body and 'value="present data visually"' in body
    assert 'value="SQL"' not in body  # already listed (case-insensitively)
    assert 'id="suggest-note"' in body and 'hx-swap-oob="true"' in body and "Added 2 suggested skills" in body


def test_suggest_skills_without_javascript(rclient, taxonomy):
    data = {
        "title": "Analyst",
        "status": "open",
        "description": "Statistics and spreadsheets every day.",
        "suggest": "1",
        **skill_rows(("a", "", "1", False, "")),
    }
    resp = rclient.post(url("job_new"), data)
    body = resp.content.decode()
    assert resp.status_code == 200 and not Job.objects.exists()
    assert 'value="apply statistical analysis techniques"' in body and 'value="use spreadsheets software"' in body
    assert "Added 2 suggested skills" in body


def test_suggestions_fall_back_to_normalize_without_skills_extract(rclient, taxonomy, monkeypatch):
    from apps.skills import services

    monkeypatch.delattr(services, "skills_extract", raising=False)
    data = {"description": "SQL, statistics\nknitting"}
    body = rclient.post(url("skills_from_description"), data).content.decode()
    assert 'value="SQL"' in body and 'value="apply statistical analysis techniques"' in body


def test_empty_description_asks_for_one(rclient):
    body = rclient.post(url("skills_from_description"), {"description": " "}).content.decode()
    assert "Write a description first" in body and "skill-row" not in body


def test_jobs_list_links_to_the_editor(rclient, org):
    make_job(org, ["SQL"], title="Any", job_id="job-any")
    body = rclient.get(url("jobs")).content.decode()
    assert f'href="{url("job_new")}"' in body
