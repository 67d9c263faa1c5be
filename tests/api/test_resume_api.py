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
