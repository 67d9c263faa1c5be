"""CV import over the API: a draft for a candidate of the caller's organization, problem+json for files
that are no CV, the size limit, other organizations' candidates, several files at once, and the schema."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.candidates import cv_files
from tests.candidates.conftest import URI, cv_taxonomy  # noqa: F401  (fixture)

from ..factories import make_candidate


def _file(data: bytes, name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_resume_draft_for_a_candidate(api, org, cv_taxonomy):  # noqa: F811
    cand = make_candidate(org, cid="c-1")
    r = api.post(
        f"/api/v1/candidates/{cand.id}/resume/", {"file": _file(cv_files.pdf_two_columns())}, format="multipart"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["format"] == "pdf" and body["name"] == "Jane Q. Doe" and body["email"] == "jane.doe@example.com"
    assert {URI + "py", URI + "sql"} <= {s["uri"] for s in body["skills"]}
    assert [e["title"] for e in body["experience"]] == ["Senior Data Analyst", "Data Analyst"]
    assert body["credentials"][0]["title"] == "Tableau Desktop Specialist"
    assert not cand.declared_skills.exists()  # a draft stores nothing


@pytest.mark.django_db
def test_resume_problems(api, org, other_org):
    cand = make_candidate(org, cid="c-1")
    url = f"/api/v1/candidates/{cand.id}/resume/"
    r = api.post(url, {"file": _file(b"\x00\xff" * 100, "x.bin")}, format="multipart")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/problem+json")
    assert r.json()["field"] == "file" and "not a PDF, DOCX" in r.json()["errors"]["file"][0]
    r = api.post(url, {"file": _file(cv_files.pdf_scanned())}, format="multipart")
    assert r.status_code == 400 and r.json()["errors"] == {"file": ["this PDF has no text layer (scanned?)"]}
    assert api.post(url, {}, format="multipart").status_code == 400
    stranger = make_candidate(other_org, cid="c-x")
    r = api.post(f"/api/v1/candidates/{stranger.id}/resume/", {"file": _file(b"Skills\nSQL")}, format="multipart")
    assert r.status_code == 404


@pytest.mark.django_db
def test_resume_size_limit(api, org, settings):
    settings.CREDENTIALS_MAX_UPLOAD_BYTES = 1000
    cand = make_candidate(org, cid="c-1")
    r = api.post(f"/api/v1/candidates/{cand.id}/resume/", {"file": _file(b"a" * 2000, "a.txt")}, format="multipart")
    assert r.status_code == 413 and r["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_resume_needs_write_scope(org, client_for):
    cand = make_candidate(org, cid="c-1")
    r = client_for(org, scopes=("read",)).post(
        f"/api/v1/candidates/{cand.id}/resume/", {"file": _file(b"Skills\nSQL", "a.txt")}, format="multipart"
    )
    assert r.status_code == 403


@pytest.mark.django_db
def test_several_resumes_at_once(api, cv_taxonomy):  # noqa: F811
    files = [
        _file(cv_files.json_resume(), "a.json"),
        _file(b"\x00\xff" * 10, "junk"),
        _file(cv_files.ler_rs(), "b.json"),
    ]
    r = api.post("/api/v1/candidates/resumes/", {"file": files}, format="multipart")
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert [x["file"] for x in results] == ["a.json", "junk", "b.json"]
    assert [x["format"] for x in results] == ["json-resume", None, "ler-rs"]
    assert results[1]["errors"] and results[1]["skills"] == []
    assert api.post("/api/v1/candidates/resumes/", {}, format="multipart").status_code == 400


@pytest.mark.django_db
def test_resume_endpoints_in_the_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    op = schema["paths"]["/api/v1/candidates/{id}/resume/"]["post"]
    assert "multipart/form-data" in op["requestBody"]["content"]
    assert {"200", "400", "404", "413"} <= set(op["responses"])
    assert "/api/v1/candidates/resumes/" in schema["paths"]


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_a_draft_or_a_problem_never_a_500(api, org, data):
    cand = make_candidate(org, cid="c-h") if not org.candidates.exists() else org.candidates.get()
    r = api.post(f"/api/v1/candidates/{cand.id}/resume/", {"file": _file(data, "x")}, format="multipart")
    assert r.status_code in (200, 400), r.content


@pytest.mark.django_db
def test_a_cv_read_in_the_background(api, org, cv_taxonomy, django_capture_on_commit_callbacks):  # noqa: F811
    from apps.candidates.models import ResumeParseJob

    cand = make_candidate(org, cid="c-1")
    data = cv_files.pdf_two_columns()
    sync = api.post(f"/api/v1/candidates/{cand.id}/resume/", {"file": _file(data)}, format="multipart").json()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        r = api.post(f"/api/v1/candidates/{cand.id}/resume/jobs/", {"file": _file(data)}, format="multipart")
    assert r.status_code == 202, r.content
    job = r.json()
    assert r["Location"] == job["url"] and job["url"].endswith(f"/api/v1/candidates/resume-jobs/{job['id']}/")
    assert (job["status"], job["draft"], job["candidate"], job["file"]) == ("queued", None, cand.id, "cv.pdf")
    assert api.get(job["url"]).json()["status"] == "queued"
    for callback in queued:  # a worker reads it
        callback()
    done = api.get(job["url"]).json()
    assert done["status"] == "done" and done["errors"] == []
    assert done["draft"] == sync  # the same draft as the synchronous answer
    assert not cand.declared_skills.exists()  # a draft stores nothing on the candidate
    assert ResumeParseJob.objects.get().api_key is not None


@pytest.mark.django_db
def test_a_background_job_is_the_senders_own(api, org, other_org, client_for, django_capture_on_commit_callbacks):
    cand = make_candidate(org, cid="c-1")
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(
            f"/api/v1/candidates/{cand.id}/resume/jobs/", {"file": _file(cv_files.pdf_scanned())}, format="multipart"
        )
    url = r.json()["url"]
    failed = api.get(url).json()
    assert failed["status"] == "failed" and failed["errors"] == ["this PDF has no text layer (scanned?)"]
    assert client_for(org).get(url).status_code == 404  # another key of the same organization
    assert client_for(other_org).get(url).status_code == 404
    assert api.get("/api/v1/candidates/resume-jobs/not-a-uuid/").status_code == 404
    stranger = make_candidate(other_org, cid="c-x")
    r = api.post(f"/api/v1/candidates/{stranger.id}/resume/jobs/", {"file": _file(b"Skills\nSQL")}, format="multipart")
    assert r.status_code == 404
    assert api.post(f"/api/v1/candidates/{cand.id}/resume/jobs/", {}, format="multipart").status_code == 400
    reader = client_for(org, scopes=("read",))
    r = reader.post(f"/api/v1/candidates/{cand.id}/resume/jobs/", {"file": _file(b"Skills\nSQL")}, format="multipart")
    assert r.status_code == 403


@pytest.mark.django_db
def test_background_jobs_in_the_schema(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]
    post = paths["/api/v1/candidates/{id}/resume/jobs/"]["post"]
    assert {"202", "400", "404", "413", "503"} <= set(post["responses"])
    assert "multipart/form-data" in post["requestBody"]["content"]
    get = paths["/api/v1/candidates/resume-jobs/{job_id}/"]["get"]
    assert {"200", "404"} <= set(get["responses"])


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), job_id=st.text(max_size=40).filter(lambda t: "/" not in t and "\x00" not in t))
def test_background_jobs_answer_anything_without_a_500(api, org, data, job_id):
    from urllib.parse import quote

    cand = make_candidate(org, cid="c-h") if not org.candidates.exists() else org.candidates.get()
    r = api.post(f"/api/v1/candidates/{cand.id}/resume/jobs/", {"file": _file(data, "x")}, format="multipart")
    assert r.status_code in (202, 400), r.content
    r = api.get(f"/api/v1/candidates/resume-jobs/{quote(job_id, safe='')}/")
    assert r.status_code == 404, r.content
