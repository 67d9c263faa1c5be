"""/api/v1/candidates/: interchange candidates with credentials, degrees flagged, JSON-lines import."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.candidates.models import Candidate
from apps.credentials.models import Credential
from tests.factories import credential, make_candidate

from .conftest import assert_problem

pytestmark = pytest.mark.django_db
URL = "/api/v1/candidates/"
IMPORT = "/api/v1/candidates/import/"


def candidate_body(cid: str = "c-1", **overrides) -> dict:
    body = {
        "id": cid,
        "name": "Aiko Tanaka",
        "credentials": [
            {
                "title": "SQL for analysts",
                "kind": "microcredential",
                "issuer": "Open Data Institute",
                "issued": "2025-03-01",
                "expires": "2028-03-01",
                "verified": True,
                "level": {"framework": "EQF", "value": 5},
                "hours": 60,
                "skills": ["SQL", "data analysis"],
            },
        ],
        "skills": ["Excel"],
        "degrees": [{"title": "BSc Economics", "level": {"framework": "EQF", "value": 6}}],
    }
    body.update(overrides)
    return body


def test_create_one_candidate_with_credentials_and_degree(api, org):
    response = api.post(URL, candidate_body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    cand = Candidate.objects.get(organization=org, external_id="c-1")
    assert data["id"] == cand.pk
    assert data["external_id"] == "c-1"
    creds = {c["title"]: c for c in data["credentials"]}
    sql = creds["SQL for analysts"]
    assert sql["kind"] == "microcredential"
    assert sql["issuer"] == "Open Data Institute"
    assert (sql["issued"], sql["expires"]) == ("2025-03-01", "2028-03-01")
    assert sql["level"] == {"framework": "EQF", "value": 5, "eqf": 5}
    assert sql["hours"] == 60
    assert sql["verification_status"] == "verified"
    assert sql["skills"] == ["SQL", "data analysis"]
    degree = creds["BSc Economics"]
    assert degree["kind"] == "degree"  # returned, but flagged: degrees never count toward a score
    assert degree["verification_status"] == "unverified"
    assert data["skills"] == [{"text": "Excel", "source": "self", "context": ""}]
    assert api.get(data["url"]).json() == data


def test_create_a_list_and_replace_by_id(api, org):
    response = api.post(URL, [candidate_body("c-1"), {"id": "c-2", "skills": ["Python"]}], format="json")
    assert response.status_code == 201, response.content
    assert [c["external_id"] for c in response.json()] == ["c-1", "c-2"]
    # posting an existing id replaces that candidate's record rather than duplicating it
    response = api.post(URL, {"id": "c-1", "credentials": [credential("Tableau basics", ["Tableau"])]}, format="json")
    assert response.status_code == 201, response.content
    assert Candidate.objects.filter(organization=org).count() == 2
    assert [c["title"] for c in response.json()["credentials"]] == ["Tableau basics"]
    assert Credential.objects.filter(candidate__external_id="c-1").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "no id"}, "id"),
        ({"id": "c", "credentials": [{"skills": ["SQL"]}]}, "credentials[0].title"),
        ({"id": "c", "credentials": [{"title": "T", "issued": "last year"}]}, "credentials[0].issued"),
        ({"id": "c", "credentials": [{"title": "T", "kind": "diploma"}]}, "credentials[0].kind"),
        ({"id": "c", "credentials": [{"title": "T", "verified": "yes"}]}, "credentials[0].verified"),
        ({"id": "c", "credentials": [{"title": "T", "hours": -5}]}, "credentials[0].hours"),
        ({"id": "c", "credentials": [{"title": "T", "issuer": "x" * 301}]}, "credentials[0].issuer"),
        ({"id": "c", "skills": "SQL"}, "skills"),
        ({"id": "c", "degrees": [{"title": "BSc", "level": {"value": 99999}}]}, "degrees[0].level.value"),
        ({"id": "c" * 101}, "id"),
        ("just a string", "non_field_errors"),
    ],
)
def test_invalid_candidate_is_400_naming_the_field(api, body, field):
    problem = assert_problem(api.post(URL, body, format="json"), 400)
    assert field in problem["errors"], problem
    assert not Candidate.objects.exists()


def test_invalid_item_of_a_list_is_named_by_index_and_nothing_is_stored(api):
    body = [candidate_body("c-1"), {"id": "c-2", "credentials": [{"skills": ["SQL"]}]}]
    problem = assert_problem(api.post(URL, body, format="json"), 400)
    assert "[1].credentials[0].title" in problem["errors"]
    assert not Candidate.objects.exists()


def test_duplicate_ids_and_empty_lists_are_400(api):
    problem = assert_problem(api.post(URL, [{"id": "c-1"}, {"id": "c-1"}], format="json"), 400)
    assert "[1].id" in problem["errors"]
    assert_problem(api.post(URL, [], format="json"), 400)
    assert not Candidate.objects.exists()


def test_delete(api, org):
    cand = make_candidate(org, cid="c-9", credentials=[credential("SQL", ["SQL"])])
    assert api.delete(f"{URL}{cand.pk}/").status_code == 204
    assert not Candidate.objects.filter(pk=cand.pk).exists()
    assert not Credential.objects.filter(candidate_id=cand.pk).exists()


def jsonl(*objs) -> str:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objs) + "\n"


@pytest.mark.parametrize("content_type", ["application/x-ndjson", "text/plain", "application/jsonl"])
def test_import_json_lines(api, org, content_type):
    body = jsonl(candidate_body("c-1"), {"id": "c-2", "skills": ["Python", "line\u2028separator"]}) + "\n\n"
    response = api.post(IMPORT, body, content_type=content_type)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] == 2
    assert [c["external_id"] for c in data["candidates"]] == ["c-1", "c-2"]
    assert set(Candidate.objects.filter(organization=org).values_list("external_id", flat=True)) == {
        "c-1",
        "c-2",
    }


@pytest.mark.parametrize(
    ("lines", "line", "field"),
    [
        (['{"id": "c-1"}', '{"id": "c-2", oops}'], 2, None),
        (['{"id": "c-1"}', "", '{"id": "c-3", "credentials": [{"hours": 3}]}'], 3, "credentials[0].title"),
        (['{"id": "c-1"}', '{"id": "c-1"}'], 2, "id"),
        (
            ['{"id": "c-1", "credentials": [{"title": "T", "issuer": "' + "x" * 301 + '"}]}'],
            1,
            "credentials[0].issuer",
        ),
        (["[1, 2]"], 1, None),
    ],
)
def test_import_malformed_line_is_400_naming_the_line(api, lines, line, field):
    response = api.post(IMPORT, "\n".join(lines), content_type="application/x-ndjson")
    problem = assert_problem(response, 400)
    assert problem["line"] == line
    assert f"line {line}" in problem["detail"]
    if field:
        assert problem["field"] == field
    assert not Candidate.objects.exists()  # all or nothing


def test_import_rejects_empty_and_non_text_bodies(api):
    assert_problem(api.post(IMPORT, "\n \n", content_type="application/x-ndjson"), 400)
    assert "no candidates" in assert_problem(api.post(IMPORT, "", content_type="application/x-ndjson"), 400)["detail"]
    problem = assert_problem(api.post(IMPORT, [{"id": "c-1"}], format="json"), 400)
    assert "x-ndjson" in problem["detail"]
    assert_problem(api.post(IMPORT, b"\xff\xfe{}", content_type="application/x-ndjson"), 400)
    assert_problem(api.post(IMPORT, "a,b", content_type="text/csv"), 415)
    assert not Candidate.objects.exists()


def test_list_query_count_does_not_grow_with_the_page(api, org):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL).status_code == 200
        return len(ctx.captured_queries)

    make_candidate(org, cid="a", credentials=[credential("SQL", ["SQL"])], skills=["Excel"])
    api.get(URL)  # the key's first use writes last_used_at; later ones within a minute do not
    few = count_queries()
    for i in range(5):
        make_candidate(
            org,
            cid=f"b{i}",
            credentials=[credential("SQL", ["SQL"]), credential("Py", ["Python"])],
            skills=["Excel"],
            degrees=[{"title": "BSc"}],
        )
    assert count_queries() == few
    response = api.get(URL, {"external_id": "b3"})
    assert [c["external_id"] for c in response.json()["results"]] == ["b3"]
