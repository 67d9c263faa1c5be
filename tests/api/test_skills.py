"""/api/v1/skills/: label search and normalization of free text to taxonomy concepts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.skills.models import LabelKind, Skill, SkillLabel
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .conftest import assert_problem

pytestmark = pytest.mark.django_db
ESCO = "http://data.europa.eu/esco/skill/"


def add_skill(uri: str, label: str, alternatives: tuple[str, ...] = (), lang: str = "en") -> Skill:
    ids = phrases_ensure(texts=[label, *alternatives])
    skill = Skill.objects.create(uri=ESCO + uri, preferred_label=label)
    rows = [(label, LabelKind.PREFERRED)] + [(a, LabelKind.ALTERNATIVE) for a in alternatives]
    for text, kind in rows:
        SkillLabel.objects.create(skill=skill, phrase_id=ids[normalize_phrase(text)], text=text, lang=lang, kind=kind)
    return skill


@pytest.fixture
def taxonomy(db):
    return {
        "python": add_skill("python", "Python (computer programming)", ("Python coding", "write Python scripts")),
        "sql": add_skill("sql", "SQL", ("structured query language",)),
        "pottery": add_skill("pottery", "make pottery", ("ceramics",)),
    }


def test_search_by_preferred_or_alternative_label(api, taxonomy):
    def uris(q):
        response = api.get("/api/v1/skills/", {"q": q})
        assert response.status_code == 200, response.content
        assert "ESCO classification" in response.json()["attribution"]
        return [s["uri"] for s in response.json()["results"]]

    assert uris("PYTHON") == [ESCO + "python"]
    assert uris("query language") == [ESCO + "sql"]  # alternative label only
    assert uris("ceram") == [ESCO + "pottery"]
    assert uris("python scripts coding") == []
    assert len(uris("")) == 3


def test_normalize_maps_phrases_to_concepts_in_order(api, taxonomy):
    body = {"phrases": ["python coding", "structured query language", ""], "top": 2}
    response = api.post("/api/v1/skills/normalize/", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [r["input"] for r in data["results"]] == body["phrases"]
    first = data["results"][0]["matches"]
    assert first[0]["uri"] == ESCO + "python"
    assert first[0]["label"] == "Python (computer programming)"
    assert 0 < first[0]["score"] <= 1
    assert len(first) == 2
    assert data["results"][1]["matches"][0]["uri"] == ESCO + "sql"
    assert data["results"][2]["matches"] == []  # nothing to match in an empty phrase


def test_normalize_without_taxonomy_returns_no_matches(api):
    response = api.post("/api/v1/skills/normalize/", {"phrases": ["python"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == [{"input": "python", "matches": []}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "phrases"),
        ({"phrases": []}, "phrases"),
        ({"phrases": "python"}, "phrases"),
        ({"phrases": ["python"], "top": 0}, "top"),
        ({"phrases": ["python"], "top": 51}, "top"),
        ({"phrases": ["x"] * 201}, "phrases"),
        ({"phrases": ["x" * 501]}, "phrases[0]"),  # list items are named (apps.api.errors.flatten_errors)
    ],
)
def test_normalize_rejects_bad_input(api, body, field):
    problem = assert_problem(api.post("/api/v1/skills/normalize/", body, format="json"), 400)
    assert field in problem["errors"]


def test_skills_need_a_key(taxonomy):
    assert_problem(APIClient().get("/api/v1/skills/", {"q": "sql"}), 401)
    assert_problem(APIClient().post("/api/v1/skills/normalize/", {"phrases": ["sql"]}, format="json"), 401)


def test_normalize_is_a_read_but_needs_the_write_scope(org, client_for, taxonomy):
    """POST is a write for the scope check even though normalize stores nothing but phrases."""
    client = client_for(org, scopes=("read",))
    assert client.get("/api/v1/skills/", {"q": "sql"}).status_code == 200
    assert_problem(client.post("/api/v1/skills/normalize/", {"phrases": ["sql"]}, format="json"), 403)
