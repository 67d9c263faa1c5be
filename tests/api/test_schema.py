"""The OpenAPI schema is valid OpenAPI 3, documents every endpoint, and the docs pages render."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_schema_documents_the_api(schema):
    paths = schema["paths"]
    expected = {
        "/api/v1/jobs/": {"get", "post"},
        "/api/v1/jobs/{id}/": {"get", "patch", "delete"},
        "/api/v1/candidates/": {"get", "post"},
        "/api/v1/candidates/{id}/": {"get", "delete"},
        "/api/v1/candidates/import/": {"post"},
        "/api/v1/jobs/{job_id}/match-runs/": {"get", "post"},
        "/api/v1/match-runs/{id}/": {"get"},
        "/api/v1/jobs/{job_id}/shortlist/": {"get"},
        "/api/v1/jobs/{job_id}/candidates/{candidate_id}/explanation/": {"get"},
        "/api/v1/skills/": {"get"},
        "/api/v1/skills/normalize/": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path
    start = paths["/api/v1/jobs/{job_id}/match-runs/"]["post"]["responses"]
    assert "202" in start and "application/problem+json" in start["400"]["content"]
    assert "application/x-ndjson" in paths["/api/v1/candidates/import/"]["post"]["requestBody"]["content"]
    assert "401" in paths["/api/v1/jobs/"]["get"]["responses"]
    shortlist_params = {p["name"] for p in paths["/api/v1/jobs/{job_id}/shortlist/"]["get"]["parameters"]}
    assert {
        "min_score",
        "must_have_met",
        "verified_only",
        "has_skill",
        "cursor",
        "page_size",
        "run",
    } <= shortlist_params
    explanation = paths["/api/v1/jobs/{job_id}/candidates/{candidate_id}/explanation/"]["get"]
    assert "run" in {p["name"] for p in explanation["parameters"]}
    for op in (paths["/api/v1/jobs/{job_id}/shortlist/"]["get"], explanation):
        assert {"400", "404"} <= set(op["responses"]), op["responses"].keys()
        assert "application/problem+json" in op["responses"]["404"]["content"]
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"


def test_spectacular_command_validates_without_warnings(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "s.yml"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"/api/schema/" in response.content


def test_unknown_api_path_is_a_problem_404():
    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
