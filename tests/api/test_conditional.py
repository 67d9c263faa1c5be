"""ETags on reads (304 for If-None-Match) and If-Match on updates (412 when stale)."""

from __future__ import annotations

import pytest

from apps.jobs.models import Job
from tests.factories import make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_get_has_an_etag_and_if_none_match_gives_304(api, org):
    job = make_job(org, ["SQL"])
    url = f"/api/v1/jobs/{job.pk}/"
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and "private" in first["Cache-Control"]
    assert api.get(url)["ETag"] == etag  # stable
    cached = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304 and cached.content == b"" and cached["ETag"] == etag
    assert api.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304  # lists, weak form
    assert api.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # a change gives a new ETag, so the old one no longer matches
    api.patch(url, {"title": "Senior data analyst"}, format="json")
    fresh = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_lists_have_etags_too(api, org):
    make_job(org, ["SQL"])
    etag = api.get("/api/v1/jobs/")["ETag"]
    assert api.get("/api/v1/jobs/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_job(org, ["Python"], title="Another")
    assert api.get("/api/v1/jobs/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_if_match_guards_updates(api, org):
    job = make_job(org, ["SQL"])
    url = f"/api/v1/jobs/{job.pk}/"
    etag = api.get(url)["ETag"]
    ok = api.patch(url, {"title": "Analyst I"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    assert ok["ETag"] == api.get(url)["ETag"]  # the PATCH answer's ETag is the new GET's
    problem = assert_problem(api.patch(url, {"title": "Analyst II"}, format="json", HTTP_IF_MATCH=etag), 412)
    assert "GET it again" in problem["detail"]
    assert Job.objects.get().title == "Analyst I"
    assert_problem(api.delete(url, HTTP_IF_MATCH=etag), 412)
    assert api.patch(url, {"title": "Any"}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_errors_carry_no_etag(api):
    response = api.get("/api/v1/jobs/999999/")
    assert response.status_code == 404 and not response.has_header("ETag")
