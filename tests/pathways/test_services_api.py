"""Pathways from the database: gap/pathway for a stored candidate, jobs within reach, stacking, the API."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create
from apps.credentials.services import catalog_import_csv, qualifications_import_json
from apps.pathways.services import (
    held_offering_ids,
    jobs_within_reach,
    pathway_for_candidate,
    qualification_progress,
)
from tests.factories import credential, make_candidate, make_job

CATALOG = """id,title,provider,level_framework,level_value,hours,skills
sql,SQL basics,Acme Academy,EQF,5,40,SQL
weld,Welding 1,Acme Academy,EQF,4,30,welding
book,Bookkeeping advanced,Acme Academy,EQF,6,50,bookkeeping
both,Bookkeeping with SQL,Acme Academy,EQF,6,60,bookkeeping;SQL
care,Patient care,Health School,EQF,4,200,patient care
"""


@pytest.fixture
def catalog(db):
    catalog_import_csv(lines=CATALOG.splitlines(keepends=True))
    qualifications_import_json(
        data=[
            {
                "id": "cert-office",
                "title": "Office administration certificate",
                "credits_required": 100,
                "components": [{"offering": "sql"}, {"offering": "book", "mandatory": True}, {"offering": "both"}],
            }
        ]
    )


@pytest.fixture
def seeker_profile(org, catalog):
    return make_candidate(
        org,
        cid="s-1",
        credentials=[
            credential("French B2", ["French language"]),
            credential("SQL basics", ["SQL"], issuer="Acme Academy"),
        ],
    )


def test_pathway_for_a_stored_candidate(org, seeker_profile):
    job = make_job(org, [{"name": "SQL", "required": True}, "welding", "bookkeeping", "French language"])
    report = pathway_for_candidate(job=job, candidate=seeker_profile)
    assert report.covered_names == ["SQL", "French language"]
    assert report.missing_names == ["welding", "bookkeeping"] and report.uncoverable_names == []
    assert [s.offering.key for s in report.pathway.steps] == ["weld", "book"]
    assert report.pathway.total_hours == 80
    # alternatives within 10% of 80 h: weld + both = 90 h is 12.5% dearer, so none
    assert report.alternatives == []


def test_what_if_score_equals_the_score_with_the_credentials_held(org, seeker_profile):
    job = make_job(org, [{"name": "SQL", "required": True}, "welding", "bookkeeping", "patient care"])
    report = pathway_for_candidate(job=job, candidate=seeker_profile)
    steps = report.pathway.steps
    assert {s.offering.key for s in steps} == {"weld", "book", "care"}
    twin = make_candidate(
        org,
        cid="s-1-after",
        credentials=[
            credential("French B2", ["French language"]),
            credential("SQL basics", ["SQL"], issuer="Acme Academy"),
            *[
                credential(
                    s.offering.title,
                    [sk.text for sk in s.offering.skills],
                    issued=date.today().isoformat(),
                    level=s.offering.eqf,
                )
                for s in steps
            ],
        ],
    )
    after = pathway_for_candidate(job=job, candidate=twin)
    assert after.score_now == report.pathway.score_after == 100.0
    assert after.missing_names == []


def test_jobs_within_reach(org, seeker_profile):
    near = make_job(org, ["SQL", "welding"], title="Welder with SQL")  # one offering away
    two = make_job(org, ["SQL", "welding", "bookkeeping"], title="Office welder")  # two away
    far = make_job(org, ["SQL", "underwater basket weaving"], title="Weaver")  # not coverable
    ready = make_job(org, ["SQL"], title="SQL clerk")
    reach = jobs_within_reach(candidate=seeker_profile)
    assert [(r.job.pk, r.offerings_away) for r in reach] == [(near.pk, 1), (two.pk, 2)]
    assert far.pk not in {r.job.pk for r in reach}
    one = jobs_within_reach(candidate=seeker_profile, max_offerings=1, include_ready=True)
    assert [(r.job.pk, r.offerings_away) for r in one] == [(ready.pk, 0), (near.pk, 1)]


def test_stacking_towards_a_qualification(org, seeker_profile):
    held = held_offering_ids(candidate=seeker_profile)
    assert held == {"sql"}
    [prog] = qualification_progress(offering_ids=["book"], held=held)
    assert (prog.earned, prog.planned, prog.remaining) == (40, 50, 10)
    assert prog.mandatory_outstanding == [] and not prog.complete_after
    [prog] = qualification_progress(offering_ids=["both"], held=held)
    assert prog.mandatory_outstanding == ["Bookkeeping advanced"]


@pytest.fixture
def api(org) -> APIClient:
    _, raw = api_key_create(organization=org, scopes=["read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_api_gap_pathway_and_reach(org, other_org, seeker_profile, api):
    job = make_job(org, [{"name": "SQL", "required": True}, "welding", "bookkeeping"])
    base = f"/api/v1/jobs/{job.pk}/candidates/{seeker_profile.pk}"
    gap = api.get(f"{base}/gap/").json()
    assert [s["status"] for s in gap["skills"]] == ["covered", "missing", "missing"]
    assert gap["skills"][1]["offerings"] == ["weld"] and "pathway" not in gap
    body = api.get(f"{base}/pathway/?tolerance=0.2").json()
    assert body["pathway"]["total_hours"] == 80 and body["method"] == "exact"
    assert [a["total_hours"] for a in body["alternatives"]] == [90]
    assert body["stacking"][0]["id"] == "cert-office" and body["stacking"][0]["remaining"] == 10
    bad = api.get(f"{base}/pathway/?tolerance=5")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    reach = api.get(f"/api/v1/candidates/{seeker_profile.pk}/jobs-within-reach/").json()
    assert [r["job"]["id"] for r in reach] == [job.pk] and reach[0]["offerings_away"] == 2
    # another organization's ids are not found
    foreign = make_candidate(other_org, cid="x")
    assert api.get(f"/api/v1/jobs/{job.pk}/candidates/{foreign.pk}/gap/").status_code == 404


def test_api_catalog_list(api, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/catalog/offerings/?skill=sql").json()
    assert [o["id"] for o in body["results"]] == ["both", "sql"]
    assert body["results"][1]["eqf_level"] == 5 and body["results"][1]["qualifications"] == ["cert-office"]
    one = api.get("/api/v1/catalog/offerings/weld/").json()
    assert one["skills"] == ["welding"] and one["hours"] == 30


def test_seeker_job_page_shows_pathway_stacking_and_reach(client, org, seeker, catalog):
    from django.urls import reverse

    make_candidate(org, cid="me", user=seeker, credentials=[credential("SQL basics", ["SQL"], issuer="Acme Academy")])
    job = make_job(
        org,
        [{"name": "SQL", "required": True}, "welding", "bookkeeping", "underwater basket weaving"],
        title="Office welder",
    )
    make_job(org, ["SQL", "welding"], title="Welder with SQL")
    client.force_login(seeker)
    body = client.get(reverse("dashboard:seeker_job", kwargs={"job_id": job.pk})).content.decode()
    assert "Your shortest pathway" in body
    assert "Welding 1" in body and "Bookkeeping advanced" in body and "80 learning hours" in body
    assert "underwater basket weaving" in body.split("Not taught by any catalog offering")[1]
    assert "Office administration certificate" in body and "90 of 100" in body
    assert "Other jobs within reach" in body and "Welder with SQL" in body
