"""Every JSON body goes through apps.api.parsers.JSONParser (apps.core.inputs): a bad value is a 400
problem+json naming the field, and nothing is stored (issue: non-finite numbers, deep nesting, lone
surrogates, NUL bytes)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.candidates.models import Candidate
from apps.jobs.models import Job

from .conftest import assert_problem

JOBS = "/api/v1/jobs/"
CANDIDATES = "/api/v1/candidates/"
IMPORT = "/api/v1/candidates/import/"


def post_raw(api, url, text: str, content_type="application/json"):
    return api.generic("POST", url, text.encode("utf-8", "surrogatepass"), content_type=content_type)


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (JOBS, '{"id": "j", "skills": [{"name": "SQL", "weight": 1e999}]}', "skills[0].weight"),
        (JOBS, '{"id": "j", "skills": [{"name": "SQL", "weight": 1e308}]}', "skills[0].weight"),
        (JOBS, '{"id": "j", "skills": [{"name": "SQL", "weight": 1000}]}', "skills[0].weight"),
        (JOBS, '{"id": "j", "skills": [{"name": "SQL", "weight": NaN}]}', "skills[0].weight"),
        (JOBS, '{"id": "j", "title": "\\ud83d", "skills": ["SQL"]}', "title"),
        (JOBS, '{"id": "j", "title": "a\\u0000b", "skills": ["SQL"]}', "title"),
        (JOBS, '{"id": "j", "skills": ["S\\udc00QL"]}', "skills[0]"),
        (CANDIDATES, '{"id": "c", "credentials": [{"title": "t", "hours": 1e999}]}', "credentials[0].hours"),
        (CANDIDATES, '{"id": "c", "credentials": [{"title": "t", "hours": 1e12}]}', "credentials[0].hours"),
        (
            CANDIDATES,
            '{"id": "c", "credentials": [{"title": "t", "level": {"value": 1e999}}]}',
            "credentials[0].level.value",
        ),
        (CANDIDATES, '{"id": "c", "credentials": [{"title": "t", "level": 40000}]}', "credentials[0].level.value"),
        (CANDIDATES, '{"id": "c", "name": "a\\u0000"}', "name"),
        (CANDIDATES, '[{"id": "a"}, {"id": "b", "skills": ["\\ud83d"]}]', "[1].skills[0]"),
    ],
)
def test_bad_values_are_400_naming_the_field_and_store_nothing(api, org, url, body, field):
    problem = assert_problem(post_raw(api, url, body), 400)
    assert field in problem["errors"], problem
    assert not Job.objects.filter(organization=org).exists()
    assert not Candidate.objects.filter(organization=org).exists()


def test_the_organization_pages_work_after_refused_numbers(api, org):
    post_raw(api, JOBS, '{"id": "j", "skills": [{"name": "SQL", "weight": 1e999}]}')
    assert api.get(JOBS).status_code == 200


@pytest.mark.parametrize("url", [JOBS, CANDIDATES])
def test_deep_nesting_is_400_not_recursion_error(api, url):
    problem = assert_problem(post_raw(api, url, "[" * 5000 + "]" * 5000), 400)
    assert "nested deeper" in problem["detail"]


def test_deep_nesting_in_an_import_line_names_the_line(api, org):
    text = '{"id": "a"}\n{"id": "b", "skills": ' + "[" * 3000 + "]" * 3000 + "}\n"
    problem = assert_problem(post_raw(api, IMPORT, text, "application/x-ndjson"), 400)
    assert problem["line"] == 2
    assert not Candidate.objects.filter(organization=org).exists()


def test_nul_in_an_import_body_names_the_line(api, org):
    problem = assert_problem(post_raw(api, IMPORT, '{"id": "a"}\n{"id": "b\x00"}\n', "application/x-ndjson"), 400)
    assert problem["line"] == 2
    problem = assert_problem(post_raw(api, "/api/v1/candidates/imports/", '{"id": "a"}\n\x00\n', "text/plain"), 400)
    assert problem["line"] == 2


def test_non_utf8_import_names_line_and_column(api):
    response = api.generic("POST", IMPORT, b'{"id": "a"}\n{"id": "\xff"}\n', content_type="application/x-ndjson")
    problem = assert_problem(response, 400)
    assert problem["line"] == 2 and "0xff" in problem["detail"]


def test_demographics_with_unexpected_keys_and_shapes_is_never_a_500(api, org):
    from tests.factories import make_candidate

    c = make_candidate(org, cid="d-1")
    url = f"/api/v1/candidates/{c.pk}/demographics/"
    for body in ({"consent": True, "shoe_size": 44}, [], ["consent"], "x", 5, {"consent": True, "gender": None}):
        response = api.put(url, body, format="json")
        assert response.status_code in (204, 400), (body, response.content)
    assert api.put(url, {"consent": True, "gender": "f", "extra": {"a": 1}}, format="json").status_code == 204
    # schemathesis' 500: an If-Match header made the ETag check serialize the Candidate as demographics
    response = api.put(url, {"consent": True, "unexpected": 1}, format="json", HTTP_IF_MATCH='"abc"')
    assert response.status_code == 204, response.content


strings = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0xFFFF), max_size=20)
numbers = st.floats(allow_nan=False, allow_infinity=False) | st.integers(min_value=-(10**20), max_value=10**20)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    title=strings,
    name=strings,
    weight=numbers,
    min_level=st.none() | numbers,
)
def test_any_job_body_is_created_or_refused_with_a_400(api, org, title, name, weight, min_level):
    import json

    body = json.dumps({"title": title, "skills": [{"name": name, "weight": weight, "min_level": min_level}]})
    response = post_raw(api, JOBS, body)
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert response["Content-Type"].startswith("application/problem+json")
    assert api.get(JOBS).status_code == 200
