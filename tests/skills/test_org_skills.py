"""An organization's own skills in normalization and jobs (apps.skills.org_skills): found for that
organization only (exact name, keyword, word prefix, close phrase), merged with the taxonomy's answers;
a required own skill mapped to ESCO takes that concept."""

from __future__ import annotations

import pytest

from apps.core.interchange import parse_job
from apps.jobs.services import job_create
from apps.skills.org_skills import OrgSkillError, org_skill_create, org_skills_import_rsd, own_uri
from apps.skills.services import normalize

from ..factories import OrganizationFactory
from .conftest import URI
from .test_rsd import COLLECTION

pytestmark = pytest.mark.django_db


def _labels(found) -> list[str]:
    return [m.label for m in found]


def test_own_skills_are_answers_for_their_organization_only(org, taxonomy):
    other = OrganizationFactory(slug="b", name="B")
    org_skills_import_rsd(organization=org, data=COLLECTION.read_bytes())
    for text in ("Kaizen facilitation", "kaizen", "kaiz", "warehouse sql reporting"):
        mine = normalize(texts=[text], top_k=5, organization=org)[0]
        assert mine and mine[0].source == "organization", (text, mine)
        theirs = normalize(texts=[text], top_k=5, organization=other)[0]
        assert all(m.source == "esco" for m in theirs), (text, theirs)
        assert all(m.source == "esco" for m in normalize(texts=[text], top_k=5)[0])
    (exact,) = [m for m in normalize(texts=["Kaizen facilitation"], organization=org)[0] if m.source == "organization"]
    assert exact.score == 1.0 and exact.uri.endswith("6d0f5a3e-1b2c-4d5e-8f90-a1b2c3d4e5f6")
    sql = normalize(texts=["Warehouse SQL reporting"], organization=org)[0][0]
    assert sql.concept_uri == URI + "sql" and sql.skill_id
    # the taxonomy still answers beside them
    assert "SQL" in _labels(normalize(texts=["SQL"], organization=org)[0])


def test_a_skill_added_by_hand_gets_our_uri_and_its_mapping(org, taxonomy):
    row = org_skill_create(organization=org, name="Line balancing", description="Even out work", esco_uri=URI + "db")
    assert own_uri(row) == f"urn:tsumiki:org:{org.slug}:skill:{row.pk}" and row.concept.uri == URI + "db"
    with pytest.raises(OrgSkillError, match="already has"):
        org_skill_create(organization=org, name="line  BALANCING")
    with pytest.raises(OrgSkillError, match="not a concept"):
        org_skill_create(organization=org, name="Other", esco_uri=URI + "nope")
    with pytest.raises(OrgSkillError, match="name"):
        org_skill_create(organization=org, name="   ")
    # another organization may use the same name
    org_skill_create(organization=OrganizationFactory(slug="c"), name="Line balancing")


def test_a_required_own_skill_takes_its_esco_concept(org, taxonomy):
    org_skills_import_rsd(organization=org, data=COLLECTION.read_bytes())
    kaizen = org.own_skills.get(name="Kaizen facilitation")
    doc = parse_job(
        {
            "id": "ops",
            "title": "Ops lead",
            "skills": [
                {"name": "Warehouse SQL reporting"},
                {"name": "Kaizen", "uri": own_uri(kaizen)},
                {"name": "SQL"},
            ],
        }
    )
    job = job_create(organization=org, doc=doc)
    concepts = {r.name: (r.skill.uri if r.skill_id else None) for r in job.required_skills.all()}
    assert concepts == {"Warehouse SQL reporting": URI + "sql", "Kaizen": None, "SQL": None}
    # another organization's job with the same name does not take this organization's mapping
    other = job_create(organization=OrganizationFactory(slug="d"), doc=doc)
    assert other.required_skills.get(name="Warehouse SQL reporting").skill_id is None
