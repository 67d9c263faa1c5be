"""The demo: the generated candidates (no database) and ``seed_demo`` end to end on the test database."""

from __future__ import annotations

import csv
import json
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from apps.accounts.models import Organization, Role
from apps.candidates.models import Candidate
from apps.core.interchange import parse_candidate, parse_job
from apps.credentials.catalog import read_catalog
from apps.credentials.models import CatalogOffering, Credential, CredentialKind
from apps.dashboard.demo import CATALOG_CSV, ESCO_DIR, JOBS_JSON
from apps.dashboard.demo.candidates import SEEKER_ID, generate_pool, seeker_doc
from apps.dashboard.demo.make_esco_subset import build_subset
from apps.jobs.models import Job
from apps.matching.models import MatchRun, MatchScore, RunStatus
from apps.matching.selectors import run_order
from apps.skills.models import Skill


@pytest.fixture(scope="module")
def catalog():
    return {o.id: o for o in read_catalog(CATALOG_CSV)}


class TestDemoFiles:
    def test_pools_are_deterministic_and_valid_interchange(self, catalog):
        a = generate_pool(org_slug="sakura-digital", count=200, catalog=catalog)
        assert a == generate_pool(org_slug="sakura-digital", count=200, catalog=catalog)
        assert a != generate_pool(org_slug="sakura-digital", count=200, catalog=catalog, seed=1)
        docs = [parse_candidate(d) for d in a]
        assert len({d.id for d in docs}) == 200
        creds = [c for d in docs for c in d.credentials]
        assert all(1 <= len(d.credentials) <= 5 for d in docs)
        assert 0.6 <= sum(c.verified for c in creds) / len(creds) <= 0.8
        assert all(date(2019, 1, 1) <= c.issued <= date(2026, 12, 31) for c in creds)
        assert any(c.expires and c.expires < date(2026, 1, 1) for c in creds), "some credentials have expired"
        assert {c.title for c in creds} <= {o.title for o in catalog.values()}
        assert sum(bool(d.degrees) for d in docs) > 50 and sum(bool(d.skills) for d in docs) > 50
        assert len({d.name for d in docs}) > 180

    def test_seeker_has_three_or_four_credentials(self, catalog):
        doc = parse_candidate(seeker_doc(catalog))
        assert doc.id == SEEKER_ID and 3 <= len(doc.credentials) <= 4

    def test_jobs_use_esco_labels_of_the_shipped_subset(self):
        with (ESCO_DIR / "classification-en" / "skills_en.csv").open(encoding="utf-8-sig", newline="") as f:
            subset = {r["conceptUri"]: r["preferredLabel"] for r in csv.DictReader(f)}
        raw = json.loads(JOBS_JSON.read_text(encoding="utf-8"))
        jobs = [parse_job(j) for org in ("sakura-digital", "kiwi-health") for j in raw[org]]
        assert len(jobs) >= 8
        for job in jobs:
            assert 5 <= len(job.skills) <= 10
            assert any(s.required for s in job.skills) and any(s.weight != 1 for s in job.skills)
            for s in job.skills:
                assert subset.get(s.uri) == s.name, f"{job.id}: {s.name} is not the subset's label of {s.uri}"
        assert sum(s.min_level is not None for j in jobs for s in j.skills) >= 2

    def test_esco_subset_is_small_and_attributed(self):
        files = list(ESCO_DIR.rglob("*.csv"))
        assert sum(f.stat().st_size for f in files) <= 1_500_000
        with (ESCO_DIR / "classification-en" / "skills_en.csv").open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
            n_skills = sum(1 for _ in csv.reader(f))
        assert header[:5] == ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel"]
        assert n_skills <= 1500
        readme = (ESCO_DIR / "README.md").read_text(encoding="utf-8")
        assert "This service uses the ESCO classification of the European Commission" in readme
        assert "2011/833/EU" in readme and "v1.1.1" in readme


def _counts() -> dict:
    return {
        "orgs": Organization.objects.filter(slug__in=["sakura-digital", "kiwi-health"]).count(),
        "jobs": Job.objects.count(),
        "candidates": Candidate.objects.count(),
        "credentials": Credential.objects.count(),
        "offerings": CatalogOffering.objects.count(),
        "skills": Skill.objects.count(),
    }


def _top_five() -> dict:
    return {
        r.job.external_id: list(r.scores.order_by(*run_order(r)).values_list("candidate__external_id", "score")[:5])
        for r in MatchRun.objects.select_related("job")
    }


@pytest.mark.django_db
def test_seed_demo_builds_a_complete_demo_and_is_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "recruiter" in text and "tsumiki-demo" in text and "ESCO classification" in text

    sakura = Organization.objects.get(slug="sakura-digital")
    kiwi = Organization.objects.get(slug="kiwi-health")
    assert (sakura.name, kiwi.name) == ("Sakura Digital", "Kiwi Health")
    for username, org, role in (
        ("recruiter", sakura, Role.RECRUITER),
        ("seeker", sakura, Role.SEEKER),
        ("kiwi-recruiter", kiwi, Role.RECRUITER),
    ):
        user = authenticate(username=username, password="tsumiki-demo")
        assert user is not None, username
        assert (user.membership.organization, user.membership.role) == (org, role)

    counts = _counts()
    assert counts["orgs"] == 2
    assert counts["jobs"] >= 8
    assert 280 <= counts["candidates"] <= 320
    assert 190 <= Candidate.objects.filter(organization=sakura).count() <= 210
    assert 90 <= Candidate.objects.filter(organization=kiwi).count() <= 110
    assert 40 <= counts["offerings"] <= 60
    assert 500 <= counts["skills"] <= 1500

    seeker_profile = Candidate.objects.get(user__username="seeker")
    assert seeker_profile.organization == sakura
    assert 3 <= seeker_profile.credentials.exclude(kind=CredentialKind.DEGREE).count() <= 4

    degree_titles = set(Credential.objects.filter(kind=CredentialKind.DEGREE).values_list("title", flat=True))
    assert degree_titles
    for job in Job.objects.all():
        run = MatchRun.objects.get(job=job)
        assert run.status == RunStatus.SUCCEEDED
        pool = Candidate.objects.filter(organization=job.organization).count()
        assert run.pool_size == pool == run.scores.count()
        best = run.scores.order_by(*run_order(run)).first()
        assert best.score > 50, f"{job.title}: the demo should show a strong match"
        assert run.scores.filter(must_have_met=True).exists(), f"{job.title}: someone meets the must-haves"
        # degrees never count: no explanation names one as its source
        for s in run.scores.order_by(*run_order(run))[:20]:
            assert not {m["source"] for m in s.explanation["matches"]} & degree_titles
    top = _top_five()

    # Re-running finds the demo complete and changes nothing.
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    assert "already loaded" in out.getvalue()
    assert _counts() == counts and MatchRun.objects.count() == counts["jobs"]

    # --reset recreates it: same data, no duplicates, fresh runs with the same ranking.
    call_command("seed_demo", "--reset", stdout=StringIO(), stderr=StringIO())
    assert _counts() == counts
    assert MatchRun.objects.count() == counts["jobs"] == MatchScore.objects.values("run").distinct().count()
    assert authenticate(username="seeker", password="tsumiki-demo") is not None
    assert _top_five() == top


ESCO_RELEASE = settings.BASE_DIR.parent / "shared" / "data" / "esco-v1.1.1"


@pytest.mark.skipif(not ESCO_RELEASE.is_dir(), reason="needs the official ESCO release in ../shared/data")
def test_shipped_esco_subset_is_reproducible_from_the_release(tmp_path):
    stats = build_subset(ESCO_RELEASE, tmp_path)
    assert stats["skills"] + stats["groups"] <= 1500
    for path in ESCO_DIR.rglob("*.csv"):
        rebuilt = tmp_path / path.relative_to(ESCO_DIR)
        assert rebuilt.read_bytes() == path.read_bytes(), f"{path.name} differs: rerun make_esco_subset.py"
