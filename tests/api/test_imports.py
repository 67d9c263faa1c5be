"""Bulk candidate import in the background: 202 + status URL, progress, line-numbered errors."""

from __future__ import annotations

import json

import pytest

from apps.candidates.models import Candidate, CandidateImport

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def jsonl(*objs) -> str:
    return "\n".join(json.dumps(o) for o in objs) + "\n"


def start(api, body: str, capture, content_type="application/x-ndjson"):
    with capture(execute=True):
        response = api.post("/api/v1/candidates/imports/", body, content_type=content_type)
    assert response.status_code == 202, response.content
    return response


def test_import_runs_in_the_background_and_reports_progress(api, settings, django_capture_on_commit_callbacks):
    settings.TSUMIKI_IMPORT_CHUNK_SIZE = 2
    body = jsonl(*({"id": f"c-{i}", "skills": ["SQL"]} for i in range(5)))
    response = start(api, "\n" + body, django_capture_on_commit_callbacks)
    started = response.json()
    assert response["Location"] == started["url"] and started["status"] == "queued"
    assert started["total"] == 5
    polled = api.get(started["url"]).json()
    assert polled["status"] == "succeeded"
    assert polled["processed"] == polled["created"] == 5 and polled["errors"] == []
    assert polled["finished_at"]
    assert sorted(Candidate.objects.values_list("external_id", flat=True)) == [f"c-{i}" for i in range(5)]
    assert CandidateImport.objects.get().source == ""  # the body is not kept once imported
    assert [i["id"] for i in api.get("/api/v1/candidates/imports/").json()["results"]] == [started["id"]]


def test_bad_lines_fail_the_import_and_are_named(api, django_capture_on_commit_callbacks):
    body = jsonl({"id": "ok-1"}, {"name": "no id"}) + "{not json\n" + jsonl({"id": "ok-1"})
    started = start(api, body, django_capture_on_commit_callbacks, content_type="text/plain").json()
    polled = api.get(started["url"]).json()
    assert polled["status"] == "failed" and polled["created"] == 0
    assert [e["line"] for e in polled["errors"]] == [2, 3, 4]
    assert polled["errors"][0]["field"] == "id"
    assert "invalid JSON" in polled["errors"][1]["message"]
    assert "duplicate" in polled["errors"][2]["message"]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_body_is_400(api, body):
    assert_problem(api.post("/api/v1/candidates/imports/", body, content_type="application/x-ndjson"), 400)
    assert not CandidateImport.objects.exists()


def test_json_content_type_is_415(api):
    response = api.post("/api/v1/candidates/imports/", {"id": "c"}, format="json")
    assert_problem(response, 415)


def test_too_large_is_413(api, settings):
    settings.TSUMIKI_IMPORT_MAX_BYTES = 10
    assert_problem(api.post("/api/v1/candidates/imports/", jsonl({"id": "c-1"}), content_type="text/plain"), 413)


def test_imports_of_another_org_are_404(api, other_org):
    theirs = CandidateImport.objects.create(organization=other_org, source="{}")
    assert_problem(api.get(f"/api/v1/candidates/imports/{theirs.pk}/"), 404)
    assert api.get("/api/v1/candidates/imports/").json()["results"] == []
