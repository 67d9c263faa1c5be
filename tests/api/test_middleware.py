"""apps.api.middleware.ApiGuardMiddleware: whatever fails under /api/, the answer is problem+json,
with DEBUG on or off; bodies over the limit are 413 before they are read; POST without the final
slash is served; NUL in query parameters is a 400 naming the parameter."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from apps.jobs.models import Job

from .conftest import assert_problem, job_body

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_post_without_final_slash_creates_the_job(api, debug):
    response = api.post("/api/v1/jobs", job_body(), format="json")
    assert response.status_code == 201, response.content
    assert Job.objects.filter(external_id="job-data-1").exists()


def test_get_without_final_slash_is_served_too(api, debug):
    assert api.get("/api/v1/jobs").status_code == 200


def test_unknown_api_path_is_a_problem_404(api, debug):
    assert_problem(api.get("/api/v1/no-such-thing"), 404)
    assert_problem(api.post("/api/v1/no-such-thing", {}, format="json"), 404)  # DEBUG: no RuntimeError
    assert_problem(api.get("/api/nothing/here/"), 404)


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/v1/jobs/", "application/json"),
        ("/api/v1/candidates/", "application/json"),
        ("/api/v1/candidates/import/", "application/x-ndjson"),
        ("/api/v1/jobs/", "application/x-www-form-urlencoded"),
        ("/api/v1/jobs/", "multipart/form-data; boundary=x"),
    ],
)
def test_a_body_over_the_limit_is_413_problem(api, settings, debug, url, content_type):
    settings.TSUMIKI_API_MAX_BODY_BYTES = 1000
    response = api.generic("POST", url, b" " * 1001, content_type=content_type)
    body = assert_problem(response, 413)
    assert "1000" in body["detail"]


def test_the_background_import_has_its_own_larger_limit(api, settings):
    settings.TSUMIKI_API_MAX_BODY_BYTES = 100
    settings.TSUMIKI_IMPORT_MAX_BYTES = 10_000
    text = "\n".join(f'{{"id": "c-{i}"}}' for i in range(20))
    assert len(text) > 100
    assert (
        api.generic("POST", "/api/v1/candidates/imports/", text, content_type="application/x-ndjson").status_code == 202
    )
    assert_problem(api.generic("POST", "/api/v1/candidates/import/", text, content_type="application/x-ndjson"), 413)
    settings.TSUMIKI_IMPORT_MAX_BYTES = 200
    assert_problem(api.generic("POST", "/api/v1/candidates/imports/", text, content_type="application/x-ndjson"), 413)


def test_a_form_body_over_django_s_own_limit_is_413_not_html(api, settings, debug):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = api.generic("POST", "/api/v1/jobs/", "a=" + "b" * 200, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (413, 415), response.content
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("query", ["q=a%00b", "a%00=1", "external_id=%00"])
def test_nul_in_a_query_parameter_is_400_naming_it(api, query):
    body = assert_problem(api.get(f"/api/v1/skills/?{query}"), 400)
    assert body["errors"]


def test_a_disallowed_host_is_a_problem_400(api, debug):
    body = assert_problem(api.get("/api/v1/jobs/", HTTP_HOST="evil.example"), 400)
    assert "evil" not in body["detail"]


def test_an_unhandled_exception_is_a_problem_500_with_debug_on_or_off(api, debug, monkeypatch):
    from apps.jobs.api import views

    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "job_create", boom)
    api.raise_request_exception = False
    response = api.post("/api/v1/jobs/", job_body(), format="json")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert body["instance"] == "/api/v1/jobs/"


def test_a_bad_content_length_is_400(api):
    response = Client().generic("POST", "/api/v1/jobs/", b"{}", content_type="application/json", CONTENT_LENGTH="x")
    assert_problem(response, 400)


@override_settings(DEBUG=True)
def test_pages_outside_the_api_keep_django_s_answers(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "problem" not in response["Content-Type"]
