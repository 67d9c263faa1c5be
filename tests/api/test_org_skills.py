"""/api/v1/organization-skills/: an organization's own skills (list, add, import Rich Skill Descriptors,
all or nothing), scoped to the key's organization, and found by /skills/normalize/ for it only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apps.skills.models import OrganizationSkill

from ..factories import OrganizationFactory
from .conftest import assert_problem
from .test_skills import ESCO, add_skill

pytestmark = pytest.mark.django_db
URL = "/api/v1/organization-skills/"
COLLECTION = Path(__file__).resolve().parents[1] / "skills" / "data" / "rsd-collection.json"


@pytest.fixture
def sql(db):
    return add_skill("sql", "SQL", ("structured query language",))


def test_import_list_and_normalize_for_this_organization_only(api, org, client_for, sql):
    r = api.post(URL + "import/", json.loads(COLLECTION.read_text()), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["created"], body["updated"], body["mapped"]) == (2, 0, 1)
    listed = api.get(URL).json()["results"]
    assert [(s["name"], s["esco_uri"], s["source"]) for s in listed] == [
        ("Kaizen facilitation", None, "rsd"),
        ("Warehouse SQL reporting", ESCO + "sql", "rsd"),
    ]
    found = api.post("/api/v1/skills/normalize/", {"phrases": ["kaizen"]}, format="json").json()
    top = found["results"][0]["matches"][0]
    assert (top["label"], top["source"], top["score"]) == ("Kaizen facilitation", "organization", 1.0)
    stranger = client_for(OrganizationFactory(slug="stranger"))
    assert stranger.get(URL).json()["results"] == []
    theirs = stranger.post("/api/v1/skills/normalize/", {"phrases": ["kaizen"]}, format="json").json()
    assert all(m["source"] == "esco" for m in theirs["results"][0]["matches"])


def test_add_one_by_hand(api, sql):
    r = api.post(
        URL, {"name": "Line balancing", "description": "Even out work", "esco_uri": ESCO + "sql"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["uri"].startswith("urn:tsumiki:org:") and r.json()["esco_uri"] == ESCO + "sql"
    problem = assert_problem(api.post(URL, {"name": "line balancing"}, format="json"), 400)
    assert "already has" in problem["detail"]
    assert_problem(api.post(URL, {"name": "x", "esco_uri": ESCO + "nope"}, format="json"), 400)
    assert_problem(api.post(URL, {"name": 5}, format="json"), 400)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ([], "no skills"),
        ({"type": "RichSkillCollection", "skills": [{"id": "https://x.example/s/1"}]}, "only a reference"),
        ([{"skillName": "ok one"}, {"skillName": ""}], "skill 2"),
        ({"nothing": "here"}, "no skillName"),
    ],
)
def test_a_bad_file_is_a_400_and_stores_nothing(api, body, words):
    problem = assert_problem(api.post(URL + "import/", body, format="json"), 400)
    assert words in problem["detail"] and problem["errors"]["file"]
    assert not OrganizationSkill.objects.exists()


def test_writing_needs_the_write_scope(org, client_for):
    client = client_for(org, scopes=("read",))
    assert client.get(URL).status_code == 200
    assert_problem(client.post(URL, {"name": "x"}, format="json"), 403)
    assert_problem(client.post(URL + "import/", [{"skillName": "x"}], format="json"), 403)
